/**
 * Twin benchmark, in one run:
 *  1. the same request mix (S3 GetObject as the product service, DynamoDB GetItem as the product
 *     service, Secrets Manager GetSecretValue as the payment service — the SDK v3 clients' requests,
 *     each signed as that workload)
 *     sent (a) straight to the emulators (a bare HTTP server: classify + handle, nothing else) and
 *     (b) through the gateway with enforcement (SigV4, memoized path, policies, flow logs, audit);
 *     requests/s, p50/p99 latency (seen by the clients), server CPU per request, the serving
 *     thread's time per request on a CPU and waiting for one (the kernel's schedstat), and the ratios. Target: ≥ 85 % throughput, ≤ +1 ms at p99.
 *  2. time from `securecart up` (a fresh process, cdk.out present) to the first request served
 *     (GET /products on the public API → the product Lambda → DynamoDB), with an empty and with an
 *     existing data dir. Target: ≤ 10 s.
 * The load runs in separate load process(es) (this file, forked with `--load`), so that the
 * server process — the emulators for (a), the gateway + emulators for (b) — is what is measured,
 * with the same client for both; its CPU per request is reported for each mode, and so is the
 * load process's own.
 * Two clients: `raw` (default) replays the exact requests the real SDK v3 clients build (captured
 * once at start), signed with @smithy/signature-v4 (once per second and replayed, or per request: --resign) and sent with node:http — a
 * cheap client, as wrk/hey/k6 are, so the load process does not fight the servers for the CPU;
 * `sdk` sends every request through the real SDK v3 clients.
 * Closed-loop rounds (2 × rounds pairs, in a-b, b-a order), then paced rounds at 25 % and at 50 % of the slowest direct closed-loop round,
 * then interleaved rounds at the same two loads ((a) and (b) requests alternating within a round).
 * Usage: node --import tsx bench/twin.ts [seconds per round=1] [concurrency=8] [rounds=15] [load processes=1] [--client=raw|sdk] [--resign=second|request] [--profile=DIR]
 *        --profile=DIR writes a CPU profile of the server process for every closed-loop round (and
 *        DIR/rounds.json: file, mode, requests); `bench/twin/profile-diff.ts DIR` then prints each
 *        function's time per request in (a), in (b), and the difference.
 *        (BENCH_SKIP_STARTUP=1 skips part 2; BENCH_CLOSED_ONLY=1 stops after the closed-loop rounds;
 *        BENCH_THREADS=1 prints each closed-loop round's busiest server threads, CPU per request;
 *        BENCH_ONLY=s3|dynamodb|secretsmanager sends only that call of the mix;
 *        BENCH_MARKS=1 prints each round's bounds for bench/twin/perf-split.ts)
 */
