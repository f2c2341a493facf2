export { LambdaRuntime } from './lambda-runtime.ts';
export { InvocationLogs } from './invocation-logs.ts';
export { lambdaEnvironment } from './lambda-environment.ts';
export type {
  InvokeOptions,
  InvokeResult,
  LambdaCredentials,
  LambdaErrorShape,
  LambdaFunctionDef,
  LambdaLogLineInfo,
  LambdaLogSink,
  LambdaRuntimeOptions,
} from './types.ts';
