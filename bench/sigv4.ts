/**
 * SigV4 verification micro-benchmark (not a timed test): µs per `verifySigV4` call for the
 * twin bench's three requests — DynamoDB GetItem, Secrets Manager GetSecretValue, S3 GetObject
 * (path style) — built by the real SDK v3 clients and signed by @smithy/signature-v4 with
 * temporary credentials (session token), as the workloads send them.
 *
 * The same run measures a baseline: the sigv4 folder as it was at a git revision (default: the
 * commit before the speed work), loaded from `git show` into a temp dir. Baseline and current
 * rounds alternate, so load from other processes on the box hits both alike; the ratio is what
 * to read. Before timing, both must accept every request with equal results.
 *
 *   node --import tsx bench/sigv4.ts [--rounds 7] [--iterations 20000] [--baseline <rev>|none]
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ServiceRequest } from '../src/emulators/plugin.ts';
import { verifySigV4, type LookupSecret } from '../src/twin/sigv4/verify.ts';
import { captureRequests, type CapturedRequest } from './twin/captured-request.ts';
import { queryString } from './twin/raw-call.ts';
import type { SdkCall, WorkloadCredentials } from './twin/request-mix.ts';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const ROUNDS = Number(arg('rounds', '7'));
const ITERATIONS = Number(arg('iterations', '20000'));
/** The last commit of src/twin/sigv4 before the speed work. */
const BASELINE = arg('baseline', 'd6978b478fcd22b564e08a8a8ff0fe8c97baf62f');
/** Distinct signed copies per kind (different dates → different signatures and invocation ids). */
const POOL = 32;

const REGION = 'us-east-1';
const ENDPOINT = 'http://127.0.0.1:4566';
const SIGNED_AT = new Date('2026-11-26T06:00:00Z');
const NOW = new Date(SIGNED_AT.getTime() + 60_000);

const credentials: WorkloadCredentials = {
  accessKeyId: 'ASIABENCHSIGV4KEY000',
  secretAccessKey: 'bench/sigv4+secret-access-key-0123456789',
  sessionToken: 'IQoJb3JpZ2luX2VjEBenchSessionToken/with+base64=chars'.repeat(8),
};
const lookup: LookupSecret = (akid) =>
  akid === credentials.accessKeyId
    ? {
        secretAccessKey: credentials.secretAccessKey,
        principalArn: 'arn:aws:sts::123456789012:assumed-role/ProductRole/product-fn',
        accountId: '123456789012',
        sessionToken: credentials.sessionToken,
      }
    : undefined;

type Verify = typeof verifySigV4;

function sdkCalls(handler: Record<string, unknown>): SdkCall[] {
  const common = { region: REGION, endpoint: ENDPOINT, maxAttempts: 1, credentials, requestHandler: handler };
  const ddb = new DynamoDBClient(common);
  const sm = new SecretsManagerClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  return [
    {
      name: 'dynamodb:GetItem',
      send: () =>
        ddb.send(new GetItemCommand({ TableName: 'SecureCart-Products', Key: { productId: { S: 'p-mug' } } })),
      signingEscapePath: ddb.config.signingEscapePath,
      credentials,
    },
    {
      name: 'secretsmanager:GetSecretValue',
      send: () =>
        sm.send(
          new GetSecretValueCommand({
            SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ProviderKey-AbCdEf',
          }),
        ),
      signingEscapePath: sm.config.signingEscapePath,
      credentials,
    },
    {
      name: 's3:GetObject',
      send: () => s3.send(new GetObjectCommand({ Bucket: 'securecart-images', Key: 'images/p-mug.png' })),
      signingEscapePath: s3.config.signingEscapePath,
      credentials,
    },
  ];
}

/** The captured request re-signed at `date`, as the gateway's HTTP server would hand it over. */
async function signedAt(captured: CapturedRequest, date: Date): Promise<ServiceRequest> {
  const { template, signer } = captured;
  const signed = await signer.sign(
    { ...template, headers: { ...template.headers } },
    { signingDate: date, signingRegion: captured.region, signingService: captured.service },
  );
  // node:http lower-cases header names and the client adds its connection header.
  const headers: Record<string, string> = { connection: 'keep-alive' };
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  const port = template.port === undefined ? '' : `:${template.port}`;
  return {
    method: template.method,
    url: new URL(`${template.path}${queryString(template.query)}`, `http://${template.hostname}${port}`),
    headers,
    body: template.body ?? Buffer.alloc(0),
  };
}

