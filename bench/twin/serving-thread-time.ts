/**
 * The serving thread's own time, read from the kernel's scheduler statistics
 * (`/proc/self/task/<tid>/schedstat`: ns on a CPU, ns runnable but waiting for one, time slices).
 * The main thread's tid is the process id. Unlike a CPU profile this adds no work and no sampling
 * bias, and the wait column shows the CPU contention a 2-core box puts on the one thread that serves
 * every request: time it was ready to run while the load process, the log worker or the thread
 * pool held the cores. Linux only: elsewhere `read()` gives undefined and the bench prints "—".
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadTime {
  /** ns on a CPU. */
  readonly runNs: number;
  /** ns runnable, waiting for a CPU. */
  readonly waitNs: number;
}

const FILE = `/proc/self/task/${process.pid}/schedstat`;

export function readServingThreadTime(): ThreadTime | undefined {
  try {
    const [run, wait] = readFileSync(FILE, 'utf8').trim().split(/\s+/).map(Number);
    return Number.isFinite(run) && Number.isFinite(wait) ? { runNs: run, waitNs: wait } : undefined;
  } catch {
    return undefined;
  }
}

/** What the thread did between two readings; undefined when either is missing. */
export function threadTimeSince(start: ThreadTime | undefined): ThreadTime | undefined {
  const end = readServingThreadTime();
  if (!start || !end) return undefined;
  return { runNs: end.runNs - start.runNs, waitNs: end.waitNs - start.waitNs };
}

/** Every thread of this process: tid → ns on a CPU (empty off Linux). */
export function readAllThreadTimes(): Map<number, number> {
  const times = new Map<number, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        times.set(
          Number(tid),
          Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]),
        );
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  } catch {
    // Not Linux.
  }
  return times;
}

/** Each thread's ns on a CPU since `start`, busiest first. */
export function threadTimesSince(start: Map<number, number>): Array<[number, number]> {
  const end = readAllThreadTimes();
  return [...end]
    .map(([tid, ns]): [number, number] => [tid, ns - (start.get(tid) ?? 0)])
    .sort((x, y) => y[1] - x[1]);
}
