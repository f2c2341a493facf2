/**
 * Worker threads running this project's TypeScript modules. A worker started on a `.ts` file with
 * `--import tsx` fails on Node 20 (the entry loads before the hooks), so the worker's entry is a
 * short script that registers tsx's loader and then imports the module. A module that cannot load
 * stores `failed` at index 1 of the shared `progress` array and wakes whoever waits on index 0, so
 * a thread blocked in `Atomics.wait` stops waiting.
 */
import { Worker } from 'node:worker_threads';

/** What every such worker receives: the shared progress array, and the value that says "failed". */
export interface TypeScriptWorkerData {
  readonly progress: SharedArrayBuffer;
  readonly failed: number;
}

export function startTypeScriptWorker(moduleUrl: string, workerData: TypeScriptWorkerData): Worker {
  const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = `
    const { workerData } = require('node:worker_threads');
    import(${tsx})
      .then((api) => { api.register(); return import(${JSON.stringify(moduleUrl)}); })
      .catch((error) => {
        const progress = new Int32Array(workerData.progress);
        Atomics.store(progress, 1, workerData.failed);
        Atomics.notify(progress, 0);
        throw error;
      });`;
  const worker = new Worker(entry, { eval: true, workerData, execArgv: [] });
  worker.unref();
  return worker;
}
