/**
 * A loopback TCP entry per (workload, database): the worker's TCP redirect sends the workload's
 * connections to the database hostname here. The path is traced from the workload's ENI to the
 * RDS instance (its security groups on the DB port); a blocked path resets the connection and
 * logs REJECT records, an open one is piped to the local PostgreSQL and logged ACCEPT on close.
 */
import net from 'node:net';
import type { NetworkPaths } from './network-paths.ts';
import type { Recorder } from './recorder.ts';

export interface DatabaseEntry {
  readonly workload: string;
  readonly database: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function openDatabaseEntry(options: {
  workload: string;
  database: string;
  databasePort: number;
  /** The PostgreSQL server; connections wait until it is up. */
  upstream: Promise<{ host: string; port: number }>;
  paths: NetworkPaths;
  recorder: Recorder;
}): Promise<DatabaseEntry> {
  const { workload, database, databasePort, upstream, paths, recorder } = options;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    const path = paths.from(workload, { resource: database }, databasePort);
    const base = {
      workload,
      database,
      route: path.route,
      flowRecords: path.flowRecords,
      servicePort: databasePort,
      clientPort: client.remotePort,
    };
    if (!path.reachable) {
      const blockedBy = path.blockedBy
        ? `${path.blockedBy.component} ${path.blockedBy.resource ?? ''}: ${path.blockedBy.reason}`
        : 'no path';
      recorder.recordConnection({
        ...base,
        outcome: 'blocked',
        blockedBy,
        requestBytes: 0,
        responseBytes: 0,
      });
      client.resetAndDestroy();
      return;
    }
    // The client's first bytes wait (paused) until PostgreSQL is up.
    client.pause();
    upstream.then(
      (target) => {
        let sent = 0;
        let received = 0;
        const postgres = net.connect(target.port, target.host);
        sockets.add(postgres);
        postgres.on('close', () => sockets.delete(postgres));
        client.on('data', (chunk: Buffer) => (sent += chunk.length));
        postgres.on('data', (chunk: Buffer) => (received += chunk.length));
        client.pipe(postgres);
        postgres.pipe(client);
        let recorded = false;
        const done = () => {
          if (recorded) return;
          recorded = true;
          client.destroy();
          postgres.destroy();
          recorder.recordConnection({
            ...base,
            outcome: 'allowed',
            requestBytes: sent,
            responseBytes: received,
          });
        };
        client.on('close', done);
        postgres.on('close', done);
        postgres.on('error', () => client.destroy());
        client.resume();
      },
      () => client.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    workload,
    database,
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
