import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJavaTool } from '@passport/infra/kafka/java-tool';

/**
 * A stand-in for `java` that reports what any user of the machine could see of it (its arguments) and
 * what only its owner could read (the argument file it was pointed at, with that file's mode).
 */
function fakeJava(dir: string): string {
  const script = join(dir, 'java');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      'echo "ARGV:$*"',
      'file="${1#@}"',
      'echo "MODE:$(stat -c %a "$file")"',
      'echo "FILE:$(tr "\\n" " " < "$file")"',
      'echo "PATH_OF_FILE:$file"',
    ].join('\n'),
  );
  chmodSync(script, 0o700);
  return script;
}

describe('runJavaTool', () => {
  it('keeps SCRAM passwords out of the process arguments: an owner-only argument file, deleted after', () => {
    const password = 'scram-Secret-0123456789';
    const dir = mkdtempSync(join(tmpdir(), 'passport-java-tool-test-'));
    const result = runJavaTool(
      { executable: fakeJava(dir), major: 21 },
      '/opt/kafka/libs',
      'kafka.tools.StorageTool',
      ['format', '--add-scram', `SCRAM-SHA-512=[name=bwi,password=${password}]`],
    );
    expect(result.status).toBe(0);
    const line = (prefix: string) =>
      (result.stdout as string)
        .split('\n')
        .find((l) => l.startsWith(prefix))
        ?.slice(prefix.length) ?? '';
    expect(line('ARGV:')).toMatch(/^@\S+$/);
    expect(line('ARGV:')).not.toContain(password);
    expect(line('MODE:')).toBe('600');
    expect(line('FILE:')).toContain('"kafka.tools.StorageTool"');
    expect(line('FILE:')).toContain(`password=${password}`);
    expect(existsSync(line('PATH_OF_FILE:'))).toBe(false);
  });
});
