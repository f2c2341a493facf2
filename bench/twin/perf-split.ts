/**
 * Splits a Linux `perf` profile of the twin bench's server by mode: the serving thread's samples
 * inside each closed-loop round, as µs per request for (a) and (b), by category and by symbol.
 * Native code (V8's builtins and runtime, libc, OpenSSL, the kernel) is seen as well as JavaScript,
 * and sampling by the kernel has none of a JavaScript profiler's bias.
 *
 *   BENCH_MARKS=1 BENCH_CLOSED_ONLY=1 BENCH_SKIP_STARTUP=1 perf record -k CLOCK_MONOTONIC -F 1999 \
 *     -o /tmp/twin.perf -- node --perf-basic-prof --import tsx bench/twin.ts 4 8 3 > /tmp/bench.txt
 *   perf script -i /tmp/twin.perf -F comm,pid,tid,time,ip,sym,dso --ns > /tmp/twin.samples
 *   node --import tsx bench/twin/perf-split.ts /tmp/bench.txt /tmp/twin.samples [hz=1999] [warm-up rounds=4] [symbols=40]
 *
 * The serving thread is the server's main thread: the process whose samples fall in the rounds'
 * windows most often. Results of session 8: docs/twin.md.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [marksFile, samplesFile, hzArg, warmArg, topArg] = process.argv.slice(2);
if (!marksFile || !samplesFile) {
  console.error(
    'usage: perf-split.ts <bench output with MARK lines> <perf script output> [hz] [warm-up rounds] [symbols]',
  );
  process.exit(2);
}
const HZ = Number(hzArg ?? 1999);
const WARM_UP = Number(warmArg ?? 4);
const TOP = Number(topArg ?? 40);

interface Window {
  readonly mode: string;
  readonly start: number;
  readonly end: number;
}

const windows: Window[] = [];
const requests = new Map<string, number>();
for (const line of readFileSync(marksFile, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('MARK '))
  .slice(WARM_UP)) {
  const [, mode, start, end, n] = line.split(' ');
  windows.push({ mode, start: Number(start) / 1e9, end: Number(end) / 1e9 });
  requests.set(mode, (requests.get(mode) ?? 0) + Number(n));
}

function category(symbol: string, dso: string): string {
  if (dso.includes('kernel')) return 'kernel';
  if (dso.includes('libcrypto')) return 'OpenSSL';
  if (dso.includes('libc.so')) return 'libc';
  if (dso.startsWith('/tmp/perf-') || dso.includes('JIT')) {
    if (symbol.startsWith('JS:*')) return 'optimized JavaScript';
    if (symbol.startsWith('JS:')) return 'baseline or interpreted JavaScript';
    if (symbol.startsWith('RegExp:')) return 'regular expressions';
    return 'other generated code';
  }
  if (symbol.startsWith('Builtins_')) return 'V8 builtins';
  if (/Scaveng|Heap::|MarkCompact|Sweep|Evacuat|Marking|MinorMC/.test(symbol)) return 'GC';
  if (symbol.includes('v8::')) return 'V8 runtime';
  if (/node::|uv_|llhttp/.test(symbol)) return 'node internals, libuv, llhttp';
  return `other (${dso.split('/').pop()})`;
}

const SAMPLE = /^\s*\S+\s+(\d+)\/(\d+)\s+([\d.]+):\s+\S+\s+(.*?)\s+\((.*)\)\s*$/;
type Counts = Map<string, Map<string, number>>;
const add = (counts: Counts, mode: string, key: string) => {
  const byKey = counts.get(mode) ?? new Map<string, number>();
  byKey.set(key, (byKey.get(key) ?? 0) + 1);
  counts.set(mode, byKey);
};
const byThread = new Map<string, { categories: Counts; symbols: Counts; samples: number }>();

const lines = createInterface({ input: createReadStream(samplesFile) });
for await (const line of lines) {
  const match = SAMPLE.exec(line);
  if (!match) continue;
  const [, pid, tid, time, symbol, dso] = match;
  if (pid !== tid) continue; // main threads only
  const t = Number(time);
  const window = windows.find((w) => w.start <= t && t <= w.end);
  if (!window) continue;
  const thread = byThread.get(tid) ?? { categories: new Map(), symbols: new Map(), samples: 0 };
  thread.samples++;
  add(thread.categories, window.mode, category(symbol, dso));
  add(thread.symbols, window.mode, symbol);
  byThread.set(tid, thread);
}
const serving = [...byThread.entries()].sort((x, y) => y[1].samples - x[1].samples)[0];
if (!serving) {
  console.error('no samples inside the rounds: were the bench output and the profile taken in the same run?');
  process.exit(1);
}
const [tid, { categories, symbols }] = serving;
const perRequest = (counts: Counts, mode: string, key: string) =>
  ((counts.get(mode)?.get(key) ?? 0) * (1e6 / HZ)) / (requests.get(mode) ?? 1);

function table(title: string, counts: Counts, limit: number): void {
  const keys = new Set([...(counts.get('a')?.keys() ?? []), ...(counts.get('b')?.keys() ?? [])]);
  const rows = [...keys]
    .map((key) => ({ key, a: perRequest(counts, 'a', key), b: perRequest(counts, 'b', key) }))
    .sort((x, y) => y.b - y.a - (x.b - x.a));
  console.log(`\n${title}  (µs per request: (a), (b), (b) − (a))`);
  for (const row of rows.slice(0, limit))
    console.log(
      `${row.a.toFixed(1).padStart(8)} ${row.b.toFixed(1).padStart(8)} ${(row.b - row.a).toFixed(1).padStart(8)}  ${row.key.slice(0, 110)}`,
    );
  const total = (mode: 'a' | 'b') => rows.reduce((sum, row) => sum + row[mode], 0);
  console.log(
    `${total('a').toFixed(1).padStart(8)} ${total('b').toFixed(1).padStart(8)} ${(total('b') - total('a')).toFixed(1).padStart(8)}  total`,
  );
}

console.log(`serving thread ${tid}; requests (a) ${requests.get('a')}, (b) ${requests.get('b')}; ${HZ} Hz`);
table('by category', categories, Infinity);
table(`the ${TOP} symbols that grew most`, symbols, TOP);
