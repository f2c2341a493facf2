/**
 * The scripted demo (`securecart up --demo`): the seed's use cases and its threats, each through
 * REAL AWS SDK v3 clients acting as a workload (its entry + its credentials from twin.json) or
 * as the internet, compared with what AWS would do. Exit 0 only if every outcome matches.
 */
import http from 'node:http';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { Twin } from './twin.ts';
import type { TwinState, TwinWorkloadState } from './twin-state.ts';
import type { RequestRecord } from './recorder.ts';

export interface Expectation {
  /** allowed | denied (IAM) | blocked (network reset) | refused (SigV4 / API Gateway gate). */
  readonly outcome: string;
  readonly route?: string;
  readonly endpoint?: string | null;
  readonly code?: string;
}

export interface DemoRow {
  readonly step: string;
  readonly expected: Expectation;
  readonly actual: Expectation & { detail: string };
  readonly ok: boolean;
}

/** Finds the SecureCart workloads by the environment their services read (not by logical id). */
export interface DemoCast {
  readonly product: string;
  readonly order: string;
  readonly payment: string;
  readonly database: string;
  readonly publicApi: string;
  readonly privateApi: string;
}

function pick(state: TwinState, test: (w: TwinWorkloadState, id: string) => boolean, what: string): string {
  const found = Object.entries(state.workloads).find(([id, w]) => test(w, id));
  if (!found) throw new Error(`demo: no workload for ${what} in twin.json`);
  return found[0];
}

export function castOf(state: TwinState): DemoCast {
  return {
    product: pick(state, (w) => w.environment.BUCKET_NAME !== undefined, 'the product service (BUCKET_NAME)'),
    order: pick(
      state,
      (w) => w.environment.PRIVATE_API_URL !== undefined,
      'the order service (PRIVATE_API_URL)',
    ),
    payment: pick(
      state,
      (w) => w.environment.SECRET_ARN !== undefined && w.environment.DB_HOST === undefined,
      'the payment service',
    ),
    database: pick(state, (w) => w.environment.DB_HOST !== undefined, 'the database service (DB_HOST)'),
    publicApi: Object.keys(state.apis).find((id) => !state.apis[id].private) ?? '',
    privateApi: Object.keys(state.apis).find((id) => state.apis[id].private) ?? '',
  };
}

function credentialsOf(w: TwinWorkloadState) {
  return { accessKeyId: w.accessKeyId, secretAccessKey: w.secretAccessKey, sessionToken: w.sessionToken };
}

/** SDK client settings that act as workload `w`, sent to an entry (its own unless given). */
function clientAs(w: TwinWorkloadState, region: string, endpoint = w.endpoint) {
  return { maxAttempts: 1, region, endpoint, credentials: credentialsOf(w) };
}

/** A SigV4-signed call to an API Gateway host, sent to a gateway entry (as the worker's fetch redirect does). */
export async function signedApiCall(
  entry: string,
  url: string,
  method: string,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: Sha256 });
  const headers: Record<string, string> = { host: target.host, accept: 'application/json' };
  if (payload) headers['content-type'] = 'application/json';
  const signed = await signer.sign({
    method,
    protocol: 'https:',
    hostname: target.hostname,
    path: target.pathname,
    query: {},
    headers,
    body: payload,
  });
  const to = new URL(entry);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: to.hostname, port: to.port, method, path: target.pathname, headers: signed.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function errorCode(error: unknown): string {
  const e = error as { name?: string; code?: string; Code?: string; $metadata?: unknown };
  if (e.code === 'ECONNRESET' || /socket hang up|ECONNRESET/i.test(String((error as Error).message)))
    return 'ECONNRESET';
  return e.Code ?? e.name ?? e.code ?? 'Error';
}

