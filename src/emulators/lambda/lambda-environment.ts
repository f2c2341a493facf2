/**
 * The environment a function's worker sees — built from scratch, never the parent's process.env,
 * so two functions (and the twin itself) never see each other's variables or credentials.
 * Reserved names and values follow Lambda's "Defined runtime environment variables"
 * (docs/runtime-semantics.md has the source).
 */
import type { LambdaFunctionDef } from './types.ts';

const DEFAULT_REGION = 'us-east-1';

export function lambdaEnvironment(def: LambdaFunctionDef, logStreamName?: string): Record<string, string> {
  const region = def.region ?? DEFAULT_REGION;
  // Lambda refuses reserved keys in Environment.Variables; here the reserved values simply win.
  const env: Record<string, string> = {
    ...def.env,
    _HANDLER: def.handler,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${def.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: def.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(def.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${def.functionName}`,
    ...(logStreamName ? { AWS_LAMBDA_LOG_STREAM_NAME: logStreamName } : {}),
    LAMBDA_TASK_ROOT: def.codeDir,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    LANG: 'en_US.UTF-8',
    PATH: '/usr/local/bin:/usr/bin/:/bin:/opt/bin',
  };
  if (def.credentials) {
    env.AWS_ACCESS_KEY_ID = def.credentials.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = def.credentials.secretAccessKey;
    if (def.credentials.sessionToken) env.AWS_SESSION_TOKEN = def.credentials.sessionToken;
  }
  if (def.endpointUrl) env.AWS_ENDPOINT_URL = def.endpointUrl;
  return env;
}
