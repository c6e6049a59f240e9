import { isIPv4 } from 'node:net';

/**
 * The webhook carries notifications (introductions with contact persons among them) and their
 * signatures, so it goes over TLS. Plain http stays possible only to this machine, where nothing travels
 * on a network: a back office (or a test) on 127.0.0.0/8, ::1 or localhost.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  return isIPv4(host) && host.startsWith('127.');
}

export function isAllowedWebhookUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // fetch refuses URLs with credentials, so every delivery would fail; say so at start instead.
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
}

export const WEBHOOK_URL_RULE =
  'must be https:// (http:// only to loopback: 127.0.0.0/8, ::1, localhost), without user:password@';
