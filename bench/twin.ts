/**
 * Twin benchmark, in one run:
 *  1. the same request mix (S3 GetObject as the product service, DynamoDB GetItem as the product
 *     service, Secrets Manager GetSecretValue as the payment service — real SDK v3 clients, signed)
 *     sent (a) straight to the emulators (a bare HTTP server: classify + handle, nothing else) and
 *     (b) through the gateway with enforcement (SigV4, memoized path, policies, flow logs, audit);
 *     requests/s, p50/p99 latency, and the ratio. Target: ≥ 85 % throughput, ≤ +1 ms at p99.
 *  2. time from `securecart up` (a fresh process, cdk.out present) to the first request served
 *     (GET /products on the public API → the product Lambda → DynamoDB), with an empty and with an
 *     existing data dir. Target: ≤ 10 s.
 * Usage: node --import tsx bench/twin.ts [seconds per round=5] [concurrency=8] [rounds=3]
 */
import http from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startTwin } from '../src/twin/twin.ts';
import { castOf } from '../src/twin/demo.ts';
import type { EmulatorPlugin, ServiceRequest } from '../src/emulators/plugin.ts';
import { pluginForRequest } from '../src/emulators/registry.ts';
import type { TwinState, TwinWorkloadState } from '../src/twin/twin-state.ts';
import { loadTemplate } from '../src/cloudformation/load.ts';
import { buildModel } from '../src/model/index.ts';
import { stackNameOf } from '../src/twin/twin.ts';

