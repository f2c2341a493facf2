/**
 * Plain definitions the Lambda runtime needs. The twin fills them from the model; nothing here
 * depends on the model, so the runtime can be tested (and reused) on its own.
 */

/** Session credentials of the function's execution role (what Lambda puts in the environment). */
export interface LambdaCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** @default none (long-term keys) */
  readonly sessionToken?: string;
}

export interface LambdaFunctionDef {
  /** The template's logical id (for messages). */
  readonly logicalId: string;
  /** The physical function name; `invoke()` takes this name. */
  readonly functionName: string;
  readonly arn: string;
  /** Directory holding the code (a CDK asset folder, e.g. `cdk.out/asset.<hash>`): LAMBDA_TASK_ROOT. */
  readonly codeDir: string;
  /** `file.export` as in the template's `Handler` (`index.handler`, `src/app.main`). */
  readonly handler: string;
  /** `nodejs20.x` etc.; only Node.js runtimes can run here. */
  readonly runtime: string;
  /** MemorySize; caps the worker's V8 old generation. */
  readonly memoryMb: number;
  /** Timeout in seconds. */
  readonly timeoutSec: number;
  /** The template's `Environment.Variables`, already resolved to strings. */
  readonly env: Readonly<Record<string, string>>;
  /** AWS_REGION / AWS_DEFAULT_REGION. @default 'us-east-1' */
  readonly region?: string;
  /** AWS_ENDPOINT_URL: this workload's gateway entry. @default none (no rewriting of fetch) */
  readonly endpointUrl?: string;
  /** The role's session credentials the twin mints. @default none */
  readonly credentials?: LambdaCredentials;
}

/** Lambda's error shape for a failed invocation (`FunctionError: Unhandled`). */
export interface LambdaErrorShape {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: readonly string[];
}

export type InvokeResult =
  { readonly ok: true; readonly payload: unknown } | { readonly ok: false; readonly error: LambdaErrorShape };

export interface InvokeOptions {
  /** The Lambda request id (context.awsRequestId). @default a random UUID */
  readonly requestId?: string;
}

/** Where a log line came from, and which invocation it belongs to. */
export interface LambdaLogLineInfo {
  /** The worker's stdout or stderr (the function's own output), or the runtime's START/END/REPORT. */
  readonly stream: 'stdout' | 'stderr' | 'platform';
  /**
   * The invocation in progress — or the last one, for output that arrives after its result (the
   * worker's stdout is not ordered with its messages); undefined before the first (init).
   */
  readonly requestId?: string;
}

/** Receives every log line of a function: its console output and the START/END/REPORT lines. */
export type LambdaLogSink = (functionName: string, line: string, info: LambdaLogLineInfo) => void;

export interface LambdaRuntimeOptions {
  /** Most concurrent executions (workers) per function; further invocations wait. @default 4 */
  readonly maxConcurrencyPerFunction?: number;
  /** Where log lines go (the twin's CloudWatch stand-in). @default console output to process.stdout, no platform lines */
  readonly onLog?: LambdaLogSink;
}

/** Messages between the runtime and a worker (see handler-worker.mjs). */
export type ToWorker = {
  readonly type: 'invoke';
  readonly requestId: string;
  readonly event: unknown;
  readonly deadlineEpochMs: number;
};

export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'init-error'; readonly error: LambdaErrorShape }
  | { readonly type: 'result'; readonly requestId: string; readonly payloadJson: string }
  | {
      readonly type: 'error';
      readonly requestId: string;
      readonly error: LambdaErrorShape;
      readonly fatal: boolean;
    };
