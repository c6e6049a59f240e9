import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgencies } from '@passport/config';

function agencyFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'agencies-')), 'agencies.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const wales = {
  id: 'wales',
  name: 'Business Wales',
  region: 'Wales',
  nuts: 'UKL',
  iso3166_2: 'GB-WLS',
  languages: ['cy', 'en'],
};

describe('loadAgencies', () => {
  it('ships the four Motors for Europe agencies', () => {
    expect(loadAgencies().map((agency) => agency.id)).toEqual(['bwi', 'aura', 'accio', 'promos']);
  });

  it('takes a fifth agency from configuration alone', () => {
    const file = agencyFile([...loadAgencies(), wales]);
    expect(loadAgencies(file).map((agency) => agency.id)).toContain('wales');
  });

  it('names the entry and field that is wrong', () => {
    const file = agencyFile([...loadAgencies(), { ...wales, id: 'Wales!' }]);
    expect(() => loadAgencies(file)).toThrow(/at agencies\.4\.id: must be 2-16 lower-case letters or digits/);
  });

  it('takes how an agency logs in to the cluster, and names a wrong value', () => {
    const moved = loadAgencies(agencyFile([...loadAgencies(), { ...wales, kafkaAuthentication: 'tls' }]));
    expect(moved.find((agency) => agency.id === 'wales')?.kafkaAuthentication).toBe('tls');
    const wrong = agencyFile([...loadAgencies(), { ...wales, kafkaAuthentication: 'kerberos' }]);
    expect(() => loadAgencies(wrong)).toThrow(
      /at agencies\.4\.kafkaAuthentication: must be scram-sha-512 or tls/,
    );
  });

  it.each(['admin', 'controller'])("refuses the operators' principal %s as an agency id", (id) => {
    const file = agencyFile([...loadAgencies(), { ...wales, id }]);
    expect(() => loadAgencies(file)).toThrow(/at agencies\.4\.id: must not be admin or controller/);
  });

  it('refuses duplicate ids and unreadable files', () => {
    expect(() => loadAgencies(agencyFile([wales, wales]))).toThrow(/agency ids must be unique/);
    expect(() => loadAgencies(agencyFile('{not json'))).toThrow(/Cannot read the agency list/);
  });
});