const TEMPLATE = 'cdk.out/SecureCart.template.json';
const SECONDS = Number(process.argv[2] ?? 5);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const ROUNDS = Number(process.argv[4] ?? 3);
// The twin's own boot principal: Secrets Manager's KMS use is not put to the key policy for it.
const CALLER = { principalArn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' };

/** (a): the emulators behind a bare HTTP server — no SigV4, no path, no policy, no records. */
async function directServer(plugins: readonly EmulatorPlugin[]): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
      const request: ServiceRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', `http://${headers.host}`),
        headers,
        body: Buffer.concat(chunks),
      };
      const plugin = pluginForRequest(plugins, request);
      if (!plugin) return res.writeHead(400).end();
      plugin.classify(request);
      void plugin.handle(request, CALLER).then((response) => {
        res.writeHead(response.status, response.headers);
        if (response.body instanceof Readable) response.body.pipe(res);
        else res.end(response.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

type Call = () => Promise<unknown>;

function mix(state: TwinState, entryOf: (w: TwinWorkloadState) => string): Call[] {
  const cast = castOf(state);
  const product = state.workloads[cast.product];
  const payment = state.workloads[cast.payment];
  const creds = (w: TwinWorkloadState) => ({
    accessKeyId: w.accessKeyId,
    secretAccessKey: w.secretAccessKey,
    sessionToken: w.sessionToken,
  });
  const s3 = new S3Client({
    region: state.region,
    endpoint: entryOf(product),
    forcePathStyle: true,
    credentials: creds(product),
    maxAttempts: 1,
  });
  const ddb = new DynamoDBClient({
    region: state.region,
    endpoint: entryOf(product),
    credentials: creds(product),
    maxAttempts: 1,
  });
  const sm = new SecretsManagerClient({
    region: state.region,
    endpoint: entryOf(payment),
    credentials: creds(payment),
    maxAttempts: 1,
  });
  return [
    async () => {
      const out = await s3.send(
        new GetObjectCommand({ Bucket: product.environment.BUCKET_NAME, Key: 'images/p-mug.png' }),
      );
      await out.Body?.transformToByteArray();
    },
    () =>
      ddb.send(
        new GetItemCommand({ TableName: product.environment.TABLE_NAME, Key: { productId: { S: 'p-mug' } } }),
      ),
    () => sm.send(new GetSecretValueCommand({ SecretId: payment.environment.SECRET_ARN })),
  ];
}

interface Result {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /** Process CPU (user + system) per request, µs: client SDK work is the same in both modes. */
  readonly cpuUs: number;
}

async function drive(calls: Call[], seconds: number): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const cpuStart = process.cpuUsage();
  const end = performance.now() + seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const call = calls[next++ % calls.length];
        const t = performance.now();
        try {
          await call();
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  const cpu = process.cpuUsage(cpuStart);
  return {
    rps: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    errors,
    cpuUs: (cpu.user + cpu.system) / latencies.length,
  };
}

async function throughput(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-twin-'));
  const twin = await startTwin({ templateFile: TEMPLATE, dataDir, port: 0 });
  const direct = await directServer(twin.plugins);
  try {
    const directMix = mix(twin.state, () => direct.url);
    const gatewayMix = mix(twin.state, (w) => w.endpoint);
    await drive(directMix, 1); // warm-up both paths (JIT, connection pools, path memo)
    await drive(gatewayMix, 1);
    // Alternating rounds: this machine is shared, so one round of each would measure its neighbours.
    const rounds: Array<{ a: Result; b: Result }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push({ a: await drive(directMix, SECONDS), b: await drive(gatewayMix, SECONDS) });
    }
    const row = (name: string, r: Result) =>
      `${name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   cpu ${r.cpuUs.toFixed(0).padStart(5)} µs/req   errors ${r.errors}`;
    console.log(
      `request mix: S3 GetObject + DynamoDB GetItem + Secrets Manager GetSecretValue (real SDK v3 clients), ${CONCURRENCY} concurrent, ${ROUNDS} × ${SECONDS} s each, alternating`,
    );
    rounds.forEach(({ a, b }, i) => {
      console.log(row(`round ${i + 1} (a) straight to the emulators`, a));
      console.log(row(`round ${i + 1} (b) through the gateway`, b));
    });
    const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)];
    const ratio = median(rounds.map(({ a, b }) => b.rps / a.rps));
    const p99 = median(rounds.map(({ a, b }) => b.p99 - a.p99));
    const p50 = median(rounds.map(({ a, b }) => b.p50 - a.p50));
    const cpu = median(rounds.map(({ a, b }) => b.cpuUs - a.cpuUs));
    console.log(
      `median over rounds: throughput ${(ratio * 100).toFixed(1)} % of direct (target ≥ 85 %), p50 ${p50 >= 0 ? '+' : ''}${p50.toFixed(2)} ms, p99 ${p99 >= 0 ? '+' : ''}${p99.toFixed(2)} ms (target ≤ +1 ms); enforcement CPU +${cpu.toFixed(0)} µs per request`,
    );
  } finally {
    direct.close();
    await twin.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Spawns `securecart up` and polls the public API until GET /products answers 200. */
async function timeToFirstRequest(dataDir: string, port: number, productsUrl: string): Promise<number> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/main.ts',
      'up',
      TEMPLATE,
      '--data',
      dataDir,
      '--port',
      String(port),
      '--quiet',
    ],
    { stdio: 'ignore' },
  );
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`securecart up exited with ${child.exitCode}`);
      try {
        const res = await fetch(productsUrl, { signal: AbortSignal.timeout(20_000) });
        await res.arrayBuffer();
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

async function startup(): Promise<void> {
  const model = buildModel(loadTemplate(TEMPLATE, { stackName: stackNameOf(TEMPLATE) }));
  const api = [...model.restApis.values()].find((a) => !a.endpointTypes.includes('PRIVATE'));
  const stage = model.stages.find(
    (s) => s.api.kind === 'resource' && s.api.logicalId === api?.logicalId,
  )?.stageName;
  const port = 20000 + Math.floor(Math.random() * 20000);
  const url = `http://127.0.0.1:${port}/restapis/${api?.id}/${stage}/_user_request_/products`;
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-start-'));
  try {
    const empty = await timeToFirstRequest(dataDir, port, url);
    const existing = await timeToFirstRequest(dataDir, port, url);
    console.log(
      `start → first request served (GET /products via the product Lambda): empty data dir ${(empty / 1000).toFixed(1)} s, existing data dir ${(existing / 1000).toFixed(1)} s (target ≤ 10 s)`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await throughput();
if (process.env.BENCH_SKIP_STARTUP !== '1') await startup();
