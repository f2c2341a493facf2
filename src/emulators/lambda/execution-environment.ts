/**
 * One Lambda execution environment: a worker thread that loaded the handler once (cold start) and
 * serves one invocation at a time (warm starts). A timeout or a crash ends it for good: the pool
 * then starts a fresh one, as Lambda does.
 */
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type {
  FromWorker,
  InvokeResult,
  LambdaErrorShape,
  LambdaFunctionDef,
  LambdaLogSink,
  ToWorker,
} from './types.ts';
import { lambdaEnvironment } from './lambda-environment.ts';

const WORKER_SCRIPT = new URL('./handler-worker.mjs', import.meta.url);

/** Lambda gives the init phase 10 s on demand. */
const INIT_LIMIT_MS = 10_000;

type InitOutcome = { ok: true } | { ok: false; error: LambdaErrorShape };

export class ExecutionEnvironment {
  private readonly worker: Worker;
  private readonly initialized: Promise<InitOutcome>;
  private alive = true;
  /** Settles the invocation in progress when the worker dies under it. */
  private onDeath?: (error: LambdaErrorShape) => void;

  /** Init duration of this environment, reported once on its first REPORT line. */
  private initMs?: number;

  /** The invocation in progress, or the last one (its late output is still its own). */
  private requestId?: string;

  constructor(
    private readonly def: LambdaFunctionDef,
    private readonly onLog?: LambdaLogSink,
  ) {
    const streamName = logStreamName();
    const startedAt = performance.now();
    this.worker = new Worker(WORKER_SCRIPT, {
      // With a log sink the worker's output is captured line by line; otherwise it goes to ours.
      stdout: onLog !== undefined,
      stderr: onLog !== undefined,
      env: lambdaEnvironment(def, streamName),
      // The worker runs plain JavaScript: no tsx loader, as on Lambda.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: def.memoryMb },
      workerData: {
        taskRoot: def.codeDir,
        handler: def.handler,
        context: {
          functionName: def.functionName,
          functionVersion: '$LATEST',
          invokedFunctionArn: def.arn,
          memoryLimitInMB: String(def.memoryMb),
          logGroupName: `/aws/lambda/${def.functionName}`,
          logStreamName: streamName,
        },
      },
    });
    this.worker.on('error', (error) => this.die(crashShape(error)));
    this.worker.on('exit', (code) =>
      this.die({
        errorType: 'Runtime.ExitError',
        errorMessage: `Runtime exited with error: exit status ${code}`,
      }),
    );
    if (onLog) {
      for (const [name, stream] of [
        ['stdout', this.worker.stdout],
        ['stderr', this.worker.stderr],
      ] as const) {
        forEachLine(stream, (line) =>
          onLog(def.functionName, line, { stream: name, requestId: this.requestId }),
        );
      }
    }
    this.initialized = this.waitForInit().then((outcome) => {
      this.initMs = performance.now() - startedAt;
      return outcome;
    });
  }

  get isAlive(): boolean {
    return this.alive;
  }

  async invoke(event: unknown, requestId: string): Promise<InvokeResult> {
    const init = await this.initialized;
    if (!init.ok) {
      await this.terminate();
      return { ok: false, error: init.error };
    }
    if (!this.alive) {
      return { ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited' } };
    }
    const timeoutMs = this.def.timeoutSec * 1000;
    const initMs = this.initMs;
    this.initMs = undefined;
    const began = performance.now();
    this.requestId = requestId;
    this.platformLog(`START RequestId: ${requestId} Version: $LATEST`);
    const message: ToWorker = { type: 'invoke', requestId, event, deadlineEpochMs: Date.now() + timeoutMs };
    return new Promise<InvokeResult>((resolve) => {
      const finish = (result: InvokeResult) => {
        clearTimeout(timer);
        this.report(requestId, performance.now() - began, initMs);
        this.worker.off('message', onMessage);
        this.onDeath = undefined;
        resolve(result);
      };
      const onMessage = (reply: FromWorker) => {
        if (reply.type === 'result' && reply.requestId === requestId) {
          finish({ ok: true, payload: JSON.parse(reply.payloadJson) });
        } else if (reply.type === 'error' && (reply.requestId === requestId || reply.fatal)) {
          if (reply.fatal) this.alive = false;
          finish({ ok: false, error: reply.error });
        }
      };
      const timer = setTimeout(() => {
        void this.terminate();
        finish({ ok: false, error: timedOut(requestId, this.def.timeoutSec) });
      }, timeoutMs);
      this.onDeath = (error) => finish({ ok: false, error });
      this.worker.on('message', onMessage);
      this.worker.postMessage(message);
    });
  }

  async terminate(): Promise<void> {
    this.alive = false;
    await this.worker.terminate();
  }

  private waitForInit(): Promise<InitOutcome> {
    return new Promise<InitOutcome>((resolve) => {
      const timer = setTimeout(() => {
        void this.terminate();
        settle({ ok: false, error: timedOut('INIT', INIT_LIMIT_MS / 1000) });
      }, INIT_LIMIT_MS);
      const settle = (outcome: InitOutcome) => {
        clearTimeout(timer);
        this.worker.off('message', onMessage);
        resolve(outcome);
      };
      const onMessage = (reply: FromWorker) => {
        if (reply.type === 'ready') settle({ ok: true });
        else if (reply.type === 'init-error') settle({ ok: false, error: reply.error });
      };
      this.worker.on('message', onMessage);
      this.onDeath = (error) => settle({ ok: false, error });
    });
  }

  private platformLog(line: string): void {
    this.onLog?.(this.def.functionName, line, { stream: 'platform', requestId: this.requestId });
  }

  /** Lambda's END and REPORT lines (memory used is not measured per worker, so not reported). */
  private report(requestId: string, durationMs: number, initMs: number | undefined): void {
    if (!this.onLog) return;
    this.platformLog(`END RequestId: ${requestId}`);
    const init = initMs === undefined ? '' : `\tInit Duration: ${initMs.toFixed(2)} ms`;
    this.platformLog(
      `REPORT RequestId: ${requestId}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: ${this.def.memoryMb} MB${init}`,
    );
  }

  private die(error: LambdaErrorShape): void {
    this.alive = false;
    const onDeath = this.onDeath;
    this.onDeath = undefined;
    onDeath?.(error);
  }
}

/** Lambda's timeout message: `<time> <request id> Task timed out after 3.00 seconds`. */
function timedOut(requestId: string, seconds: number): LambdaErrorShape {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `${new Date().toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds`,
  };
}

function crashShape(error: Error): LambdaErrorShape {
  const code = (error as { code?: unknown }).code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return { errorType: 'Runtime.OutOfMemory', errorMessage: 'Runtime exited with error: out of memory' };
  }
  return { errorType: error.name, errorMessage: error.message, trace: error.stack?.split('\n') ?? [] };
}

/** Split on '\n' only: a log event may hold '\r' (Lambda's stand-in for newlines in a message). */
function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (pending + chunk).split('\n');
    pending = parts.pop() ?? '';
    for (const line of parts) onLine(line);
  });
  stream.on('end', () => {
    if (pending !== '') onLine(pending);
  });
}

/** Same layout as Lambda's: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
function logStreamName(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomUUID().replaceAll('-', '')}`;
}
