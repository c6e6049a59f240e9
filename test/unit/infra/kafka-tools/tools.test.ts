import { parseToolInvocation } from '@passport/infra/kafka-tools/tools';

describe('parseToolInvocation', () => {
  it('takes --as and --test out and passes everything else to the tool in order', () => {
    expect(
      parseToolInvocation(['consumer-groups', '--describe', '--as', 'bwi', '--all-groups', '--test']),
    ).toEqual({
      tool: 'consumer-groups',
      principal: 'bwi',
      profile: 'test',
      toolArgs: ['--describe', '--all-groups'],
    });
  });

  it('defaults to the admin principal', () => {
    expect(parseToolInvocation(['topics', '--list'])).toMatchObject({
      principal: 'admin',
      profile: 'dev',
    });
  });

  it("--faults picks the fault suite's three-node cluster", () => {
    expect(parseToolInvocation(['metadata-quorum', '--faults', 'describe', '--status'])).toEqual({
      tool: 'metadata-quorum',
      principal: 'admin',
      profile: 'faults',
      toolArgs: ['describe', '--status'],
    });
  });

  it('names the tools when the tool is unknown', () => {
    expect(parseToolInvocation(['kcat', '-L'])).toEqual({
      error: expect.stringContaining('Tools: topics, consumer-groups'),
    });
  });

  it('refuses --as without a principal', () => {
    expect(parseToolInvocation(['topics', '--as'])).toEqual({
      error: '--as needs a principal name, e.g. --as bwi',
    });
    expect(parseToolInvocation(['topics', '--as', '--list'])).toHaveProperty('error');
  });
});
