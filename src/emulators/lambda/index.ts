export { LambdaRuntime } from './lambda-runtime.ts';
export { lambdaEnvironment } from './lambda-environment.ts';
export type {
  InvokeOptions,
  InvokeResult,
  LambdaCredentials,
  LambdaErrorShape,
  LambdaFunctionDef,
  LambdaLogSink,
  LambdaRuntimeOptions,
} from './types.ts';
