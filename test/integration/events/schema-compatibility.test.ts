import { valueSubject } from '@passport/config';
import { topicSchema } from '@passport/events';
import { checkCompatibility, checkHistory } from '@passport/infra/schemas/check-compatibility';
import { deleteSubject, registerSchema, setSubjectCompatibility } from '@passport/infra/schemas/registry-api';
import { adminConnection, uniqueName } from '../../support/cluster';

type Json = Record<string, unknown>;

/** A copy of `schema` with `change` applied to the record named `recordName`, wherever it is defined. */
function editRecord(schema: unknown, recordName: string, change: (record: Json) => Json): unknown {
  if (Array.isArray(schema)) return schema.map((s) => editRecord(s, recordName, change));
  if (!schema || typeof schema !== 'object') return schema;
  const node = schema as Json;
  if (node.type === 'record') {
    const fields = (node.fields as Json[]).map((f) => ({
      ...f,
      type: editRecord(f.type, recordName, change),
    }));
    const edited = { ...node, fields };
    return node.name === recordName ? change(edited) : edited;
  }
  if (node.type === 'array') return { ...node, items: editRecord(node.items, recordName, change) };
  return node;
}

describe('schema compatibility gate (FULL_TRANSITIVE, real registry)', () => {
  const registry = adminConnection().registry;

  it('finds every released history plus the current schemas compatible', async () => {
    const results = await checkCompatibility(registry);
    expect(results.map((r) => r.subject).sort()).toEqual(
      [
        ...[
          'candidate-replies',
          'cooperation-requests',
          'introductions',
          'key-rotations',
          'outcomes',
          'request-reminders',
        ].map((t) => `passport.${t}.v1-value`),
        'passport.introductions.v2-value',
      ].sort(),
    );
    expect(results.filter((r) => r.problem)).toEqual([]);
  });

  it('refuses a change that removes a field without default, naming the field', async () => {
    const current = topicSchema('passport.cooperation-requests.v1');
    const broken = editRecord(current, 'NeedsProfile', (record) => ({
      ...record,
      fields: (record.fields as Json[]).filter((field) => field.name !== 'summary'),
    })) as object;
    const result = await checkHistory(registry, uniqueName('test.compat'), [current, broken]);
    expect(result.problem).toMatch(
      /^version 2 is incompatible with an earlier one\. Fields: NeedsProfile\.summary: the old schema \(reading new data\) requires this field/,
    );
    expect(result.problem).toContain('Incompatible artifact');
  });

  it('accepts an added optional field with a default', async () => {
    const current = topicSchema('passport.outcomes.v1');
    const grown = editRecord(current, 'OutcomeReported', (record) => ({
      ...record,
      fields: [
        ...(record.fields as Json[]),
        { name: 'meetingPlace', type: ['null', 'string'], default: null, doc: 'Where they met.' },
      ],
    })) as object;
    const subject = `${uniqueName('test.compat')}.${valueSubject('passport.outcomes.v1')}`;
    await setSubjectCompatibility(registry, subject, 'FULL_TRANSITIVE');
    try {
      const first = await registerSchema(registry, subject, current);
      const second = await registerSchema(registry, subject, grown);
      expect(second).not.toBe(first);
    } finally {
      await deleteSubject(registry, subject);
    }
  });
});
