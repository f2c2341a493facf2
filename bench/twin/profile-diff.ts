/**
 * Reads the profiles `bench/twin.ts --profile=DIR` wrote and prints, per function (self time),
 * µs per request in (a) straight to the emulators, in (b) through the gateway, and (b) − (a),
 * largest difference first: where the enforcement's time goes on the serving thread, including
 * work both modes do that costs more in (b).
 *   node --import tsx bench/twin/profile-diff.ts DIR [rows=40]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfiledRound } from './round-profiler.ts';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

const dir = process.argv[2];
const rows = Number(process.argv[3] ?? 40);
if (!dir) {
  console.error('usage: profile-diff.ts DIR [rows]');
  process.exit(2);
}
const rounds = JSON.parse(readFileSync(join(dir, 'rounds.json'), 'utf8')) as ProfiledRound[];

/** Self time (µs) per function, summed over a mode's rounds. */
function selfTimes(mode: 'a' | 'b'): { times: Map<string, number>; requests: number } {
  const times = new Map<string, number>();
  let requests = 0;
  for (const round of rounds.filter((r) => r.mode === mode)) {
    requests += round.requests;
    const profile = JSON.parse(readFileSync(join(dir, round.file), 'utf8')) as CpuProfile;
    const nameOf = new Map(
      profile.nodes.map((n) => {
        const url = n.callFrame.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/');
        return [n.id, `${n.callFrame.functionName || '(anonymous)'} ${url}`.trim()];
      }),
    );
    for (let i = 0; i < profile.samples.length; i++) {
      const name = nameOf.get(profile.samples[i]) ?? '?';
      times.set(name, (times.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  }
  return { times, requests };
}

const a = selfTimes('a');
const b = selfTimes('b');
const perRequest = (m: { times: Map<string, number>; requests: number }, name: string) =>
  (m.times.get(name) ?? 0) / m.requests;
const busy = (m: { times: Map<string, number>; requests: number }) =>
  [...m.times].filter(([name]) => name !== '(idle)').reduce((sum, [, t]) => sum + t, 0) / m.requests;

console.log(
  `serving thread, busy µs per request: (a) ${busy(a).toFixed(1)}, (b) ${busy(b).toFixed(1)}, ` +
    `(b) − (a) ${(busy(b) - busy(a)).toFixed(1)}  [${a.requests} (a) and ${b.requests} (b) requests]`,
);
console.log(
  `${'(a)'.padStart(7)} ${'(b)'.padStart(7)} ${'b − a'.padStart(7)}  function (self time, µs per request)`,
);
const names = [...new Set([...a.times.keys(), ...b.times.keys()])].filter((n) => n !== '(idle)');
const table = names
  .map((name) => ({ name, a: perRequest(a, name), b: perRequest(b, name) }))
  .sort((x, y) => y.b - y.a - (x.b - x.a));
for (const row of table.slice(0, rows))
  console.log(
    `${row.a.toFixed(2).padStart(7)} ${row.b.toFixed(2).padStart(7)} ${(row.b - row.a).toFixed(2).padStart(7)}  ${row.name}`,
  );
