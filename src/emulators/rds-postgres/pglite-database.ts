/**
 * Opens (creating on first use) the PGlite cluster that stands for one RDS instance, so that the
 * master user and database name are real: `current_user` and `current_database()` answer what the
 * template and its credentials secret say.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createCluster, defaultCacheFile, hasCluster } from './pristine-cluster.ts';

/** What the cluster was prepared for; a different user or name on a later start is added. */
const BOOTSTRAP_FILE = 'securecart-bootstrap.json';

interface Bootstrap {
  users: string[];
  databases: string[];
}

export async function openDatabase(
  dir: string,
  username: string,
  dbName: string,
  cacheFile: string = defaultCacheFile(),
): Promise<PGlite> {
  mkdirSync(dir, { recursive: true });
  const markerPath = join(dir, BOOTSTRAP_FILE);
  const done: Bootstrap = existsSync(markerPath)
    ? (JSON.parse(readFileSync(markerPath, 'utf8')) as Bootstrap)
    : { users: ['postgres'], databases: ['postgres'] };
  const fresh = !hasCluster(dir);
  if (fresh || !done.users.includes(username) || !done.databases.includes(dbName)) {
    // Prepare from template1: the database to rename must not be the one we are connected to.
    const admin = fresh
      ? await createCluster(dir, 'template1', cacheFile)
      : await PGlite.create({ dataDir: dir, database: 'template1' });
    try {
      if (!done.users.includes(username)) {
        await admin.exec(`CREATE ROLE ${quoteIdent(username)} LOGIN SUPERUSER`);
        done.users.push(username);
      }
      if (!done.databases.includes(dbName)) {
        // Renaming the initial database is instant; CREATE DATABASE copies a template (seconds in WASM).
        const source = done.databases.includes('postgres') ? 'postgres' : undefined;
        if (source) {
          await admin.exec(`ALTER DATABASE ${quoteIdent(source)} RENAME TO ${quoteIdent(dbName)}`);
          done.databases.splice(done.databases.indexOf(source), 1);
        } else {
          await admin.exec(`CREATE DATABASE ${quoteIdent(dbName)}`);
        }
        await admin.exec(`ALTER DATABASE ${quoteIdent(dbName)} OWNER TO ${quoteIdent(username)}`);
        done.databases.push(dbName);
      }
    } finally {
      await admin.close();
    }
    writeFileSync(markerPath, JSON.stringify(done, null, 2));
  }
  return PGlite.create({ dataDir: dir, username, database: dbName });
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
