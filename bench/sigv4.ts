/**
 * SigV4 verification micro-benchmark (not a timed test): µs per `verifySigV4` call for the
 * twin bench's three requests — DynamoDB GetItem, Secrets Manager GetSecretValue, S3 GetObject
 * (path style) — built by the real SDK v3 clients and signed by @smithy/signature-v4 with
 * temporary credentials (session token), as the workloads send them.
 *
 * The same run measures a baseline: the sigv4 folder as it was at a git revision (default: the
 * commit before the speed work), loaded from `git show` into a temp dir. Baseline and current
 * rounds alternate, back to back, so load from other processes on the box hits both alike; the
 * ratio (median of the per-round ratios) is what to read — the µs move with the box's load. After
 * the whole verification, its steps (the exported pieces) are timed the same way, one idea each.
 * Before timing, both must accept every request with equal results. `--baseline HEAD` with no
 * local change is an A/A run: its ratios (0.9–1.0 on this shared 2-core box) are the noise floor.
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
import * as canonicalNow from '../src/twin/sigv4/canonical.ts';
import * as signingKeyNow from '../src/twin/sigv4/signing-key.ts';
import { parseAmzDate, parseCredential, verifySigV4, type LookupSecret } from '../src/twin/sigv4/verify.ts';
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
  // Shaped like the twin's own session tokens (src/twin/credentials.ts): 104 characters.
  sessionToken: `IQoJb3JpZ2luX2Vj${Buffer.alloc(64, 'bench-session-token/').toString('base64')}`,
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

/** The baseline's modules, typed by what the bench calls (their signatures then). */
interface Baseline {
  readonly verifySigV4: Verify;
  readonly parseAmzDate: (value: string) => number | undefined;
  readonly canonical: {
    parseQuery: typeof canonicalNow.parseQuery;
    canonicalQuery: typeof canonicalNow.canonicalQuery;
    canonicalPath: typeof canonicalNow.canonicalPath;
    canonicalHeaders: typeof canonicalNow.canonicalHeaders;
  };
  readonly keys: {
    hmac: (key: Buffer | string, data: string) => Buffer;
    /** A Buffer then; `{ bytes }` in revisions of the speed work itself. */
    signingKey: (secret: string, date: string, region: string, service: string) => Buffer | { bytes: Buffer };
  };
}

