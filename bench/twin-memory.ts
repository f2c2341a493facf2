/**
 * Twin memory soak: the same request mix as bench/twin.ts (the SDK v3 clients' requests, captured,
 * re-signed per request and sent with node:http — here from the twin's own process) through the
 * gateway's workload entries, in rounds; after each round a full GC, then the heap in use and the
 * RSS. A leak in the chain (caches, memo tables, pending log lines) shows as a heap that grows
 * round after round.
 * Usage: node --expose-gc --import tsx bench/twin-memory.ts [rounds=12] [seconds per round=3] [concurrency=8]
 */
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTwin } from '../src/twin/twin.ts';
import { sdkMix } from './twin/request-mix.ts';
import { captureRequests } from './twin/captured-request.ts';
import { rawCall } from './twin/raw-call.ts';

const ROUNDS = Number(process.argv[2] ?? 12);
const SECONDS = Number(process.argv[3] ?? 3);
const CONCURRENCY = Number(process.argv[4] ?? 8);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('bench/twin-memory: run with node --expose-gc (a full GC before each reading)');
  process.exit(2);
}

const dataDir = mkdtempSync(join(tmpdir(), 'bench-twin-memory-'));
const twin = await startTwin({ templateFile: 'cdk.out/SecureCart.template.json', dataDir, port: 0 });
try {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const captured = await captureRequests((handler) => sdkMix(twin.state, (w) => w.endpoint, handler));
  const calls = captured.map((request) => rawCall(request, agent, 'request'));
  const readings: { requests: number; heapMb: number; rssMb: number }[] = [];
  let sent = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const end = performance.now() + SECONDS * 1000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < end) await calls[sent++ % calls.length]();
      }),
    );
    gc();
    gc();
    const memory = process.memoryUsage();
    readings.push({ requests: sent, heapMb: memory.heapUsed / 1e6, rssMb: memory.rss / 1e6 });
    console.log(
      `after ${String(sent).padStart(6)} requests: heap in use ${(memory.heapUsed / 1e6).toFixed(1)} MB, RSS ${(memory.rss / 1e6).toFixed(0)} MB`,
    );
  }
  // Growth over the second half of the run (the first rounds fill caches and JIT code on purpose).
  const half = readings[Math.floor(readings.length / 2)];
  const last = readings[readings.length - 1];
  const perTenThousand = ((last.heapMb - half.heapMb) / Math.max(1, last.requests - half.requests)) * 10_000;
  console.log(
    `heap growth over the second half: ${(last.heapMb - half.heapMb).toFixed(2)} MB in ${last.requests - half.requests} requests (${perTenThousand.toFixed(2)} MB per 10,000)`,
  );
} finally {
  await twin.stop();
  await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }).catch(() => undefined);
}