export async function runDemo(twin: Twin): Promise<DemoRow[]> {
  const { state } = twin;
  const cast = castOf(state);
  const region = state.region;
  const w = (id: string) => state.workloads[id];
  const records: RequestRecord[] = [];
  twin.recorder.onRecord((record) => records.push(record));
  const endpointOf = (service: string) =>
    [...twin.model.vpcEndpoints.values()].find((e) => e.service === service)?.physicalId ?? null;

  const rows: DemoRow[] = [];
  const step = async (name: string, expected: Expectation, action: () => Promise<string>) => {
    const before = records.length;
    let detail: string;
    let thrown: string | undefined;
    try {
      detail = await action();
    } catch (error) {
      thrown = errorCode(error);
      detail = `${thrown}: ${(error as Error).message}`.slice(0, 160);
    }
    // The gateway's record of the step's own request: it finishes last (nested calls of the
    // Lambda functions behind an API finish before it).
    const record = records.slice(before).at(-1);
    const actual = {
      outcome: record?.outcome ?? (thrown ? 'failed' : 'unknown'),
      route: record?.route,
      endpoint: record?.endpointId ?? null,
      code: thrown ?? record?.errorCode,
      detail:
        record && record.outcome !== 'allowed' && record.errorMessage
          ? `${detail} — ${record.errorMessage}`
          : detail,
    };
    const ok =
      actual.outcome === expected.outcome &&
      (expected.route === undefined || actual.route === expected.route) &&
      (expected.endpoint === undefined || actual.endpoint === expected.endpoint) &&
      (expected.code === undefined || actual.code === expected.code);
    rows.push({ step: name, expected, actual, ok });
  };

  const product = w(cast.product);
  const order = w(cast.order);
  const payment = w(cast.payment);
  const database = w(cast.database);
  const publicApi = state.apis[cast.publicApi];
  const privateApi = state.apis[cast.privateApi];

  await step(
    'product service reads an image from S3',
    { outcome: 'allowed', route: 'gateway-endpoint', endpoint: endpointOf('s3') },
    async () => {
      const s3 = new S3Client({ ...clientAs(product, region), forcePathStyle: true });
      const out = await s3.send(
        new GetObjectCommand({ Bucket: product.environment.BUCKET_NAME, Key: 'images/p-mug.png' }),
      );
      const bytes = await out.Body?.transformToByteArray();
      return `${bytes?.length ?? 0} bytes, ${out.ContentType ?? '?'}`;
    },
  );

  await step(
    'order service writes an order to DynamoDB',
    { outcome: 'allowed', route: 'gateway-endpoint', endpoint: endpointOf('dynamodb') },
    async () => {
      const ddb = new DynamoDBClient(clientAs(order, region));
      const orderId = `demo-${Date.now()}`;
      await ddb.send(
        new PutItemCommand({
          TableName: order.environment.TABLE_NAME,
          Item: { orderId: { S: orderId }, status: { S: 'DEMO' } },
        }),
      );
      const back = await ddb.send(
        new GetItemCommand({ TableName: order.environment.TABLE_NAME, Key: { orderId: { S: orderId } } }),
      );
      return `order ${orderId} written and read back (${back.Item ? 'found' : 'missing'})`;
    },
  );

  await step(
    'payment service reads the provider API key',
    { outcome: 'allowed', route: 'interface-endpoint', endpoint: endpointOf('secretsmanager') },
    async () => {
      const sm = new SecretsManagerClient(clientAs(payment, region));
      const out = await sm.send(new GetSecretValueCommand({ SecretId: payment.environment.SECRET_ARN }));
      return `key of ${out.SecretString?.length ?? 0} characters`;
    },
  );

  await step(
    'database service loads the DB credentials',
    { outcome: 'allowed', route: 'interface-endpoint', endpoint: endpointOf('secretsmanager') },
    async () => {
      const sm = new SecretsManagerClient(clientAs(database, region));
      const out = await sm.send(new GetSecretValueCommand({ SecretId: database.environment.SECRET_ARN }));
      const secret = JSON.parse(out.SecretString ?? '{}') as Record<string, unknown>;
      return `user ${String(secret.username)} at ${String(secret.host)}:${String(secret.port)}`;
    },
  );

  await step(
    'order service reads a customer via the private API (→ database service → PostgreSQL)',
    { outcome: 'allowed', route: 'interface-endpoint', endpoint: endpointOf('execute-api') },
    async () => {
      const reply = await signedApiCall(
        order.endpoint,
        `${privateApi.invokeUrl}customers/cust-ada`,
        'GET',
        region,
        credentialsOf(order),
      );
      if (reply.status !== 200)
        throw Object.assign(new Error(`HTTP ${reply.status}: ${reply.text}`), {
          name: `HTTP${reply.status}`,
        });
      return reply.text;
    },
  );

  await step(
    'storefront lists products on the public API',
    { outcome: 'allowed', route: 'internet' },
    async () => {
      const res = await fetch(`${publicApi.url}products`);
      const body = (await res.json()) as { products?: unknown[] };
      if (res.status !== 200)
        throw Object.assign(new Error(`HTTP ${res.status}`), { name: `HTTP${res.status}` });
      return `${body.products?.length ?? 0} products`;
    },
  );

  await step(
    'storefront places an order (order → private API → payment → Secrets Manager)',
    { outcome: 'allowed', route: 'internet' },
    async () => {
      const res = await fetch(`${publicApi.url}orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          orderId: `web-${Date.now()}`,
          customerId: 'cust-grace',
          items: [{ productId: 'p-mug', quantity: 2 }],
        }),
      });
      const text = await res.text();
      if (res.status !== 201 && res.status !== 200)
        throw Object.assign(new Error(`HTTP ${res.status}: ${text}`), { name: `HTTP${res.status}` });
      return text.slice(0, 120);
    },
  );

  await step(
    "THREAT: product service's credentials used from the internet → S3",
    { outcome: 'denied', route: 'internet', code: 'AccessDenied' },
    async () => {
      const s3 = new S3Client({
        ...clientAs(product, region, state.internet.endpoint),
        forcePathStyle: true,
      });
      await s3.send(
        new GetObjectCommand({ Bucket: product.environment.BUCKET_NAME, Key: 'images/p-mug.png' }),
      );
      return 'read the image (should not have)';
    },
  );

  await step(
    'THREAT: product service asks for the payment API key',
    { outcome: 'blocked', code: 'ECONNRESET' },
    async () => {
      const sm = new SecretsManagerClient(clientAs(product, region));
      await sm.send(new GetSecretValueCommand({ SecretId: payment.environment.SECRET_ARN }));
      return 'read the key (should not have)';
    },
  );

  await step(
    'THREAT: product service reaches for a service with no endpoint (STS: whose keys are these?)',
    { outcome: 'blocked', code: 'ECONNRESET' },
    async () => {
      const sts = new STSClient(clientAs(product, region));
      const who = await sts.send(new GetCallerIdentityCommand({}));
      return `reached STS as ${who.Arn ?? '?'} (should not have: isolated subnet)`;
    },
  );

  await step(
    'THREAT: the private API called from the internet',
    { outcome: 'refused', route: 'internet', code: 'ForbiddenException' },
    async () => {
      const res = await fetch(`${privateApi.url}customers/cust-ada`);
      const text = await res.text();
      return `HTTP ${res.status}: ${text}`;
    },
  );

  await step(
    'THREAT: a request with a forged signature',
    { outcome: 'refused', code: 'SignatureDoesNotMatch' },
    async () => {
      const forged = { ...product, secretAccessKey: 'forged-forged-forged-forged-forged-forged' };
      const s3 = new S3Client({ ...clientAs(forged, region), forcePathStyle: true });
      await s3.send(
        new GetObjectCommand({ Bucket: product.environment.BUCKET_NAME, Key: 'images/p-mug.png' }),
      );
      return 'accepted (should not have)';
    },
  );
  return rows;
}
