import { createInterface } from 'node:readline/promises';
import { runCli } from './run-cli';

/** The `passport` entry point: wires the process's streams to runCli and exits with its code. */
async function main(): Promise<void> {
  // `passport tail … | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? 0 : 1));
  const code = await runCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    isTTY: Boolean(process.stdin.isTTY),
    async ask(question) {
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await prompt.question(question);
      } finally {
        prompt.close();
      }
    },
  });
  process.exit(code);
}

void main();
