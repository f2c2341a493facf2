import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { connectionConfig } from '../../services/database/connection.ts';
import { sqlCustomerStore, type Queryable } from '../../services/database/customers.ts';
import { routeCustomerRequest } from '../../services/database/routes.ts';

const secret = JSON.stringify({
  username: 'securecart',
  password: 'pw',
  host: 'db.internal',
  port: 5432,
  dbname: 'securecart',
  engine: 'postgres',
});

describe('connectionConfig', () => {
  test('user, password, host, port and database from the RDS secret; TLS verified by default', () => {
    assert.deepEqual(connectionConfig(secret, {}), {
      host: 'db.internal',
      port: 5432,
      database: 'securecart',
      user: 'securecart',
      password: 'pw',
      ssl: { rejectUnauthorized: true, servername: 'db.internal' },
      connectionTimeoutMillis: 5000,
    });
  });

  test('DB_HOST, DB_PORT, DB_NAME override the secret; DB_SSL=disable turns TLS off', () => {
    const config = connectionConfig(secret, {
      DB_HOST: '127.0.0.1',
      DB_PORT: '15432',
      DB_NAME: 'local',
      DB_SSL: 'disable',
    });
    assert.deepEqual(
      [config.host, config.port, config.database, config.ssl],
      ['127.0.0.1', 15432, 'local', false],
    );
  });

  const bad: [string, string, Record<string, string>, RegExp][] = [
    ['a secret that is not JSON', 'nope', {}, /JSON/],
    ['a secret without password', JSON.stringify({ username: 'u' }), {}, /"username" and "password"/],
    ['no host anywhere', JSON.stringify({ username: 'u', password: 'p' }), {}, /no database host/],
    ['an invalid port', secret, { DB_PORT: '99999' }, /invalid database port/],
  ];
  for (const [name, text, env, error] of bad) {
    test(`rejects ${name}`, () => assert.throws(() => connectionConfig(text, env), error));
  }
});

describe('customers in PostgreSQL (PGlite: real SQL, in-process)', async () => {
  const db = new PGlite();
  after(() => db.close());
  let connects = 0;
  const store = sqlCustomerStore(async () => {
    connects += 1;
    return db as unknown as Queryable;
  });

  test('the table is created on first use and a missing customer is undefined', async () => {
    assert.equal(await store.find('cust-1'), undefined);
    const { rows } = await db.query("SELECT to_regclass('public.customers') AS t");
    assert.deepEqual(rows, [{ t: 'customers' }]);
  });

  test('an existing customer is returned in API shape; connecting happens once', async () => {
    await db.query('INSERT INTO customers (customer_id, name, email) VALUES ($1, $2, $3)', [
      'cust-1',
      'Ada',
      'ada@example.com',
    ]);
    assert.deepEqual(await store.find('cust-1'), {
      customerId: 'cust-1',
      name: 'Ada',
      email: 'ada@example.com',
    });
    assert.equal(connects, 1);
  });

  test('the id is a bound parameter, not SQL', async () => {
    assert.equal(await store.find("x' OR '1'='1"), undefined);
  });

  test('a failed query drops the connection so the next call reconnects', async () => {
    let calls = 0;
    const flaky: Queryable = {
      query: async (text) => {
        calls += 1;
        if (text.startsWith('SELECT') && calls === 2) throw new Error('connection terminated');
        return { rows: [] };
      },
    };
    let opened = 0;
    const flakyStore = sqlCustomerStore(async () => ((opened += 1), flaky));
    await assert.rejects(flakyStore.find('c'), /terminated/);
    assert.equal(await flakyStore.find('c'), undefined);
    assert.equal(opened, 2);
  });
});

describe('GET /customers/{id}', () => {
  const store = {
    find: async (id: string) =>
      id === 'cust-1' ? { customerId: 'cust-1', name: 'Ada', email: 'ada@example.com' } : undefined,
  };
  const event = (id: string | undefined, overrides: Record<string, unknown> = {}) => ({
    httpMethod: 'GET',
    resource: '/customers/{id}',
    pathParameters: id === undefined ? null : { id },
    ...overrides,
  });

  const cases: [string, ReturnType<typeof event>, number][] = [
    ['an existing customer', event('cust-1'), 200],
    ['an unknown customer', event('cust-2'), 404],
    ['an invalid id', event('cust 1'), 400],
    ['no id', event(undefined), 400],
    ['POST', event('cust-1', { httpMethod: 'POST' }), 405],
    ['another resource', event('cust-1', { resource: '/accounts/{id}' }), 404],
  ];
  for (const [name, request, status] of cases) {
    test(`${name}: ${status}`, async () => {
      const result = await routeCustomerRequest(request, store);
      assert.equal(result.statusCode, status);
      if (status === 200)
        assert.deepEqual(JSON.parse(result.body), {
          customerId: 'cust-1',
          name: 'Ada',
          email: 'ada@example.com',
        });
    });
  }
});
