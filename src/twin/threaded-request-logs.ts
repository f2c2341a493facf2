/**
 * The request logs written by a worker thread: the serving thread only appends each record's
 * fields to a batch (`WireEncoder`) and posts the batch every FLUSH_AFTER_MS; the worker
 * (`log-worker.ts`) formats the flow-log and audit lines and writes them. Formatting and writing
 * cost the serving thread ~80 µs per request on a busy 2-core twin (docs/twin.md, "Measured");
 * posting costs it a few pushes per request and one structured clone per batch.
 *
 * `flush()` stays synchronous — tests and the CLI read the files right after it — by waiting on
 * a counter the worker advances once a batch is written. A process that exits normally flushes
 * first; a SIGKILL loses at most the last FLUSH_AFTER_MS of lines, never acknowledged data. If the
 * worker fails, the batches it had not written are written here, and so is everything after.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startTypeScriptWorker } from './typescript-worker.ts';
import { FLUSH_AFTER_MS } from './append-batch.ts';
import { WireEncoder, type WireBatch } from './record-wire.ts';
import { RequestLogs, type RequestLogFiles, type RequestLogSink } from './request-logs.ts';
import type { LogWorkerData, LogWorkerMessage } from './log-worker.ts';
import type { ConnectionRecord, RequestRecord } from './recorder.ts';

const WORKER_MODULE = new URL('./log-worker.ts', import.meta.url).href;
/** Post early when a batch grows this large (slots; a request takes 27). */
const POST_AT_SLOTS = 27 * 512;
/** What the worker stores in progress[1] when its module cannot load or it ends unasked. */
const WORKER_FAILED = 1;
/** How long `flush()` waits for a live worker before it reports the lines as late. */
const FLUSH_TIMEOUT_MS = 30_000;

export class ThreadedRequestLogs implements RequestLogSink {
  private readonly encoder = new WireEncoder();
  private readonly worker: Worker;
  /** [0]: sequence number of the last batch written; [1]: WORKER_FAILED once the worker failed. */
  private readonly progress: Int32Array;
  private posted = 0;
  /** Posted batches the worker has not said are written, oldest first. */
  private unwritten: Array<[number, WireBatch]> = [];
  private timer: NodeJS.Timeout | undefined;
  /** Set when the worker failed: records are written in this thread from then on. */
  private inline: RequestLogs | undefined;
  private closed = false;

  /** `workerModule`: the worker's code (tests give one that cannot load, to see the fallback). */
  constructor(
    private readonly files: RequestLogFiles,
    workerModule: string = WORKER_MODULE,
  ) {
    // Fail here, with the path in the error, if a log cannot be created at all.
    mkdirSync(files.flowDir, { recursive: true });
    mkdirSync(dirname(files.auditFile), { recursive: true });
    closeSync(openSync(files.auditFile, 'a'));
    const shared = new SharedArrayBuffer(8);
    this.progress = new Int32Array(shared);
    const workerData: LogWorkerData = { files, progress: shared, failed: WORKER_FAILED };
    this.worker = startTypeScriptWorker(workerModule, workerData);
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`the log worker exited with code ${code}`));
    });
    process.on('exit', this.flushAtExit);
  }

  request(record: RequestRecord, timeMs: number): void {
    if (this.inline) return this.inline.request(record, timeMs);
    this.encoder.request(record, timeMs);
    this.schedule();
  }

  connection(record: ConnectionRecord, timeMs: number): void {
    if (this.inline) return this.inline.connection(record, timeMs);
    this.encoder.connection(record, timeMs);
    this.schedule();
  }

  flush(): void {
    if (!this.inline) this.wait(this.post(true));
    this.inline?.flush();
  }

  close(): void {
    if (this.closed) return;
    process.off('exit', this.flushAtExit);
    if (!this.inline) {
      this.post();
      const seq = ++this.posted;
      this.worker.postMessage({ seq, close: true } satisfies LogWorkerMessage);
      this.wait(seq);
    }
    this.closed = true;
    this.inline?.close();
    void this.worker.terminate();
  }

  private schedule(): void {
    if (this.encoder.pending >= POST_AT_SLOTS) this.post();
    else if (this.timer === undefined) {
      this.timer = setTimeout(this.post, FLUSH_AFTER_MS);
      this.timer.unref();
    }
  }

  /**
   * Posts the batch so far (if any) — with `flush`, always, and the worker then also ends its open
   * flow-log windows; returns the sequence number to wait for.
   */
  private readonly post = (flush = false): number => {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const written = Atomics.load(this.progress, 0);
    while (this.unwritten.length > 0 && this.unwritten[0][0] <= written) this.unwritten.shift();
    if (this.encoder.pending > 0) {
      const seq = ++this.posted;
      const batch = this.encoder.take();
      this.unwritten.push([seq, batch]);
      this.worker.postMessage({ seq, batch, ...(flush ? { flush: true } : {}) } satisfies LogWorkerMessage);
    } else if (flush) {
      this.worker.postMessage({ seq: ++this.posted, flush: true } satisfies LogWorkerMessage);
    }
    return this.posted;
  };

  private wait(seq: number): void {
    const deadline = Date.now() + FLUSH_TIMEOUT_MS;
    for (;;) {
      const written = Atomics.load(this.progress, 0);
      if (written >= seq) return;
      if (Atomics.load(this.progress, 1) === WORKER_FAILED) {
        return this.fail(new Error('the log worker could not start, or ended'));
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        console.error(
          `securecart twin: the log worker has not written its last ${seq - written} batch(es) after ${FLUSH_TIMEOUT_MS / 1000} s; their lines may be late`,
        );
        return;
      }
      Atomics.wait(this.progress, 0, written, Math.min(left, 100));
    }
  }

  private readonly flushAtExit = (): void => {
    this.flush();
  };

  /** The worker is gone: write what it had not written here, and everything after it. */
  private fail(error: unknown): void {
    if (this.inline) return;
    console.error('securecart twin: the log worker failed; writing the logs in the serving thread:', error);
    const inline = new RequestLogs(this.files);
    const onRequest = inline.request.bind(inline);
    const onConnection = inline.connection.bind(inline);
    const written = Atomics.load(this.progress, 0);
    const batches = this.unwritten.filter(([seq]) => seq > written).map(([, batch]) => batch);
    batches.push(this.encoder.take());
    const decoder = this.encoder.decoderFor(batches[0]);
    for (const batch of batches) decoder.decode(batch, onRequest, onConnection);
    this.unwritten = [];
    this.inline = inline;
  }
}
