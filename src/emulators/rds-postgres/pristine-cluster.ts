/**
 * initdb in WebAssembly is the slow part of a first start (tens of seconds on a busy 2-core box);
 * restoring a freshly initialised cluster from a tarball takes a few seconds. The first cluster a
 * machine creates is dumped once to a cache file keyed by the PGlite version, and later new
 * clusters (a new data directory, a second database, every test run) start from it.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

function pgliteVersion(): string {
  const main = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const manifest = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

export function defaultCacheFile(): string {
  return join(tmpdir(), 'securecart-cache', `pglite-${pgliteVersion()}-pristine.tar.gz`);
}

/** Whether `dir` already holds a cluster. */
export function hasCluster(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

/**
 * Opens a new cluster in `dir` connected to `database`: restored from the cache when there is one,
 * otherwise by initdb, after which the pristine cluster is saved to the cache.
 */
export async function createCluster(dir: string, database: string, cacheFile: string): Promise<PGlite> {
  if (existsSync(cacheFile)) {
    const loadDataDir = new Blob([readFileSync(cacheFile)]);
    return PGlite.create({ dataDir: dir, database, loadDataDir });
  }
  const db = await PGlite.create({ dataDir: dir, database });
  const dump = await db.dumpDataDir('gzip');
  mkdirSync(dirname(cacheFile), { recursive: true });
  // Write then rename, so a concurrent start never reads half a file.
  const partial = `${cacheFile}.${process.pid}.partial`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, cacheFile);
  return db;
}
