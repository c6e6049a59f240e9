type Json = Record<string, unknown>;

const escape = (value: unknown) =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** The Avro type of a field as a reader wants to see it: `string`, `NeedsProfile`, `array<NaceCode>`, `null | string`. */
function typeLabel(type: unknown): string {
  if (typeof type === 'string') return type.slice(type.lastIndexOf('.') + 1);
  if (Array.isArray(type)) return type.map(typeLabel).join(' | ');
  const node = type as Json;
  if (node.type === 'array') return `array<${typeLabel(node.items)}>`;
  if (node.logicalType) return String(node.logicalType);
  if (node.type === 'enum') return `${String(node.name)} (${(node.symbols as string[]).join(', ')})`;
  return String(node.name ?? node.type);
}

/** Every record of a schema, each once, in the order they are defined. */
function records(schema: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(schema)) schema.forEach((s) => records(s, out));
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return out;
  const node = schema as Json;
  if (node.type === 'record') {
    out.push(node);
    (node.fields as Json[]).forEach((f) => records(f.type, out));
  }
  if (node.type === 'array') records(node.items, out);
  return out;
}

function recordTable(record: Json): string {
  const rows = (record.fields as Json[])
    .map(
      (f) =>
        `<tr><td><code>${escape(f.name)}</code></td><td><code>${escape(typeLabel(f.type))}</code></td><td>${escape(f.doc)}</td></tr>`,
    )
    .join('');
  return `<h4 id="${escape(record.name)}">${escape(record.name)}</h4><p>${escape(record.doc)}</p><table><tr><th>field</th><th>type</th><th>meaning</th></tr>${rows}</table>`;
}

/** A single static page: channels, who may do what, and every record of every message. */
export function renderAsyncApiHtml(document: Json): string {
  const info = document.info as Json;
  const channels = document.channels as Record<string, Json>;
  const operations = document.operations as Record<string, Json>;
  const messages = (document.components as Json).messages as Record<string, Json>;
  const channelRows = Object.values(channels)
    .map((c) => {
      const kafka = (c.bindings as Json).kafka as Json;
      const retentionDays = Number((kafka.topicConfiguration as Json)['retention.ms']) / 86_400_000;
      return `<tr><td><code>${escape(c.address)}</code></td><td>${escape(kafka.partitions)}</td><td>${retentionDays} days</td><td>${
        Object.keys(c.messages as Json)
          .map((m) => `<a href="#msg-${m}">${m}</a>`)
          .join(', ') || '—'
      }</td><td>${escape(c.description)}</td></tr>`;
    })
    .join('');
  const operationItems = Object.entries(operations)
    .map(([id, op]) => `<li><code>${escape(id)}</code>: ${escape(op.title)}</li>`)
    .join('');
  const seen = new Set<string>();
  const messageSections = Object.values(messages)
    .map((m) => {
      const payload = (m.payload as Json).schema;
      const tables = records(payload)
        .filter((r) => !seen.has(String(r.name)) && seen.add(String(r.name)))
        .map(recordTable)
        .join('');
      return `<section id="msg-${escape(m.name)}"><h3>${escape(m.name)}</h3><p>${escape(m.summary)}</p>${tables}</section>`;
    })
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(info.title)} ${escape(info.version)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;line-height:1.4}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f3f3}code{font-size:.9em}</style>
</head><body><h1>${escape(info.title)} <small>${escape(info.version)}</small></h1><p>${escape(info.description)}</p>
<h2>Channels</h2><table><tr><th>topic</th><th>partitions</th><th>retention</th><th>messages</th><th>purpose</th></tr>${channelRows}</table>
<h2>Messages</h2><p>Headers: CloudEvents binary mode (<code>ce_specversion</code>, <code>ce_id</code>, <code>ce_source</code>, <code>ce_type</code>, <code>ce_time</code>, <code>ce_subject</code>, <code>content-type</code>) , W3C <code>traceparent</code>, and <code>passport_signature</code>: the sending agency's Ed25519 signature (DSSE, detached payload) over topic, key, value digest and CloudEvents headers, verified against the trust list before anything else. Key: the requestId. Value: Confluent wire format (magic byte 0, schema id, Avro). Dead-letter topics hold <code>DeadLetter</code>: the refused record's bytes and headers, untouched, plus <code>dlq_*</code> context headers.</p>${messageSections}
<h2>Operations</h2><ul>${operationItems}</ul></body></html>
`;
}
