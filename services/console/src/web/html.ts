import { visibleText } from '../visible-text';

/** Control characters shown as escapes first (bidi overrides would reorder the page), then HTML-escaped. */
export function escapeHtml(value: unknown): string {
  return visibleText(value ?? '–').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const NAV = [
  ['/', 'Topics & lag'],
  ['/tail', 'Live tail'],
  ['/trace', 'Trace'],
  ['/dlq', 'Dead letters'],
  ['/kpis', 'KPIs'],
];

/** A form, not a link: signing out changes state, and the console answers GET only with pages. */
const SIGN_OUT = '<footer><form method="post" action="/logout"><button>Sign out</button></form></footer>';

export function page(
  title: string,
  body: string,
  options: { nav?: boolean; refreshSeconds?: number } = {},
): string {
  const nav =
    options.nav === false
      ? ''
      : `<nav>${NAV.map(([href, label]) => `<a href="${href}">${label}</a>`).join(' · ')}</nav>`;
  const refresh = options.refreshSeconds
    ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${refresh}<title>${escapeHtml(title)} – Business Passport console</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#eef}nav{margin-bottom:1em}nav a{margin-right:.3em}
pre{background:#f6f6f6;padding:.5em;white-space:pre-wrap;word-break:break-all}svg text{font:12px sans-serif}</style></head>
<body><h1>${escapeHtml(title)}</h1>${nav}${body}${options.nav === false ? '' : SIGN_OUT}</body></html>`;
}

export function htmlTable(header: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '<p>none</p>';
  const head = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('');
  return `<table><tr>${head}</tr>${body}</table>`;
}

/** Horizontal bars as inline SVG: no script, no chart library, readable without JavaScript. */
export function barChart(id: string, title: string, bars: Array<[string, number]>): string {
  const max = Math.max(1, ...bars.map(([, value]) => value));
  const rows = bars
    .map(([label, value], i) => {
      const y = i * 24 + 20;
      const width = Math.round((value / max) * 300);
      return `<text x="0" y="${y + 13}">${escapeHtml(label)}</text><rect x="200" y="${y}" width="${width}" height="18" fill="#4a7bd0"></rect><text x="${205 + width}" y="${y + 13}">${value}</text>`;
    })
    .join('');
  return `<svg id="${id}" role="img" aria-label="${escapeHtml(title)}" width="560" height="${bars.length * 24 + 30}"><text x="0" y="12" font-weight="bold">${escapeHtml(title)}</text>${rows}</svg>`;
}
