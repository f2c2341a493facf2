/**
 * The execution environments of one function: reuse an idle one (warm start), start a new one
 * while under the concurrency limit (cold start), otherwise wait for one to free up.
 */
import { ExecutionEnvironment } from './execution-environment.ts';
import type { InvokeResult, LambdaFunctionDef, LambdaLogSink } from './types.ts';

export class FunctionPool {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly waiting: Array<{
    resolve: (environment: ExecutionEnvironment) => void;
    reject: (error: Error) => void;
  }> = [];
  private busy = 0;
  private stopped = false;
  /** How many execution environments were started (cold starts). */
  coldStarts = 0;

  constructor(
    private readonly def: LambdaFunctionDef,
    private readonly maxConcurrency: number,
    private readonly onLog?: LambdaLogSink,
  ) {}

  async invoke(event: unknown, requestId: string): Promise<InvokeResult> {
    const environment = await this.acquire();
    try {
      return await environment.invoke(event, requestId);
    } finally {
      this.release(environment);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.idle.length = 0;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.stoppedError());
    // Busy ones too: their invocations end with Runtime.ExitError rather than hold the process open.
    await Promise.all([...this.all].map((environment) => environment.terminate()));
  }

  private acquire(): Promise<ExecutionEnvironment> {
    if (this.stopped) return Promise.reject(this.stoppedError());
    let warm = this.idle.pop();
    // An idle environment can die too (a stray timer throwing after its last invocation).
    while (warm && !warm.isAlive) {
      this.all.delete(warm);
      warm = this.idle.pop();
    }
    if (warm) {
      this.busy++;
      return Promise.resolve(warm);
    }
    if (this.busy < this.maxConcurrency) {
      this.busy++;
      return Promise.resolve(this.start());
    }
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private release(environment: ExecutionEnvironment): void {
    // A timed-out or crashed environment is gone; the next invocation gets a fresh one.
    if (!environment.isAlive) this.all.delete(environment);
    const next = environment.isAlive && !this.stopped ? environment : undefined;
    const waiter = this.waiting.shift();
    if (waiter) {
      waiter.resolve(next ?? this.start());
      return;
    }
    this.busy--;
    if (next) this.idle.push(next);
  }

  private stoppedError(): Error {
    return new Error(`Lambda runtime stopped: ${this.def.functionName}`);
  }

  private start(): ExecutionEnvironment {
    this.coldStarts++;
    const environment = new ExecutionEnvironment(this.def, this.onLog);
    this.all.add(environment);
    return environment;
  }
}
