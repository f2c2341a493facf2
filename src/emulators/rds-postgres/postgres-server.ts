/**
 * The emulated RDS PostgreSQL instance: a PGlite cluster persisted under
 * `<dataDir>/rds/<dbLogicalId>/`, served on a loopback TCP port in the Postgres wire protocol,
 * with the master user's password checked at startup.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { ClientConnection } from './client-connection.ts';
import { openDatabase } from './pglite-database.ts';
import { SessionLock } from './session-lock.ts';
import { parameterStatuses, startupPacket } from './wire.ts';

export interface PostgresOptions {
  /** The twin's data directory. */
  readonly dataDir: string;
  /** Logical id of the AWS::RDS::DBInstance; names the persistence folder. @default 'Database' */
  readonly dbLogicalId?: string;
  /** DBName; the only database clients may connect to. */
  readonly dbName: string;
  /** Master username and password, as in the DB credentials secret. */
  readonly username: string;
  readonly password: string;
  /** TCP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /**
   * A pristine cluster tarball that new clusters start from (written on first use).
   * @default `<os tmpdir>/securecart-cache/pglite-<version>-pristine.tar.gz`
   */
  readonly pristineCacheFile?: string;
}

export interface RunningPostgres {
  readonly host: string;
  readonly port: number;
  /** Where the cluster lives on disk. */
  readonly dir: string;
  stop(): Promise<void>;
}

export async function startPostgres(options: PostgresOptions): Promise<RunningPostgres> {
  const dir = join(options.dataDir, 'rds', options.dbLogicalId ?? 'Database');
  const db = await openDatabase(dir, options.username, options.dbName, options.pristineCacheFile);
  // PGlite answers a StartupMessage with the session's ParameterStatus list; every client gets it.
  const startup = Buffer.from(
    await db.execProtocolRaw(startupPacket({ user: options.username, database: options.dbName })),
  );
  let stopping = false;
  const settings = {
    stopping: () => stopping,
    db,
    lock: new SessionLock(),
    username: options.username,
    password: options.password,
    dbName: options.dbName,
    parameterStatus: Buffer.concat(parameterStatuses(startup)),
  };
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    new ClientConnection(socket, settings, ++connections);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  return {
    host,
    port: (server.address() as AddressInfo).port,
    dir,
    async stop() {
      stopping = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
