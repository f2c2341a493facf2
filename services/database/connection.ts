import type { ClientConfig } from 'pg';
import { isRecord } from '../shared/http.ts';

export type Env = Record<string, string | undefined>;

/**
 * pg connection settings: user/password (and host/port/dbname) from the RDS-generated secret; DB_HOST,
 * DB_PORT, DB_NAME in the environment win (the template sets them from the instance; the local twin
 * points them at its own PostgreSQL). DB_SSL: `verify-full` (default, RDS CA via NODE_EXTRA_CA_CERTS)
 * or `disable`.
 */
export function connectionConfig(secretString: string, env: Env): ClientConfig {
  const secret: unknown = JSON.parse(secretString);
  if (!isRecord(secret) || typeof secret.username !== 'string' || typeof secret.password !== 'string') {
    throw new Error('database secret must be JSON with string "username" and "password"');
  }
  const host = env.DB_HOST ?? (typeof secret.host === 'string' ? secret.host : undefined);
  if (!host) throw new Error('no database host: set DB_HOST or attach the secret to the instance');
  const port = Number(env.DB_PORT ?? secret.port ?? 5432);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`invalid database port ${port}`);
  const database = env.DB_NAME ?? (typeof secret.dbname === 'string' ? secret.dbname : 'postgres');
  const ssl =
    (env.DB_SSL ?? 'verify-full') === 'disable' ? false : { rejectUnauthorized: true, servername: host };
  return {
    host,
    port,
    database,
    user: secret.username,
    password: secret.password,
    ssl,
    connectionTimeoutMillis: 5000,
  };
}