import http from 'node:http';
import { subscribe } from 'node:diagnostics_channel';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { fork, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { startTwin } from '../src/twin/twin.ts';
import { RoundProfiler } from './twin/round-profiler.ts';
import {
  readAllThreadTimes,
  readServingThreadTime,
  threadTimeSince,
  threadTimesSince,
  type ThreadTime,
} from './twin/serving-thread-time.ts';
import { KEEP_ALIVE } from '../src/twin/gateway.ts';
import type { EmulatorPlugin, ServiceRequest } from '../src/emulators/plugin.ts';
import { pluginForRequest } from '../src/emulators/registry.ts';
import type { TwinState, TwinWorkloadState } from '../src/twin/twin-state.ts';
import { loadTemplate } from '../src/cloudformation/load.ts';
import { buildModel } from '../src/model/index.ts';
import { stackNameOf } from '../src/twin/twin.ts';
import { sdkMix, type SdkCall } from './twin/request-mix.ts';
import { captureRequests } from './twin/captured-request.ts';
import { rawCall, type Resign } from './twin/raw-call.ts';

const TEMPLATE = 'cdk.out/SecureCart.template.json';
const FLAGS = process.argv.slice(2).filter((a) => a.startsWith('--'));
const POSITIONAL = process.argv.slice(2).filter((a) => !a.startsWith('--'));
// Many short rounds rather than a few long ones: on this shared box the machine's speed drifts
// over seconds, so pairs of short rounds meet more alike conditions. Seven runs of 30 × 1 s pairs
// gave medians of 77.2–82.9 %, where eight runs of 4–6 × 5 s pairs had given 73.8–89.6 %
// (docs/twin.md, session 5).
const SECONDS = Number(POSITIONAL[0] ?? 1);
const CONCURRENCY = Number(POSITIONAL[1] ?? 8);
const ROUNDS = Number(POSITIONAL[2] ?? 15);
const CLOSED_ROUNDS = 2 * ROUNDS;
const LOADERS = Math.max(1, Number(POSITIONAL[3] ?? 1));
type ClientKind = 'raw' | 'sdk';
const CLIENT = clientKind(FLAGS.find((f) => f.startsWith('--client='))?.slice('--client='.length) ?? 'raw');
/** Paced rounds' offered loads, as fractions of the slowest direct closed-loop round. */
const PACED_SHARES = [0.25, 0.5];

/** BENCH_MARKS=1: print each round's start and end (`process.hrtime`, CLOCK_MONOTONIC) and its requests. */
const MARKS = process.env.BENCH_MARKS === '1';
const count = (reports: readonly { latencies: readonly number[] }[]) =>
  reports.reduce((n, r) => n + r.latencies.length, 0);

/** BENCH_ONLY=<text>: only the mix's calls whose name contains it (e.g. `secretsmanager`), to see each one's share. */
const ONLY = process.env.BENCH_ONLY;
/** BENCH_THREADS=1: print every round's busiest threads of the server process, CPU µs per request. */
const THREADS = process.env.BENCH_THREADS === '1';

const PROFILE_DIR = FLAGS.find((f) => f.startsWith('--profile='))?.slice('--profile='.length);

const RESIGN = resignKind(
  FLAGS.find((f) => f.startsWith('--resign='))?.slice('--resign='.length) ?? 'second',
);

function resignKind(value: string): Resign {
  if (value === 'request' || value === 'second') return value;
  console.error(`bench: --resign must be request or second, not ${value}`);
  process.exit(2);
}

function clientKind(value: string): ClientKind {
  if (value === 'raw' || value === 'sdk') return value;
  console.error(`bench: --client must be raw or sdk, not ${value}`);
  process.exit(2);
}
// The twin's own boot principal: Secrets Manager's KMS use is not put to the key policy for it.
const CALLER = { principalArn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' };

/** (a): the emulators behind a bare HTTP server — no SigV4, no path, no policy, no records. */
async function directServer(plugins: readonly EmulatorPlugin[]): Promise<{ url: string; close: () => void }> {
  // Same keep-alive settings as the gateway's entries: only the chain differs.
  const server = http.createServer(KEEP_ALIVE, (req, res) => {
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

/**
 * The mix as the load process sends it: the SDK calls themselves, or (raw) the SDK's captured
 * requests, signed (per request, or per second: --resign) and sent with node:http over one
 * keep-alive agent.
 */
async function mix(
  kind: ClientKind,
  resign: Resign,
  state: TwinState,
  entryOf: (w: TwinWorkloadState) => string,
  agent: http.Agent,
): Promise<Call[]> {
  const chosen = (calls: SdkCall[]) => (ONLY ? calls.filter((call) => call.name.includes(ONLY)) : calls);
  if (kind === 'sdk') return chosen(sdkMix(state, entryOf)).map((call) => call.send);
  const captured = await captureRequests((handler) => chosen(sdkMix(state, entryOf, handler)));
  return captured.map((request) => rawCall(request, agent, resign));
}

/** What one load process measured in one round (latencies in ms, unsorted). */
interface LoadReport {
  readonly latencies: number[];
  /** Interleaved rounds: (b)'s latencies (`latencies` are then (a)'s). */
  readonly latenciesB?: number[];
  readonly errors: number;
  /** Wall time of the round, ms (the last request may end after the deadline). */
  readonly wallMs: number;
  /** This load process's CPU (user + system) during the round, µs. */
  readonly cpuUs: number;
}

/**
 * Parent → load process: run one round against (a), (b), or both interleaved ('ab': request i goes
 * to (a) when i is even and to (b) when odd, each mode cycling through the same mix).
 */
interface RoundOrder {
  readonly mode: 'a' | 'b' | 'ab';
  readonly seconds: number;
  readonly concurrency: number;
  /** Requests per second from this process (paced rounds); absent = as fast as the clients go. */
  readonly rate?: number;
}

/** Child → parent: `ready` once its clients exist, then one report per round. */
type LoadMessage = { readonly ready: true } | { readonly report: LoadReport };

let firstErrorShown = false;

/** The first failed request of this load process, on stderr: a mistake shows without flooding. */
function showFirstError(error: unknown): void {
  if (firstErrorShown) return;
  firstErrorShown = true;
  // SDK errors carry the HTTP status in $metadata; the raw client's say it in their message.
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  const said = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`bench (load process): first error${status ? ` (HTTP ${status})` : ''}: ${said}`);
}

/**
 * Closed loop (no rate): `concurrency` callers, each sending its next request when the last ends.
 * Paced (rate): request i is due at start + i / rate; latency counts from when it was due, so a
 * server that falls behind is charged for the wait (no coordinated omission).
 */
async function drive(mixes: { a: Call[]; b: Call[] }, order: RoundOrder): Promise<LoadReport> {
  const latencies: number[] = [];
  const latenciesB: number[] = [];
  let errors = 0;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const end = started + order.seconds * 1000;
  let next = 0;
  await Promise.all(
    Array.from({ length: order.concurrency }, async () => {
      for (;;) {
        const i = next++;
        const due = order.rate ? started + (i * 1000) / order.rate : performance.now();
        if (due >= end) break;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const toB = order.mode === 'b' || (order.mode === 'ab' && i % 2 === 1);
        const calls = toB ? mixes.b : mixes.a;
        const n = order.mode === 'ab' ? Math.floor(i / 2) : i;
        try {
          await calls[n % calls.length]();
        } catch (error) {
          errors++;
          showFirstError(error);
        }
        (order.mode === 'ab' && toB ? latenciesB : latencies).push(performance.now() - due);
      }
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  return {
    latencies,
    ...(order.mode === 'ab' ? { latenciesB } : {}),
    errors,
    wallMs,
    cpuUs: cpu.user + cpu.system,
  };
}

/** What the parent hands a load process (in its environment). */
interface LoadSetup {
  readonly state: TwinState;
  readonly directUrl: string;
  readonly client: ClientKind;
  readonly resign: Resign;
  /** This process's share of the concurrency: its agent's sockets per entry. */
  readonly concurrency: number;
}

/**
 * The load process (`bench/twin.ts --load`): the same client for both (a) and (b), driven on the
 * parent's orders. Running it here keeps its CPU and GC pauses (the SDK clients: ~2–3 ms CPU per
 * request in @smithy/core) off the server process, so the figures measure the servers.
 */
async function runLoadProcess(): Promise<void> {
  const { state, directUrl, client, resign, concurrency } = JSON.parse(
    process.env.BENCH_TWIN_LOAD ?? '{}',
  ) as LoadSetup;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const mixes = {
    a: await mix(client, resign, state, () => directUrl, agent),
    b: await mix(client, resign, state, (w) => w.endpoint, agent),
  };
  const reply = (message: LoadMessage) => process.send?.(message);
  process.on('message', (order: RoundOrder) => {
    void drive(mixes, order).then((report) => reply({ report }));
  });
  // Exit with the parent: the IPC channel closes when it goes.
  process.on('disconnect', () => process.exit(0));
  reply({ ready: true });
}

/** A forked load process, as a promise-returning round runner. */
interface LoadProcess {
  round(order: RoundOrder): Promise<LoadReport>;
  stop(): Promise<void>;
}

async function startLoadProcess(setup: LoadSetup): Promise<LoadProcess> {
  const child = fork(fileURLToPath(import.meta.url), ['--load'], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_TWIN_LOAD: JSON.stringify(setup) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const nextMessage = () =>
    new Promise<LoadMessage>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load process exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (message: LoadMessage) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  await nextMessage(); // ready
  return {
    async round(order) {
      const reply = nextMessage();
      child.send(order);
      const message = await reply;
      if (!('report' in message)) throw new Error('load process: unexpected message');
      return message.report;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.disconnect();
      await exited;
    },
  };
}

/**
 * Server-side latency: from the request's headers parsed to its response's last byte handed to the
 * socket, for every HTTP server of this process (the bare one for (a), the gateway's for (b)), via
 * Node's built-in http diagnostics channels — no change to the servers, no client time in it.
 */
class ServerClock {
  private readonly started = new WeakMap<object, { t: number; mode: 'a' | 'b' }>();
  private latencies = { a: [] as number[], b: [] as number[] };

  /**
   * `modeOfPort`: the servers measured and which mode each serves — not the emulators' internal
   * ones (dynalite's HTTP server).
   */
  constructor(modeOfPort: ReadonlyMap<number, 'a' | 'b'>) {
    type Message = { request: object; server: http.Server };
    // Decided once per server object: `server.address()` on every request showed in the measured
    // process's CPU profile.
    const decided = new WeakMap<http.Server, 'a' | 'b' | null>();
    const modeOf = ({ server }: Message) => {
      let mode = decided.get(server);
      if (mode === undefined) {
        mode = modeOfPort.get((server.address() as AddressInfo | null)?.port ?? -1) ?? null;
        decided.set(server, mode);
      }
      return mode;
    };
    subscribe('http.server.request.start', (message) => {
      const mode = modeOf(message as Message);
      if (mode) this.started.set((message as Message).request, { t: performance.now(), mode });
    });
    subscribe('http.server.response.finish', (message) => {
      const start = this.started.get((message as Message).request);
      if (start) this.latencies[start.mode].push(performance.now() - start.t);
    });
  }

  /** The latencies recorded since the last call, per mode. */
  take(): { a: number[]; b: number[] } {
    const taken = this.latencies;
    this.latencies = { a: [], b: [] };
    return taken;
  }
}

/** GC pauses of the server process (the main thread's), per round: V8's own `gc` performance entries. */
class GcMeter {
  private pauses: { ms: number; major: boolean }[] = [];

  constructor() {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
        this.pauses.push({ ms: entry.duration, major: kind === constants.NODE_PERFORMANCE_GC_MAJOR });
      }
    }).observe({ entryTypes: ['gc'] });
  }

  /** The pauses since the last call: how many (major among them), their total and the longest, ms. */
  take(): { count: number; major: number; totalMs: number; maxMs: number } {
    const taken = this.pauses;
    this.pauses = [];
    return {
      count: taken.length,
      major: taken.filter((p) => p.major).length,
      totalMs: taken.reduce((sum, p) => sum + p.ms, 0),
      maxMs: taken.reduce((max, p) => Math.max(max, p.ms), 0),
    };
  }
}

/** q-quantile of ascending-sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

interface Result {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Server-side p50/p99, ms (see ServerClock). */
  readonly serverP50: number;
  readonly serverP99: number;
  readonly errors: number;
  /** Server-process CPU (user + system) per request, µs: load generation is not in it. */
  readonly serverCpuUs: number;
  /** The server process's GC pauses during the round. */
  readonly gc: { count: number; major: number; totalMs: number; maxMs: number };
  /** Load-process CPU per request, µs (all load processes together). */
  readonly loadCpuUs: number;
  /** The serving (main) thread per request, µs: on a CPU, and runnable but waiting for one. */
  readonly servingRunUs: number;
  readonly servingWaitUs: number;
}

interface Round {
  readonly a: Result;
  readonly b: Result;
}

function report(rounds: readonly Round[], closedLoop: boolean, interleaved = false): void {
  const ms = (x: number) => x.toFixed(2).padStart(6);
  const us = (x: number) => (Number.isNaN(x) ? '    —' : x.toFixed(0).padStart(5));
  const row = (name: string, r: Result) =>
    `  ${name.padEnd(38)} ${r.rps.toFixed(0).padStart(5)} req/s   client p50 ${ms(r.p50)} p99 ${ms(r.p99)} ms   server p50 ${ms(r.serverP50)} p99 ${ms(r.serverP99)} ms   server cpu ${Number.isNaN(r.serverCpuUs) ? '    —' : r.serverCpuUs.toFixed(0).padStart(5)} µs/req   serving thread ${us(r.servingRunUs)} on cpu ${us(r.servingWaitUs)} waiting µs/req   gc ${String(r.gc.count).padStart(3)} pauses (${r.gc.major} major) ${r.gc.totalMs.toFixed(1).padStart(6)} ms max ${r.gc.maxMs.toFixed(1).padStart(5)} ms   errors ${r.errors}`;
  rounds.forEach(({ a, b }, i) => {
    console.log(row(`round ${i + 1} (a) straight to the emulators`, a));
    console.log(row(`round ${i + 1} (b) through the gateway`, b));
  });
  // The middle value; for an even count, the mean of the two middle ones (not the upper one).
  const median = (values: number[]) => {
    const sorted = [...values].sort((x, y) => x - y);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const delta = (f: (r: Result) => number) => median(rounds.map(({ a, b }) => f(b) - f(a)));
  const signed = (x: number, digits = 2) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const ratio = median(rounds.map(({ a, b }) => b.rps / a.rps));
  const clientP99 = delta((r) => r.p99);
  const serverP99 = delta((r) => r.serverP99);
  console.log(
    `  median over rounds of (b) vs (a): ` +
      (closedLoop
        ? `throughput ${(ratio * 100).toFixed(1)} % of direct (target ≥ 85 %: ${verdict(ratio >= 0.85)}); `
        : '') +
      `client p50 ${signed(delta((r) => r.p50))} ms, p99 ${signed(clientP99)} ms (target ≤ +1 ms: ${verdict(clientP99 <= 1)}); ` +
      `server p50 ${signed(delta((r) => r.serverP50))} ms, p99 ${signed(serverP99)} ms (≤ +1 ms: ${verdict(serverP99 <= 1)}); ` +
      (interleaved
        ? 'CPU per mode: not separable in interleaved rounds'
        : `enforcement CPU in the server process ${signed(
            delta((r) => r.serverCpuUs),
            0,
          )} µs per request`),
  );
  if (closedLoop) {
    const pairs = rounds.map(({ a, b }) => ((b.rps / a.rps) * 100).toFixed(1));
    console.log(`  throughput of (b) as % of (a), pair by pair: ${pairs.join(', ')}`);
  }
  if (interleaved) return;
  const medianUs = (f: (r: Round) => number) => median(rounds.map(f)).toFixed(0);
  console.log(
    `  serving thread per request, median over rounds: on a CPU (a) ${medianUs(({ a }) => a.servingRunUs)} µs, ` +
      `(b) ${medianUs(({ b }) => b.servingRunUs)} µs; runnable but waiting for a CPU ` +
      `(a) ${medianUs(({ a }) => a.servingWaitUs)} µs, (b) ${medianUs(({ b }) => b.servingWaitUs)} µs`,
  );
  console.log(
    `  load process CPU per request (${CLIENT} client), median over rounds: (a) ${median(
      rounds.map(({ a }) => a.loadCpuUs),
    ).toFixed(0)} µs, (b) ${median(rounds.map(({ b }) => b.loadCpuUs)).toFixed(0)} µs`,
  );
}

async function throughput(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-twin-'));
  const twin = await startTwin({ templateFile: TEMPLATE, dataDir, port: 0 });
  const direct = await directServer(twin.plugins);
  const loaders: LoadProcess[] = [];
  const gcMeter = new GcMeter();
  const portOf = (url: string) => Number(new URL(url).port);
  const clock = new ServerClock(
    new Map<number, 'a' | 'b'>([
      [portOf(direct.url), 'a'],
      ...Object.values(twin.state.workloads).map((w) => [portOf(w.endpoint), 'b'] as [number, 'b']),
    ]),
  );
  try {
    // Each load process drives its share of the concurrency (the remainder goes to the first ones).
    const share = (i: number) => Math.floor(CONCURRENCY / LOADERS) + (i < CONCURRENCY % LOADERS ? 1 : 0);
    for (let i = 0; i < LOADERS; i++)
      loaders.push(
        await startLoadProcess({
          state: twin.state,
          directUrl: direct.url,
          client: CLIENT,
          resign: RESIGN,
          concurrency: share(i),
        }),
      );
    // CPU is read in this process, which runs only the servers: (b) − (a) is the enforcement's cost.
    const profiler = PROFILE_DIR ? await RoundProfiler.open(PROFILE_DIR) : undefined;
    let profiling = false;
    const run = async (mode: 'a' | 'b', seconds: number, rate?: number): Promise<Result> => {
      if (profiling) await profiler?.start();
      clock.take();
      gcMeter.take();
      const cpuStart = process.cpuUsage();
      const threadStart = readServingThreadTime();
      const markStart = process.hrtime.bigint();
      const allStart = THREADS ? readAllThreadTimes() : undefined;
      const reports = await Promise.all(
        loaders.map((l, i) =>
          l.round({ mode, seconds, concurrency: share(i), rate: rate && (rate * share(i)) / CONCURRENCY }),
        ),
      );
      const thread = threadTimeSince(threadStart);
      // BENCH_MARKS=1: each round's bounds on the monotonic clock, for bench/twin/perf-split.ts.
      if (MARKS) console.log(`MARK ${mode} ${markStart} ${process.hrtime.bigint()} ${count(reports)}`);
      if (allStart) {
        const n = reports.reduce((sum, r) => sum + r.latencies.length, 0);
        const busiest = threadTimesSince(allStart).slice(0, 5);
        console.log(
          `    threads (${mode}), busiest first: ${busiest.map(([tid, ns]) => `${tid === process.pid ? 'main' : tid} ${(ns / 1000 / n).toFixed(0)}`).join(', ')} µs/req`,
        );
      }
      const cpu = process.cpuUsage(cpuStart);
      if (profiling)
        await profiler?.stop(
          mode,
          reports.reduce((n, r) => n + r.latencies.length, 0),
        );
      return summarize(reports, cpu, clock.take()[mode], gcMeter.take(), thread);
    };
    // Interleaved: (a) and (b) requests alternate within one round, so both meet the same moments
    // of this shared machine (its stalls, the other processes); CPU and GC can't be split by mode.
    const runInterleaved = async (seconds: number, rate: number): Promise<Round> => {
      clock.take();
      gcMeter.take();
      const reports = await Promise.all(
        loaders.map((l, i) =>
          l.round({ mode: 'ab', seconds, concurrency: share(i), rate: (rate * share(i)) / CONCURRENCY }),
        ),
      );
      const server = clock.take();
      const gc = gcMeter.take();
      const none = { user: Number.NaN, system: 0 };
      const bReports = reports.map((r) => ({ ...r, latencies: r.latenciesB ?? [] }));
      return {
        a: summarize(reports, none, server.a, gc),
        b: summarize(bReports, none, server.b, gc),
      };
    };
    // Warm-up of both paths (JIT in both processes, connection pools, path memo): the SDK clients
    // take a few seconds to reach steady speed, which would otherwise favour whichever mode runs last.
    for (let i = 0; i < 2; i++) {
      await run('a', 1.5);
      await run('b', 1.5);
    }
    // Alternating rounds: this machine is shared, so one round of each would measure its neighbours.
    // Closed-loop pairs run in a-b, b-a, a-b… order (a drift in the machine's speed favours neither
    // mode), twice as many pairs as the other phases: their ratio is the noisiest figure here.
    const rounds: Round[] = [];
    profiling = true;
    for (let r = 0; r < CLOSED_ROUNDS; r++) {
      if (r % 2 === 0) rounds.push({ a: await run('a', SECONDS), b: await run('b', SECONDS) });
      else {
        const b = await run('b', SECONDS);
        rounds.push({ a: await run('a', SECONDS), b });
      }
    }
    profiling = false;
    profiler?.close();
    const clientSaid =
      CLIENT === 'raw'
        ? `raw client: the real SDK v3 clients' requests, captured once, signed with @smithy/signature-v4 ${RESIGN === 'second' ? 'once per second and replayed (--resign=second)' : 'for every request (--resign=request)'}, sent with node:http`
        : 'real SDK v3 clients';
    console.log(
      `request mix: S3 GetObject + DynamoDB GetItem + Secrets Manager GetSecretValue (${clientSaid}, in ${LOADERS} separate load process${LOADERS === 1 ? '' : 'es'}), ${CONCURRENCY} concurrent, ${ROUNDS} × ${SECONDS} s each, alternating`,
    );
    console.log(
      `client = latency seen by the ${CLIENT === 'raw' ? 'raw client' : 'SDK call'} (includes the client process's own CPU and queueing); server = request headers in → response out, measured in the server process`,
    );
    console.log(
      `closed loop (each caller sends its next request when the last one ends), ${CLOSED_ROUNDS} pairs of rounds, in a-b, b-a order:`,
    );
    report(rounds, true);
    const phases = process.env.BENCH_CLOSED_ONLY === '1' ? [] : PACED_SHARES;
    // Latency at equal offered loads below saturation (a quarter and a half of the slowest direct
    // round), so (b) − (a) is the time the chain adds to a request rather than queueing behind others.
    const slowest = Math.min(...rounds.map((r) => r.a.rps));
    for (const fraction of phases) {
      const rate = Math.round(slowest * fraction);
      const paced: Round[] = [];
      for (let r = 0; r < ROUNDS; r++)
        paced.push({ a: await run('a', SECONDS, rate), b: await run('b', SECONDS, rate) });
      console.log(
        `paced at ${rate} req/s, ${fraction * 100} % of the slowest direct closed-loop round (latency counted from when each request was due):`,
      );
      report(paced, false);
    }
    for (const fraction of phases) {
      const rate = Math.round(slowest * fraction);
      const interleaved: Round[] = [];
      for (let r = 0; r < ROUNDS; r++) interleaved.push(await runInterleaved(SECONDS, rate));
      console.log(
        `interleaved at ${rate} req/s in all, ${fraction * 100} % of the slowest direct closed-loop round: (a) and (b) requests alternate within each round, so both meet the same machine noise:`,
      );
      report(interleaved, false, true);
    }
  } finally {
    await Promise.all(loaders.map((l) => l.stop()));
    direct.close();
    await twin.stop();
    await removeDataDir(dataDir);
  }
}

function summarize(
  reports: readonly LoadReport[],
  cpu: NodeJS.CpuUsage,
  server: number[],
  gc: Result['gc'],
  thread?: ThreadTime,
): Result {
  const latencies = reports.flatMap((r) => r.latencies).sort((x, y) => x - y);
  const perRequest = (ns: number | undefined) =>
    ns === undefined ? Number.NaN : ns / 1000 / Math.max(1, latencies.length);
  server.sort((x, y) => x - y);
  const wallS = Math.max(...reports.map((r) => r.wallMs)) / 1000;
  return {
    rps: latencies.length / wallS,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    serverP50: quantile(server, 0.5),
    serverP99: quantile(server, 0.99),
    errors: reports.reduce((n, r) => n + r.errors, 0),
    serverCpuUs: (cpu.user + cpu.system) / Math.max(1, latencies.length),
    loadCpuUs: reports.reduce((n, r) => n + r.cpuUs, 0) / Math.max(1, latencies.length),
    servingRunUs: perRequest(thread?.runNs),
    servingWaitUs: perRequest(thread?.waitNs),
    gc,
  };
}

/**
 * The twin's PostgreSQL child may still be closing its files after `up` stopped: retry, and leave
 * the temp dir behind with a note rather than fail a bench whose figures are already printed.
 */
async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }).catch((error: unknown) =>
    console.error(`bench: could not remove ${dir}: ${String(error)}`),
  );
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
    await removeDataDir(dataDir);
  }
}

if (process.argv[2] === '--load') await runLoadProcess();
else {
  await throughput();
  if (process.env.BENCH_SKIP_STARTUP !== '1') await startup();
}
