import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Passport-Signature: t=<unix seconds>,v2=<hex HMAC-SHA256(secret, "<t>.<delivery>.<kind>.<raw body>")>`.
 * The timestamp, the delivery id and the kind are signed with the body: a receiver that refuses old
 * timestamps cannot be fed a replayed call, and one that deduplicates by `X-Passport-Delivery` cannot be
 * made to take a captured call again under another delivery id. (`v1` signed only "<t>.<body>"; the new
 * label makes a receiver still checking `v1` refuse every call instead of trusting an unsigned id.)
 */
export const SIGNATURE_HEADER = 'x-passport-signature';
export const DELIVERY_HEADER = 'x-passport-delivery';
export const KIND_HEADER = 'x-passport-kind';

/** What the signature covers besides the body; both travel as headers too. */
export interface SignedDelivery {
  delivery: string;
  kind: string;
  body: string;
}

function mac(secret: string, signed: SignedDelivery, unixSeconds: number): string {
  return createHmac('sha256', secret)
    .update(`${unixSeconds}.${signed.delivery}.${signed.kind}.${signed.body}`)
    .digest('hex');
}

export function sign(secret: string, signed: SignedDelivery, unixSeconds: number): string {
  return `t=${unixSeconds},v2=${mac(secret, signed, unixSeconds)}`;
}

/** What a receiver does: check the MAC in constant time and the timestamp against a tolerance. */
export function verify(
  secret: string,
  signed: SignedDelivery,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries(
    (header ?? '').split(',').map((part) => part.split('=', 2) as [string, string]),
  );
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v2 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(mac(secret, signed, t), 'hex');
  const given = Buffer.from(parts.v2, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
