import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { KeyStoreInsecureError } from '@passport/errors';

/** Any permission bit for group or others. */
const GROUP_OR_OTHER = 0o077;
const GENERATION_FILE = /^generation-(\d{4})\.json$/;
/** A generation file is a few hundred bytes; anything far larger is not ours and is not read. */
const MAX_KEY_FILE_BYTES = 16 * 1024;

export function generationFileName(generation: number): string {
  return `generation-${String(generation).padStart(4, '0')}.json`;
}

/**
 * Creates the key directory owner-only (0700) if it is absent, and refuses one that exists with group or
 * world access, or that is a symlink or not a directory: keys others could have read prove nothing.
 */
export async function ensurePrivateDirectory(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const stat = await fs.lstat(dir);
  if (!stat.isDirectory())
    throw new KeyStoreInsecureError(dir, `the key directory ${dir} is not a directory (or is a symlink)`);
  if ((stat.mode & GROUP_OR_OTHER) !== 0)
    throw new KeyStoreInsecureError(
      dir,
      `the key directory ${dir} has mode ${octal(stat.mode)}; it must be owner-only (chmod 700)`,
    );
}

/** Numbers of the generation files present, ascending. */
export async function listGenerations(dir: string): Promise<number[]> {
  const names = await fs.readdir(dir);
  const generations: number[] = [];
  for (const name of names) {
    const match = GENERATION_FILE.exec(name);
    if (match?.[1] !== undefined) generations.push(Number(match[1]));
  }
  return generations.sort((a, b) => a - b);
}

/** Reads a key file after refusing a symlink, a non-file, group/world access or an oversized file. */
export async function readPrivateFile(file: string): Promise<string> {
  const handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP')
      throw new KeyStoreInsecureError(file, `the key file ${file} is a symlink`);
    throw error;
  });
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new KeyStoreInsecureError(file, `the key file ${file} is not a regular file`);
    if ((stat.mode & GROUP_OR_OTHER) !== 0)
      throw new KeyStoreInsecureError(
        file,
        `the key file ${file} has mode ${octal(stat.mode)}; it must be owner-only (chmod 600)`,
      );
    if (stat.size > MAX_KEY_FILE_BYTES)
      throw new KeyStoreInsecureError(
        file,
        `the key file ${file} is larger than ${MAX_KEY_FILE_BYTES} bytes`,
      );
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/**
 * Writes a new key file owner-only (0600) through a temporary file and a rename, so a crash leaves
 * either no file or a whole one; refuses to replace an existing generation.
 */
export async function writeNewPrivateFile(file: string, content: string): Promise<void> {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const handle = await fs.open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.link(temporary, file);
  } finally {
    await fs.unlink(temporary);
  }
}

export async function removeFile(file: string): Promise<void> {
  await fs.rm(file);
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, '0');
}