/** The sigv4 folder at `rev`, written to a temp dir and imported; undefined without git. */
async function loadBaseline(rev: string): Promise<Verify | undefined> {
  if (rev === 'none') return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'sigv4-baseline-'));
  try {
    const files = execFileSync('git', ['ls-tree', '--name-only', `${rev}:src/twin/sigv4`], {
      encoding: 'utf8',
    })
      .split('\n')
      .filter((name) => name.endsWith('.ts'));
    for (const name of files) {
      const source = execFileSync('git', ['show', `${rev}:src/twin/sigv4/${name}`], { encoding: 'utf8' });
      writeFileSync(join(dir, name), source);
    }
    const module = (await import(pathToFileURL(join(dir, 'verify.ts')).href)) as { verifySigV4: Verify };
    return module.verifySigV4;
  } catch (error) {
    console.log(`baseline ${rev} unavailable (${String(error).split('\n')[0]}): current code only`);
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** µs per verification over `ITERATIONS` calls cycling through `pool`. */
function timeOne(verify: Verify, pool: readonly ServiceRequest[]): number {
  let accepted = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) {
    if (verify(pool[i % pool.length], lookup, NOW, { region: REGION }).ok) accepted++;
  }
  const ns = Number(process.hrtime.bigint() - started);
  if (accepted !== ITERATIONS) throw new Error(`bench: ${ITERATIONS - accepted} verifications failed`);
  return ns / 1000 / ITERATIONS;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const captured = await captureRequests(sdkCalls);
const pools = new Map<string, ServiceRequest[]>();
for (const call of captured) {
  const pool: ServiceRequest[] = [];
  for (let i = 0; i < POOL; i++) pool.push(await signedAt(call, new Date(SIGNED_AT.getTime() + i * 1000)));
  pools.set(call.name, pool);
}
// The mix: the three kinds interleaved, as the twin bench sends them.
const mix: ServiceRequest[] = [];
for (let i = 0; i < POOL; i++) for (const pool of pools.values()) mix.push(pool[i]);
pools.set('mix (total)', mix);

const baseline = await loadBaseline(BASELINE);

// Both must accept every request, with the same result.
for (const request of mix) {
  const current = verifySigV4(request, lookup, NOW, { region: REGION });
  assert.ok(current.ok, current.ok ? '' : `${current.code}: ${current.message}`);
  if (baseline) assert.deepStrictEqual(current, baseline(request, lookup, NOW, { region: REGION }));
}

const sample = pools.get('s3:GetObject')?.[0];
console.log(
  `sigv4 bench: ${ROUNDS} rounds × ${ITERATIONS} verifications per kind, Node ${process.version}` +
    (baseline ? `, baseline ${BASELINE.slice(0, 12)}` : ''),
);
console.log(`S3 request as verified: ${sample?.method} ${sample?.url.pathname}${sample?.url.search}`);
console.log(
  `  signed headers: ${/SignedHeaders=([^,]+)/.exec(sample?.headers.authorization ?? '')?.[1] ?? '?'}`,
);
console.log(`  x-amz-content-sha256: ${sample?.headers['x-amz-content-sha256'] ?? '(none)'}`);

const header = `${'request'.padEnd(32)}${'baseline µs'.padStart(13)}${'current µs'.padStart(13)}${'ratio'.padStart(8)}`;
console.log(header);
for (const [name, pool] of pools) {
  const base: number[] = [];
  const now: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so neither always runs on a warmer or quieter box.
    if (baseline && round % 2 === 0) base.push(timeOne(baseline, pool));
    now.push(timeOne(verifySigV4, pool));
    if (baseline && round % 2 === 1) base.push(timeOne(baseline, pool));
  }
  const b = baseline ? median(base) : NaN;
  const c = median(now);
  console.log(
    `${name.padEnd(32)}${(baseline ? b.toFixed(2) : '-').padStart(13)}${c.toFixed(2).padStart(13)}${(baseline ? (c / b).toFixed(2) : '-').padStart(8)}`,
  );
}