function sdkCalls(handler: Record<string, unknown>): SdkCall[] {
  const common = { region: REGION, endpoint: ENDPOINT, maxAttempts: 1, credentials, requestHandler: handler };
  const ddb = new DynamoDBClient(common);
  const sm = new SecretsManagerClient(common);
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  return [
    {
      name: 'dynamodb:GetItem',
      send: () =>
        ddb.send(
          new GetItemCommand({ TableName: 'SecureCart-Products', Key: { productId: { S: 'p-mug' } } }),
        ),
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
async function loadBaseline(rev: string): Promise<Baseline | undefined> {
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
    const load = (name: string): Promise<unknown> => import(pathToFileURL(join(dir, name)).href);
    const verify = (await load('verify.ts')) as Pick<Baseline, 'verifySigV4' | 'parseAmzDate'>;
    return {
      verifySigV4: verify.verifySigV4,
      parseAmzDate: verify.parseAmzDate,
      canonical: (await load('canonical.ts')) as Baseline['canonical'],
      keys: (await load('signing-key.ts')) as Baseline['keys'],
    };
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

/** µs per call of one step over `ITERATIONS` calls (the result is kept so nothing is elided). */
function timeStep(step: () => unknown): number {
  let kept = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) if (step() !== undefined) kept++;
  const ns = Number(process.hrtime.bigint() - started);
  if (kept < 0) throw new Error('unreachable');
  return ns / 1000 / ITERATIONS;
}

interface Comparison {
  readonly baseline: number;
  readonly current: number;
  /** Median of the per-round ratios current ÷ baseline (each pair ran back to back). */
  readonly ratio: number;
}

/** Baseline and current medians, alternating which runs first each round. */
function compare(baseline: (() => number) | undefined, current: () => number): Comparison {
  const base: number[] = [];
  const now: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (baseline && round % 2 === 0) base.push(baseline());
    now.push(current());
    if (baseline && round % 2 === 1) base.push(baseline());
  }
  return {
    baseline: baseline ? median(base) : NaN,
    current: median(now),
    ratio: baseline ? median(now.map((value, round) => value / base[round])) : NaN,
  };
}

function row(name: string, { baseline, current, ratio }: Comparison): string {
  const known = !Number.isNaN(baseline);
  return `${name.padEnd(46)}${(known ? baseline.toFixed(2) : '-').padStart(13)}${current.toFixed(2).padStart(13)}${(known ? ratio.toFixed(2) : '-').padStart(8)}`;
}

/** The credential parse as the baseline did it (private there): split, then destructure. */
function splitCredential(credential: string): readonly string[] | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts.includes('')) return undefined;
  const [accessKeyId, date, region, service, terminator] = parts;
  return terminator === 'aws4_request' ? [accessKeyId, date, region, service] : undefined;
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
  if (baseline)
    assert.deepStrictEqual(current, baseline.verifySigV4(request, lookup, NOW, { region: REGION }));
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

const header = `${'µs per call'.padEnd(46)}${'baseline'.padStart(13)}${'current'.padStart(13)}${'ratio'.padStart(8)}`;
console.log(`\nverifySigV4, whole\n${header}`);
for (const [name, pool] of pools) {
  const base = baseline;
  console.log(
    row(
      name,
      compare(base && (() => timeOne(base.verifySigV4, pool)), () => timeOne(verifySigV4, pool)),
    ),
  );
}

// Its steps, on the DynamoDB request (S3's for the query), each idea on its own.
const ddb = pools.get('dynamodb:GetItem')?.[0];
const s3 = pools.get('s3:GetObject')?.[0];
if (!ddb || !s3) throw new Error('bench: the SDK requests were not captured');
const signedHeaders = /SignedHeaders=([^,]+)/.exec(ddb.headers.authorization)?.[1].split(';') ?? [];
const amzDate = ddb.headers['x-amz-date'];
// A fresh string per call, as the Authorization header's parse gives one per request.
const linePattern = /SignedHeaders=([^,]+)/;
const signedHeadersLine = (): string => linePattern.exec(ddb.headers.authorization)?.[1] ?? '';
const credentialPattern = /Credential=([^,]+)/;
const credentialField = (): string => credentialPattern.exec(ddb.headers.authorization)?.[1] ?? '';
const listQuery = '?list-type=2&prefix=a%20b%2Bc%2F&delimiter=%2F&start-after=&z=2&z=1';
const apiPath = '/prod/payments/authorize';
const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n20261126/us-east-1/dynamodb/aws4_request\n${'0'.repeat(64)}`;
const secret = credentials.secretAccessKey;
const b = baseline;
const oldKeyOrRecord = b?.keys.signingKey(secret, '20261126', REGION, 'dynamodb');
const oldKey = Buffer.isBuffer(oldKeyOrRecord) ? oldKeyOrRecord : oldKeyOrRecord?.bytes;
const newKey = signingKeyNow.signingKey(secret, '20261126', REGION, 'dynamodb');
const steps: Array<[string, (() => unknown) | undefined, () => unknown]> = [
  ['parseAmzDate', b && (() => b.parseAmzDate(amzDate)), () => parseAmzDate(amzDate)],
  [
    'canonical query: S3 ?x-id=GetObject',
    b && (() => b.canonical.canonicalQuery(b.canonical.parseQuery(s3.url.search))),
    () => canonicalNow.canonicalQuery(canonicalNow.parseQuery(s3.url.search)),
  ],
  [
    'canonical query: ListObjectsV2-like',
    b && (() => b.canonical.canonicalQuery(b.canonical.parseQuery(listQuery))),
    () => canonicalNow.canonicalQuery(canonicalNow.parseQuery(listQuery)),
  ],
  [
    'canonical path: / (JSON services)',
    b && (() => b.canonical.canonicalPath('/', 'dynamodb')),
    () => canonicalNow.canonicalPath('/', 'dynamodb'),
  ],
  [
    'canonical path: /prod/payments/authorize',
    b && (() => b.canonical.canonicalPath(apiPath, 'execute-api')),
    () => canonicalNow.canonicalPath(apiPath, 'execute-api'),
  ],
  [
    'canonical headers (DynamoDB, 8 signed)',
    b && (() => b.canonical.canonicalHeaders(ddb.headers, signedHeaders)),
    () => canonicalNow.canonicalHeaders(ddb.headers, signedHeaders),
  ],
  [
    'credential scope (split vs slash positions)',
    b && (() => splitCredential(credentialField())),
    () => parseCredential(credentialField()),
  ],
  [
    'SignedHeaders line → canonical headers',
    b && (() => b.canonical.canonicalHeaders(ddb.headers, signedHeadersLine().split(';'))),
    () => canonicalNow.canonicalHeaders(ddb.headers, canonicalNow.signedHeaderNames(signedHeadersLine())),
  ],
  [
    'signing key (cached)',
    b && (() => b.keys.signingKey(secret, '20261126', REGION, 'dynamodb')),
    () => signingKeyNow.signingKey(secret, '20261126', REGION, 'dynamodb'),
  ],
  [
    'HMAC of the string to sign, as hex',
    oldKey && b && (() => b.keys.hmac(oldKey, toSign).toString('hex')),
    () => signingKeyNow.hmacHex(newKey, toSign),
  ],
];
console.log(`\nsteps\n${header}`);
for (const [name, base, now] of steps) {
  console.log(
    row(
      name,
      compare(base && (() => timeStep(base)), () => timeStep(now)),
    ),
  );
}
