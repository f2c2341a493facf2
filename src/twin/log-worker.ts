/**
 * The log worker: formats and writes the flow-log and audit lines of the records the serving
 * thread sends (`ThreadedRequestLogs`), one batch per message, and says how far it has written
 * through a shared counter, which is what the serving thread's synchronous `flush()` waits on.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RequestLogs, type RequestLogFiles } from './request-logs.ts';
import { WireDecoder, type WireBatch } from './record-wire.ts';
import type { TypeScriptWorkerData } from './typescript-worker.ts';

/** `progress` Int32 [0]: the sequence number of the last message handled; [1]: `failed` once this thread cannot go on. */
export interface LogWorkerData extends TypeScriptWorkerData {
  readonly files: RequestLogFiles;
}

/** `flush`: end the open flow-log capture windows too (a `flush()` in the serving thread waits on it). */
export type LogWorkerMessage =
  | { readonly seq: number; readonly batch?: WireBatch; readonly flush?: true }
  | { readonly seq: number; readonly close: true };

const data = workerData as LogWorkerData;
const progress = new Int32Array(data.progress);
const logs = new RequestLogs(data.files);
const decoder = new WireDecoder();
const onRequest = logs.request.bind(logs);
const onConnection = logs.connection.bind(logs);
let closed = false;

// Ending for any other reason than `close` (an uncaught error) must stop a waiting flush() at once.
process.on('exit', () => {
  if (closed) return;
  Atomics.store(progress, 1, data.failed);
  Atomics.notify(progress, 0);
});

parentPort?.on('message', (message: LogWorkerMessage) => {
  if ('close' in message) {
    closed = true;
    logs.close();
  } else {
    try {
      if (message.batch) decoder.decode(message.batch, onRequest, onConnection);
    } catch (error) {
      // A record the worker cannot read is a bug: say so; the lines before it are written.
      console.error('securecart twin: the log worker could not read a batch of records:', error);
    }
    if (message.flush) logs.flush();
    else logs.writeOut();
  }
  Atomics.store(progress, 0, message.seq);
  Atomics.notify(progress, 0);
});
