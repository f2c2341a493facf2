/**
 * Runs the template's Node.js Lambda functions on worker threads, each with its own environment,
 * memory cap and timeout. The twin builds one from the model and calls `invoke` from the API
 * Gateway emulator (proxy integrations) or wherever a function is invoked.
 */
import { randomUUID } from 'node:crypto';
import { FunctionPool } from './function-pool.ts';
import type { InvokeOptions, InvokeResult, LambdaFunctionDef, LambdaRuntimeOptions } from './types.ts';

const DEFAULT_MAX_CONCURRENCY = 4;

export class LambdaRuntime {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly defs = new Map<string, LambdaFunctionDef>();

  constructor(defs: readonly LambdaFunctionDef[], options: LambdaRuntimeOptions = {}) {
    const maxConcurrency = options.maxConcurrencyPerFunction ?? DEFAULT_MAX_CONCURRENCY;
    for (const def of defs) {
      if (!def.runtime.startsWith('nodejs')) {
        throw new Error(
          `${def.logicalId}: runtime ${def.runtime} cannot run in the twin (Node.js runtimes only)`,
        );
      }
      // Invocable by name or by ARN, as the Invoke API accepts both.
      const pool = new FunctionPool(def, maxConcurrency, options.onLog);
      this.pools.set(def.functionName, pool);
      this.pools.set(def.arn, pool);
      this.defs.set(def.functionName, def);
    }
  }

  /** The definition behind a name or ARN, or undefined. */
  definition(nameOrArn: string): LambdaFunctionDef | undefined {
    return this.defs.get(nameOrArn) ?? [...this.defs.values()].find((def) => def.arn === nameOrArn);
  }

  /** Invoke synchronously (RequestResponse). An unknown name is a caller bug, so it throws. */
  invoke(nameOrArn: string, event: unknown, options: InvokeOptions = {}): Promise<InvokeResult> {
    const pool = this.pools.get(nameOrArn) ?? this.pools.get(withoutLatest(nameOrArn));
    if (!pool) throw new Error(`No Lambda function named ${nameOrArn}`);
    return pool.invoke(event, options.requestId ?? randomUUID());
  }

  /** Cold starts so far for a function (for tests and the twin's summary). */
  coldStarts(nameOrArn: string): number {
    return this.pools.get(nameOrArn)?.coldStarts ?? 0;
  }

  async stop(): Promise<void> {
    await Promise.all([...new Set(this.pools.values())].map((pool) => pool.stop()));
  }
}

/** `name:$LATEST` and `arn:…:function:name:$LATEST` name the unqualified function. */
function withoutLatest(nameOrArn: string): string {
  return nameOrArn.endsWith(':$LATEST') ? nameOrArn.slice(0, -':$LATEST'.length) : nameOrArn;
}
