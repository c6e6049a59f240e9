import { readFileSync } from 'node:fs';
import { loadAgencies } from '@passport/config';
import { EVENT_DEFINITIONS } from '@passport/events';
import { topicDeclarations } from '@passport/infra/topology/topics';
import { renderAsyncApiHtml } from '@passport/infra/asyncapi/render-html';
import { validateAsyncApiDocument } from '@passport/infra/asyncapi/validate-document';

import { ASYNCAPI_FILE, currentAsyncApiDocument } from '@passport/infra/asyncapi/document-file';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the AsyncAPI document', () => {
  const document = currentAsyncApiDocument() as unknown as Json;

  it('is valid AsyncAPI 3 for the AsyncAPI parser, Avro payloads included', async () => {
    expect(await validateAsyncApiDocument(document)).toEqual([]);
  });

  it('is refused by the parser when broken, so the check above can fail', async () => {
    const broken = structuredClone(document);
    delete broken.operations['bwi.send.cooperationRequests'].channel;
    broken.channels.cooperationRequests.messages.Bogus = { $ref: '#/components/messages/Bogus' };
    expect((await validateAsyncApiDocument(broken)).length).toBeGreaterThan(0);
  });

  it('is committed as generated (run `npm run asyncapi` after changing schemas, topics or agencies)', () => {
    expect(JSON.parse(readFileSync(ASYNCAPI_FILE, 'utf8'))).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('has a channel per declared topic, with its Kafka binding, and a message per event type', () => {
    expect(
      Object.values(document.channels as Record<string, Json>)
        .map((c) => c.address)
        .sort(),
    ).toEqual(
      topicDeclarations(loadAgencies())
        .map((t) => t.name)
        .sort(),
    );
    expect(document.channels.cooperationRequests.bindings.kafka).toMatchObject({
      topic: 'passport.cooperation-requests.v1',
      partitions: 6,
    });
    expect(Object.keys(document.components.messages).sort()).toEqual(
      [...EVENT_DEFINITIONS.map((d) => d.type), 'DeadLetter'].sort(),
    );
    expect(document.components.messages.CandidatesProposed.bindings.kafka).toMatchObject({
      schemaIdLocation: 'payload',
      schemaIdPayloadEncoding: 'confluent',
      schemaLookupStrategy: 'TopicNameStrategy',
    });
  });

  it('gives each agency send and receive operations, receiving only through its prefixed groups', () => {
    expect(document.operations['promos.receive.introductions']).toMatchObject({
      action: 'receive',
      bindings: { kafka: { groupId: { pattern: '^promos\\.' } } },
    });
    expect(document.operations['aura.send.candidateReplies'].messages).toHaveLength(2);
  });

  it('requires the passport_signature header on every event and describes what it covers', () => {
    const headers = document.components.schemas.ExchangeHeaders;
    expect(headers.required).toContain('passport_signature');
    expect(headers.properties.passport_signature.description).toMatch(/DSSE v1.*detached payload/);
    expect(headers.properties.passport_signature.description).toMatch(/keyid is base64url/);
    const signature = new RegExp(headers.properties.passport_signature.pattern);
    expect(signature.test(`{"keyid":"${'k'.repeat(22)}","sig":"${'s'.repeat(86)}"}`)).toBe(true);
    expect(signature.test(`{"keyid":"${'k'.repeat(21)}","sig":"${'s'.repeat(86)}"}`)).toBe(false);
    for (const definition of EVENT_DEFINITIONS)
      expect(document.components.messages[definition.type].headers).toEqual({
        $ref: '#/components/schemas/ExchangeHeaders',
      });
  });

  it('describes every dead-letter channel, its message and the one agency that writes it', () => {
    const deadLetters = topicDeclarations(loadAgencies()).filter((t) => t.name.includes('dead-letter'));
    expect(deadLetters.length).toBe(loadAgencies().length);
    for (const agency of loadAgencies()) {
      const channel = `deadLetter.${agency.id}`;
      expect(Object.keys(document.channels[channel].messages)).toEqual(['DeadLetter']);
      expect(document.operations[`${agency.id}.send.${channel}`]).toMatchObject({
        action: 'send',
        channel: { $ref: `#/channels/${channel}` },
      });
    }
    expect(document.components.schemas.DeadLetterHeaders.required).toContain('dlq_error_code');
  });

  it('renders to a page with every message and its records', () => {
    const html = renderAsyncApiHtml(document);
    for (const definition of EVENT_DEFINITIONS) expect(html).toContain(`id="msg-${definition.type}"`);
    expect(html).toContain('<h4 id="NeedsProfile">NeedsProfile</h4>');
    expect(html).toContain('<code>array&lt;NaceCode&gt;</code>');
    expect(html).toContain('id="msg-DeadLetter"');
    expect(html).toContain('<code>passport_signature</code>');
  });
});
