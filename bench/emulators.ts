/**
 * Emulator benchmark (not a timed test): per-operation throughput and latency through real SDK v3
 * clients against the loopback test server (SigV4 verified, classify + handle), and the cost of
 * the two pure steps the gateway adds per request: verifySigV4 and classify.
 *
 *   node --import tsx bench/emulators.ts [--seconds 2] [--concurrency 8]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@aws-crypto/sha256-js';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ServiceRequest } from '../src/emulators/plugin.ts';
import { createEmulators, startEmulators, stopEmulators } from '../src/emulators/registry.ts';
import { verifySigV4 } from '../src/twin/sigv4/verify.ts';
import { serve, testLookup, TEST_CREDENTIALS } from '../test/emulators/serve.ts';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const SECONDS = arg('seconds', 2);
const CONCURRENCY = arg('concurrency', 8);

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

async function loadTest(name: string, op: (i: number) => Promise<unknown>): Promise<void> {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  let counter = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const started = performance.now();
      await op(counter++);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(28)} ${(latencies.length / elapsed).toFixed(0).padStart(7)} req/s   p50 ${percentile(latencies, 0.5).toFixed(2).padStart(7)} ms   p99 ${percentile(latencies, 0.99).toFixed(2).padStart(7)} ms`,
  );
}

function micro(name: string, iterations: number, fn: () => void): void {
  for (let i = 0; i < Math.min(1000, iterations); i++) fn();
  const started = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  const us = ((performance.now() - started) * 1000) / iterations;
  console.log(`${name.padEnd(40)} ${us.toFixed(2).padStart(8)} µs/op`);
}

const dataDir = await mkdtemp(join(tmpdir(), 'securecart-bench-'));
const emulators = createEmulators();
await startEmulators(emulators, dataDir, 'us-east-1', '123456789012');
await emulators.s3.ensureBucket({ name: 'bench' });
await emulators.dynamodb.ensureTable({
  TableName: 'Bench',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
});
await emulators.secretsmanager.ensureSecret({ name: 'bench/secret', secretString: 'value' });
const keyArn = await emulators.kms.ensureKey({ alias: 'alias/bench' });
const served = await serve(emulators.all, { verify: testLookup });
const config = { region: 'us-east-1', endpoint: served.endpoint, credentials: TEST_CREDENTIALS };

console.log(`# pure steps (one core)`);
const signer = new SignatureV4({
  service: 'dynamodb',
  region: 'us-east-1',
  credentials: TEST_CREDENTIALS,
  sha256: Sha256,
});
const body = JSON.stringify({ TableName: 'Bench', Key: { id: { S: 'k1' } } });
// The request both measurements below sign: verified by the twin, and signed again by the SDK's signer.
const signRequest = {
  method: 'POST',
  protocol: 'http:',
  hostname: '127.0.0.1',
  path: '/',
  query: {},
  headers: {
    host: '127.0.0.1',
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.GetItem',
  },
  body,
};
const signed = (await signer.sign(signRequest)) as unknown as { headers: Record<string, string> };
const request: ServiceRequest = {
  method: 'POST',
  url: new URL('http://127.0.0.1/'),
  headers: signed.headers,
  body: Buffer.from(body),
};
micro('verifySigV4 (DynamoDB GetItem)', 20_000, () => {
  if (!verifySigV4(request, testLookup, new Date()).ok) throw new Error('verification failed');
});
{
  // Reference on the same box: what the SDK's own signer spends producing that signature.
  const iterations = 2000;
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await signer.sign(signRequest);
  console.log(
    `${'(reference) @smithy/signature-v4 sign'.padEnd(40)} ${(((performance.now() - started) * 1000) / iterations).toFixed(2).padStart(8)} µs/op`,
  );
}
micro('classify DynamoDB GetItem', 50_000, () => emulators.dynamodb.classify(request));
const s3Request: ServiceRequest = {
  method: 'GET',
  url: new URL('http://127.0.0.1/bench/products/p1.png'),
  headers: { host: '127.0.0.1' },
  body: Buffer.alloc(0),
};
micro('classify S3 GetObject', 50_000, () => emulators.s3.classify(s3Request));
const smRequest: ServiceRequest = {
  ...request,
  headers: { ...request.headers, 'x-amz-target': 'secretsmanager.GetSecretValue' },
  body: Buffer.from('{"SecretId":"bench/secret"}'),
};
micro('classify Secrets Manager GetSecretValue', 50_000, () => emulators.secretsmanager.classify(smRequest));

console.log(
  `\n# through real SDK v3 clients, loopback, SigV4 verified (${CONCURRENCY} in flight, ${SECONDS} s each)`,
);
const s3 = new S3Client({ ...config, forcePathStyle: true });
const ddb = new DynamoDBClient(config);
const sm = new SecretsManagerClient(config);
const kms = new KMSClient(config);
const small = Buffer.alloc(1024, 1);
await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'read', Body: small }));
await ddb.send(new PutItemCommand({ TableName: 'Bench', Item: { id: { S: 'read' } } }));
await loadTest('S3 PutObject 1 KiB', (i) =>
  s3.send(new PutObjectCommand({ Bucket: 'bench', Key: `k${i % 200}`, Body: small })),
);
await loadTest('S3 GetObject 1 KiB', async () =>
  (await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'read' }))).Body?.transformToByteArray(),
);
await loadTest('DynamoDB PutItem', (i) =>
  ddb.send(new PutItemCommand({ TableName: 'Bench', Item: { id: { S: `k${i}` } } })),
);
await loadTest('DynamoDB GetItem', () =>
  ddb.send(new GetItemCommand({ TableName: 'Bench', Key: { id: { S: 'read' } } })),
);
await loadTest('SecretsManager GetSecretValue', () =>
  sm.send(new GetSecretValueCommand({ SecretId: 'bench/secret' })),
);
await loadTest('KMS Encrypt', () =>
  kms.send(new EncryptCommand({ KeyId: keyArn, Plaintext: small.subarray(0, 64) })),
);

for (const client of [s3, ddb, sm, kms]) client.destroy();
await served.close();
await stopEmulators(emulators);
await rm(dataDir, { recursive: true, force: true });
