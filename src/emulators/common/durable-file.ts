/**
 * Writes that survive a crash once they return: data goes to a temporary file, is fsynced,
 * renamed over the target (atomic on POSIX), and the directory is fsynced so the rename
 * itself is on disk. Readers therefore see the old content or the new one, never a torn file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeFileDurable(path: string, data: Buffer | string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (err) {
    await rm(temporary, { force: true });
    throw err;
  }
  await fsyncDirectory(dir);
}

/**
 * Writes a file under a fresh, unique name and fsyncs its bytes, without the rename dance.
 * Its directory entry becomes durable with the next fsync of the directory — the caller commits
 * it by writing (durably) the metadata file that points at it, in the same directory.
 */
export async function writeNewFileSynced(path: string, data: Buffer | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeJsonDurable(path: string, value: unknown): Promise<void> {
  await writeFileDurable(path, JSON.stringify(value, null, 1));
}

/** The parsed JSON file, or undefined when it does not exist. */
export async function readJsonIfExists(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}
