/**
 * Demo data for an empty data directory, from `fixtures/seed/` (format in fixtures/seed/README.md):
 * `products.json` → the table keyed by `productId`, the image files they name → the bucket the
 * product service reads (its BUCKET_NAME), `customers.json` → the `customers` table of the
 * PostgreSQL database. Seeded once: a marker file records it.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import pg from 'pg';
import type { Template } from '../cloudformation/types.ts';
import type { Model } from '../model/index.ts';
import type { Emulators } from '../emulators/registry.ts';
import type { DatabasePlan } from './boot.ts';
import { bootCaller } from './boot.ts';
import { callJson, sendInternal } from './internal-request.ts';

export const SEED_MARKER = 'seeded.json';

export interface SeedReport {
  readonly products: number;
  readonly images: number;
  customers: number;
  readonly skipped: string[];
}

interface SeedProduct {
  readonly productId: string;
  readonly imageKey?: string;
  readonly [field: string]: unknown;
}

interface SeedCustomer {
  readonly customerId: string;
  readonly name: string;
  readonly email: string;
}

function readJson<T>(file: string): T | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
}

/** DynamoDB's JSON for a plain value (strings, numbers, booleans, lists and maps). */
export function toAttributeValue(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null || value === undefined) return { NULL: true };
  if (Array.isArray(value)) return { L: value.map(toAttributeValue) };
  return {
    M: Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toAttributeValue(v)]),
    ),
  };
}

/** True when the data dir has never been seeded and there is something to seed. */
export function needsSeeding(seedDir: string, dataDir: string): boolean {
  return existsSync(seedDir) && !existsSync(join(dataDir, SEED_MARKER));
}

export function markSeeded(dataDir: string, seedDir: string, report: SeedReport): void {
  writeFileSync(
    join(dataDir, SEED_MARKER),
    JSON.stringify({ seededAt: new Date().toISOString(), from: seedDir, ...report }, null, 2),
  );
}

/** Products into their table and their images into the bucket. */
export async function seedCatalog(
  seedDir: string,
  template: Template,
  model: Model,
  emulators: Emulators,
): Promise<{ products: number; images: number; skipped: string[] }> {
  const caller = bootCaller(model.accountId);
  const skipped: string[] = [];
  let products = 0;
  let images = 0;

  const productList = readJson<SeedProduct[]>(join(seedDir, 'products.json')) ?? [];
  const productsTable = [...model.tables.values()].find((table) => {
    const schema = template.resources[table.logicalId]?.properties.KeySchema;
    return (
      Array.isArray(schema) &&
      schema.some((k) => (k as { AttributeName?: string }).AttributeName === 'productId')
    );
  });
  const bucketName = [...model.functions.values()]
    .map((fn) => fn.environment.BUCKET_NAME)
    .find((v) => typeof v === 'string');

  if (productList.length > 0 && !productsTable) skipped.push('products: no table keyed by productId');
  for (const product of productsTable ? productList : []) {
    if (!productsTable) break;
    const item = Object.fromEntries(Object.entries(product).map(([k, v]) => [k, toAttributeValue(v)]));
    await callJson(
      emulators.dynamodb,
      caller,
      'DynamoDB_20120810.PutItem',
      { TableName: productsTable.name, Item: item },
      `dynamodb.${model.region}.amazonaws.com`,
      '1.0',
    );
    products++;
    if (!product.imageKey) continue;
    const file = [join(seedDir, product.imageKey), join(seedDir, 'images', basename(product.imageKey))].find(
      (f) => existsSync(f),
    );
    if (!file || typeof bucketName !== 'string') {
      skipped.push(`image ${product.imageKey}: ${file ? 'no bucket (BUCKET_NAME)' : 'file not found'}`);
      continue;
    }
    const bytes = readFileSync(file);
    const reply = await sendInternal(emulators.s3, caller, {
      method: 'PUT',
      url: `https://s3.${model.region}.amazonaws.com/${bucketName}/${product.imageKey.split('/').map(encodeURIComponent).join('/')}`,
      headers: {
        'content-type': /\.png$/i.test(file) ? 'image/png' : 'image/jpeg',
        'content-length': String(bytes.length),
      },
      body: bytes,
    });
    if (reply.status !== 200)
      throw new Error(`seeding ${product.imageKey} failed: ${reply.body.toString('utf8')}`);
    images++;
  }
  return { products, images, skipped };
}

/** Customers into the `customers` table of the PostgreSQL database. */
export async function seedCustomers(
  seedDir: string,
  database: { plan: DatabasePlan; host: string; port: number } | undefined,
  skipped: string[],
): Promise<number> {
  let customers = 0;
  const customerList = readJson<SeedCustomer[]>(join(seedDir, 'customers.json')) ?? [];
  if (customerList.length > 0 && !database) skipped.push('customers: no PostgreSQL database in the template');
  if (customerList.length > 0 && database) {
    const client = new pg.Client({
      host: database.host,
      port: database.port,
      user: database.plan.username,
      password: database.plan.password,
      database: database.plan.dbName,
    });
    await client.connect();
    try {
      // The same table the database service creates on first use (services/database/customers.ts).
      await client.query(`CREATE TABLE IF NOT EXISTS customers (
        customer_id text PRIMARY KEY, name text NOT NULL, email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now())`);
      for (const c of customerList) {
        await client.query(
          'INSERT INTO customers (customer_id, name, email) VALUES ($1, $2, $3) ON CONFLICT (customer_id) DO NOTHING',
          [c.customerId, c.name, c.email],
        );
        customers++;
      }
    } finally {
      await client.end();
    }
  }
  return customers;
}
