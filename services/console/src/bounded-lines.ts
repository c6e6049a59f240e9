import { createReadStream } from 'node:fs';

export type BoundedLine = { line: number; text: string } | { line: number; tooLong: true };

const NEWLINE = 0x0a;

/**
 * The lines of a file, numbered from 1, each at most `maxBytes`: a longer line is not kept in memory
 * (its bytes are skipped up to the next newline) and comes back as `tooLong`. Blank lines are passed
 * over; a trailing `\r` is dropped.
 */
export async function* boundedLines(file: string, maxBytes: number): AsyncGenerator<BoundedLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;
  const finish = (): BoundedLine | undefined => {
    line += 1;
    if (tooLong) return { line, tooLong: true };
    const text = Buffer.concat(parts).toString('utf8').replace(/\r$/, '');
    return text.trim() === '' ? undefined : { line, text };
  };
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (!tooLong) {
        size += end - start;
        if (size > maxBytes) {
          tooLong = true;
          parts = [];
        } else parts.push(chunk.subarray(start, end));
      }
      if (newline === -1) break;
      const done = finish();
      if (done) yield done;
      parts = [];
      size = 0;
      tooLong = false;
      start = newline + 1;
    }
  }
  if (size > 0 || tooLong) {
    const done = finish();
    if (done) yield done;
  }
}
