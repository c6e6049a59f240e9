import { explainIncompatibility } from '@passport/infra/schemas/explain-incompatibility';

const base = {
  type: 'record',
  name: 'Probe',
  namespace: 'eu.fourmotors.passport',
  fields: [
    { name: 'a', type: 'string' },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['X', 'Y'] } },
  ],
};

describe('explainIncompatibility', () => {
  it('names a field added without default (new readers cannot read old data)', () => {
    const newer = { ...base, fields: [...base.fields, { name: 'b', type: 'int' }] };
    expect(explainIncompatibility(base, newer)).toEqual([
      'Probe.b: the new schema (reading old data) requires this field, it has no default, and the other version lacks it',
    ]);
  });

  it('names a field removed without default (old readers cannot read new data)', () => {
    const newer = { ...base, fields: base.fields.slice(1) };
    expect(explainIncompatibility(base, newer)).toEqual([
      'Probe.a: the old schema (reading new data) requires this field, it has no default, and the other version lacks it',
    ]);
  });

  it('names enum symbols an old reader without default cannot read', () => {
    const newer = {
      ...base,
      fields: [
        base.fields[0],
        { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['X', 'Y', 'Z'] } },
      ],
    };
    expect(explainIncompatibility(base, newer)).toEqual([
      'Kind: the old schema (reading new data) lacks symbols Z and the enum has no default',
    ]);
  });

  it('finds nothing in a compatible change', () => {
    const newer = {
      ...base,
      fields: [...base.fields, { name: 'c', type: ['null', 'string'], default: null }],
    };
    expect(explainIncompatibility(base, newer)).toEqual([]);
  });
});
