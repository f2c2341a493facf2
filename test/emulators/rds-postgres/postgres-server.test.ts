import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import pg from 'pg';
import { startPostgres, type RunningPostgres } from '../../../src/emulators/rds-postgres/index.ts';

const credentials = {
  username: 'securecart_admin',
  password: 'S3cret-from-secrets-manager',
  dbName: 'securecart',
};

function client(server: RunningPostgres, overrides: Partial<pg.ClientConfig> = {}) {
  return new pg.Client({
    host: server.host,
    port: server.port,
    user: credentials.username,
    password: credentials.password,
    database: credentials.dbName,
    ...overrides,
  });
}

async function refusal(server: RunningPostgres, overrides: Partial<pg.ClientConfig>) {
  const c = client(server, overrides);
  try {
    await c.connect();
  } catch (error) {
    return error as { code?: string; message: string };
  } finally {
    await c.end().catch(() => undefined);
  }
  assert.fail('connection was accepted');
}

describe('RDS PostgreSQL emulator (PGlite over the wire protocol)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'securecart-rds-'));
  const pristineCacheFile = join(dataDir, 'cache', 'pristine.tar.gz');
  let server: RunningPostgres;

  before(async () => {
    server = await startPostgres({
      dataDir,
      dbLogicalId: 'OrdersDb',
      ...credentials,
      port: 0,
      pristineCacheFile,
    });
  });
  after(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts the real pg client with the secret credentials, as that user and database', async () => {
    const c = client(server);
    await c.connect();
    try {
      const { rows } = await c.query(
        'select current_user as "user", current_database() as db, $1::int + 1 as n',
        [41],
      );
      assert.deepEqual(rows, [{ user: 'securecart_admin', db: 'securecart', n: 42 }]);
    } finally {
      await c.end();
    }
    assert.equal(server.dir, join(dataDir, 'rds', 'OrdersDb'));
  });

  const refusals: Array<[string, Partial<pg.ClientConfig>, string, RegExp]> = [
    [
      'a wrong password',
      { password: 'guess' },
      '28P01',
      /password authentication failed for user "securecart_admin"/,
    ],
    ['an unknown user', { user: 'mallory' }, '28P01', /password authentication failed for user "mallory"/],
    ['another database', { database: 'postgres' }, '3D000', /database "postgres" does not exist/],
  ];
  for (const [what, overrides, code, message] of refusals) {
    it(`refuses ${what} with SQLSTATE ${code}`, async () => {
      const error = await refusal(server, overrides);
      assert.equal(error.code, code);
      assert.match(error.message, message);
    });
  }

  it('ends a connection that does not speak the protocol with FATAL 08P01', async () => {
    const socket = connect(server.port, server.host);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => socket.on('close', resolve));
    const reply = Buffer.concat(chunks);
    assert.equal(String.fromCharCode(reply[0]), 'E');
    assert.match(reply.toString('latin1'), /C08P01\0/);
  });

  it('lets connections take turns: a transaction is isolated until it commits', async () => {
    const a = client(server);
    const b = client(server);
    await a.connect();
    await b.connect();
    try {
      await a.query('create table if not exists turns (id int primary key)');
      await a.query('begin');
      await a.query('insert into turns values (1)');
      // b's query waits for a's transaction to end, then sees its committed row.
      const seenByB = b.query('select count(*)::int as n from turns');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await a.query('commit');
      assert.deepEqual((await seenByB).rows, [{ n: 1 }]);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('keeps named prepared statements of two connections apart', async () => {
    const a = client(server);
    const b = client(server);
    await a.connect();
    await b.connect();
    try {
      const one = await a.query({ name: 'pick', text: 'select 1 as v' });
      const two = await b.query({ name: 'pick', text: 'select 2 as v' });
      const oneAgain = await a.query({ name: 'pick', text: 'select 1 as v' });
      assert.deepEqual([one.rows, two.rows, oneAgain.rows], [[{ v: 1 }], [{ v: 2 }], [{ v: 1 }]]);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it('rolls back what a vanished client left open, so the next one is not blocked', async () => {
    const a = client(server);
    await a.connect();
    await a.query('create table if not exists abandoned (id int)');
    await a.query('begin');
    await a.query('insert into abandoned values (1)');
    a.on('error', () => undefined); // pg reports the connection we cut ourselves
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const b = client(server);
    await b.connect();
    try {
      assert.deepEqual((await b.query('select count(*)::int as n from abandoned')).rows, [{ n: 0 }]);
    } finally {
      await b.end();
    }
  });

  it('keeps data across stop and start', async () => {
    const c = client(server);
    await c.connect();
    await c.query('create table customers (id text primary key, name text)');
    await c.query("insert into customers values ('c-1', 'Ada')");
    await c.end();
    await server.stop();
    server = await startPostgres({
      dataDir,
      dbLogicalId: 'OrdersDb',
      ...credentials,
      port: 0,
      pristineCacheFile,
    });
    const again = client(server);
    await again.connect();
    try {
      assert.deepEqual((await again.query('select name from customers')).rows, [{ name: 'Ada' }]);
    } finally {
      await again.end();
    }
  });

  it('starts a second, separate instance from the pristine cluster cache', async () => {
    assert.ok(existsSync(pristineCacheFile), 'the first start cached its pristine cluster');
    const other = await startPostgres({
      dataDir,
      dbLogicalId: 'ReportsDb',
      dbName: 'reports',
      username: 'postgres',
      password: 'other-secret',
      pristineCacheFile,
    });
    const c = new pg.Client({
      host: other.host,
      port: other.port,
      user: 'postgres',
      password: 'other-secret',
      database: 'reports',
    });
    try {
      await c.connect();
      const { rows } = await c.query("select current_database() as db, to_regclass('customers') as t");
      assert.deepEqual(rows, [{ db: 'reports', t: null }]);
    } finally {
      await c.end();
      await other.stop();
    }
  });
});
