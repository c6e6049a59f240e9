import { readFileSync } from 'node:fs';
import { loadAgencies } from '@passport/config';
import { EVENT_DEFINITIONS } from '@passport/events';
import { topicDeclarations } from '../../../../infra/src/topology/topics';
import { renderAsyncApiHtml } from '../../../../infra/src/asyncapi/render-html';
import { validateAsyncApiDocument } from '../../../../infra/src/asyncapi/validate-document';

import { ASYNCAPI_FILE, currentAsyncApiDocument } from '../../../../infra/src/asyncapi/document-file';

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
      EVENT_DEFINITIONS.map((d) => d.type).sort(),
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

  it('renders to a page with every message and its records', () => {
    const html = renderAsyncApiHtml(document);
    for (const definition of EVENT_DEFINITIONS) expect(html).toContain(`id="msg-${definition.type}"`);
    expect(html).toContain('<h4 id="NeedsProfile">NeedsProfile</h4>');
    expect(html).toContain('<code>array&lt;NaceCode&gt;</code>');
  });
});
