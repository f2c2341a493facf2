/**
 * The Lambda API's Invoke operation (REST-JSON, signing name `lambda`): what a workload's
 * `LambdaClient.send(new InvokeCommand(…))` reaches. `classify` names the action
 * `lambda:InvokeFunction` on the function's ARN and the function's resource-based policy (the
 * template's AWS::Lambda::Permissions), so the gateway's authorizer decides identity policy +
 * function policy + endpoint policy as for every other service; `handle` runs the function in the
 * twin's Lambda runtime (RequestResponse), queues it (Event) or only answers (DryRun). Every other
 * Lambda API operation is answered 501 NotImplemented rather than pretended.
 * Facts and sources: docs/emulator-semantics.md, "Lambda Invoke API".
 */
import { randomUUID } from 'node:crypto';
import type {
  Caller,
  Classified,
  DenyKind,
  EmulatorPlugin,
  PluginContext,
  ServiceRequest,
  ServiceResponse,
} from '../plugin.ts';
import { JSON_DENIALS } from '../common/json-denials.ts';
import { jsonRequestId } from '../common/request-id.ts';
import { ServiceError } from '../common/service-error.ts';
import type { InvokeResult } from '../lambda/types.ts';

/** A function the twin runs: its physical name and unqualified ARN. */
export interface LambdaFunctionRef {
  readonly name: string;
  readonly arn: string;
}

/** What the plugin needs of the Lambda runtime. */
export interface LambdaInvoker {
  invoke(arn: string, event: unknown, options: { readonly requestId: string }): Promise<InvokeResult>;
  /**
   * The log lines of one finished invocation (console output and the START/END/REPORT lines),
   * when the runtime captures them; undefined otherwise. May wait (briefly) for late output.
   */
  logOf?(requestId: string): string | undefined | Promise<string | undefined>;
}

export interface LambdaApiOptions {
  readonly functions: readonly LambdaFunctionRef[];
  readonly invoker: LambdaInvoker;
  /** The function's resource-based policy (JSON text), from its AWS::Lambda::Permissions. */
  readonly policyOf?: (functionArn: string) => string | undefined;
  /** Where an asynchronous (Event) invocation's failure is reported. @default console.error */
  readonly onAsyncError?: (functionArn: string, error: unknown) => void;
}

/** `POST /2015-03-31/functions/{FunctionName}/invocations` (FunctionName URI-encoded). */
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
/** Synchronous request payload: 6 MB ("Request must be smaller than 6291456 bytes …"). */
export const SYNC_PAYLOAD_LIMIT = 6_291_456;
/** Asynchronous (Event) request payload: 1 MB since October 2025 (256 KB before). */
export const ASYNC_PAYLOAD_LIMIT = 1_048_576;
/** X-Amz-Log-Result carries the last 4 KB of the execution log. */
const LOG_TAIL_BYTES = 4096;
const LATEST = '$LATEST';

/** The target of an Invoke request, as the path and `Qualifier` name it. */
export interface InvokeTarget {
  /** The unqualified function ARN (of a function the twin runs, or as the request spells it). */
  readonly arn: string;
  readonly qualifier?: string;
  /** The function, when the twin runs it. */
  readonly fn?: LambdaFunctionRef;
}

export class LambdaApiEmulator implements EmulatorPlugin {
  readonly service = 'lambda';
  private region = 'us-east-1';
  private accountId = '000000000000';
  private partition = 'aws';
  private readonly byName = new Map<string, LambdaFunctionRef>();
  private readonly byArn = new Map<string, LambdaFunctionRef>();

  constructor(private readonly options: LambdaApiOptions) {
    for (const fn of options.functions) {
      this.byName.set(fn.name, fn);
      this.byArn.set(fn.arn, fn);
    }
    // Known before start(): the functions' ARNs name the twin's region and account.
    const first = options.functions[0]?.arn.split(':');
    if (first && first.length >= 7) {
      this.partition = first[1];
      this.region = first[3];
      this.accountId = first[4];
    }
  }

  async start(ctx: PluginContext): Promise<void> {
    this.region = ctx.region;
    this.accountId = ctx.accountId;
  }

  async stop(): Promise<void> {}

  /** The function a FunctionName (+ Qualifier) names: name, ARN or partial ARN, optionally `:qualifier`. */
  target(functionName: string, qualifierParam?: string | null): InvokeTarget {
    const parts = functionName.split(':');
    let name: string;
    let account = this.accountId;
    let region = this.region;
    let partition = this.partition;
    let qualifier: string | undefined;
    if (parts[0] === 'arn') {
      // arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]
      partition = parts[1] ?? partition;
      region = parts[3] ?? region;
      account = parts[4] ?? account;
      name = parts[6] ?? '';
      qualifier = parts[7];
    } else if (parts[1] === 'function') {
      // <account>:function:<name>[:<qualifier>]
      account = parts[0];
      name = parts[2] ?? '';
      qualifier = parts[3];
    } else {
      name = parts[0];
      qualifier = parts[1];
    }
    if (qualifierParam !== undefined && qualifierParam !== null && qualifierParam !== '') {
      // Both given and different: one of them is not $LATEST, which the twin does not have.
      if (qualifier === undefined || qualifier === LATEST) qualifier = qualifierParam;
    }
    const arn = `arn:${partition}:lambda:${region}:${account}:function:${name}`;
    const fn =
      account === this.accountId && region === this.region && partition === this.partition
        ? this.byName.get(name)
        : undefined;
    return { arn: fn?.arn ?? arn, qualifier, fn };
  }

  classify(req: ServiceRequest): Classified {
    const match = req.method === 'POST' ? INVOKE_PATH.exec(req.url.pathname) : null;
    if (!match) {
      return {
        service: 'lambda',
        operation: 'Unknown',
        actions: [],
        resources: [],
        checks: [],
        policyArns: [],
        serviceKeys: {},
      };
    }
    const target = this.target(decodeSegment(match[1]), req.url.searchParams.get('Qualifier'));
    // An invocation with a qualifier is authorized on the qualified ARN.
    const resource = target.qualifier === undefined ? target.arn : `${target.arn}:${target.qualifier}`;
    return {
      service: 'lambda',
      operation: 'Invoke',
      actions: ['lambda:InvokeFunction'],
      resources: [resource],
      checks: [{ action: 'lambda:InvokeFunction', resource }],
      resourceOwner: target.fn ? 'function' : undefined,
      policyArns: target.fn ? [target.fn.arn] : [],
      serviceKeys: {},
    };
  }

  async handle(req: ServiceRequest, _caller: Caller): Promise<ServiceResponse> {
    const match = req.method === 'POST' ? INVOKE_PATH.exec(req.url.pathname) : null;
    if (!match) {
      return lambdaError(
        'NotImplemented',
        `The twin emulates only Invoke of the Lambda API, not ${req.method} ${req.url.pathname}.`,
        501,
      );
    }
    try {
      return await this.invoke(
        req,
        this.target(decodeSegment(match[1]), req.url.searchParams.get('Qualifier')),
      );
    } catch (error) {
      if (error instanceof ServiceError)
        return lambdaError(error.code, error.message, error.status, error.extra);
      throw error;
    }
  }

  deny(kind: DenyKind, message: string, _req: ServiceRequest): ServiceResponse {
    // REST-JSON: the same codes as the JSON services, with 403 (AccessDeniedException: `{"Message"}`).
    return lambdaError(
      JSON_DENIALS[kind],
      message,
      403,
      undefined,
      kind === 'AccessDenied' ? 'Message' : 'message',
    );
  }

  error(code: string, message: string, status: number, _req: ServiceRequest): ServiceResponse {
    return lambdaError(code, message, status);
  }

  resourcePolicy(arn: string): string | undefined {
    return this.byArn.has(arn) ? this.options.policyOf?.(arn) : undefined;
  }

  private async invoke(req: ServiceRequest, target: InvokeTarget): Promise<ServiceResponse> {
    const fn = target.fn;
    if (!fn || (target.qualifier !== undefined && target.qualifier !== LATEST)) {
      // The message names the ARN as asked, with its qualifier.
      const named = target.qualifier === undefined ? target.arn : `${target.arn}:${target.qualifier}`;
      throw new ServiceError('ResourceNotFoundException', `Function not found: ${named}`, 404, {
        Type: 'User',
      });
    }
    const type = req.headers['x-amz-invocation-type'] ?? 'RequestResponse';
    if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
      throw new ServiceError(
        'InvalidParameterValueException',
        `Unsupported X-Amz-Invocation-Type '${type}': use RequestResponse, Event or DryRun`,
        400,
        { Type: 'User' },
      );
    }
    const size = req.body.length;
    if (type === 'Event' && size > ASYNC_PAYLOAD_LIMIT) {
      throw new ServiceError(
        'RequestEntityTooLargeException',
        `${size} byte payload is too large for the Event invocation type (limit ${ASYNC_PAYLOAD_LIMIT} bytes)`,
        413,
        { Type: 'User' },
      );
    }
    if (size > SYNC_PAYLOAD_LIMIT) {
      throw new ServiceError(
        'RequestEntityTooLargeException',
        `Request must be smaller than ${SYNC_PAYLOAD_LIMIT} bytes for the InvokeFunction operation`,
        413,
        { Type: 'User' },
      );
    }
    const event = parsePayload(req.body);
    const requestId = randomUUID();
    const common = { 'x-amzn-requestid': requestId };
    if (type === 'DryRun') {
      return { status: 204, headers: { ...common, 'content-length': '0' }, body: Buffer.alloc(0) };
    }
    if (type === 'Event') {
      // Queued: the caller gets 202 at once; the function runs on its own.
      void this.options.invoker.invoke(fn.arn, event, { requestId }).then(
        (result) => {
          if (!result.ok) this.reportAsync(fn.arn, `${result.error.errorType}: ${result.error.errorMessage}`);
        },
        (error: unknown) => this.reportAsync(fn.arn, error),
      );
      return { status: 202, headers: { ...common, 'content-length': '0' }, body: Buffer.alloc(0) };
    }
    const result = await this.options.invoker.invoke(fn.arn, event, { requestId });
    const body = Buffer.from(JSON.stringify(result.ok ? result.payload : result.error), 'utf8');
    const headers: Record<string, string> = {
      ...common,
      'content-type': 'application/json',
      'content-length': String(body.length),
      'x-amz-executed-version': LATEST,
    };
    if (!result.ok) headers['x-amz-function-error'] = 'Unhandled';
    if ((req.headers['x-amz-log-type'] ?? 'None') === 'Tail') {
      const log = await this.options.invoker.logOf?.(requestId);
      if (log !== undefined) headers['x-amz-log-result'] = logTail(log);
    }
    return { status: 200, headers, body };
  }

  private reportAsync(functionArn: string, error: unknown): void {
    if (this.options.onAsyncError) this.options.onAsyncError(functionArn, error);
    else console.error(`securecart twin: asynchronous invocation of ${functionArn} failed:`, error);
  }
}

/** The last 4 KB of a log, base64 (cut on a byte boundary, as Lambda does). */
export function logTail(log: string): string {
  const bytes = Buffer.from(log, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString('base64');
}

/** The event: the request body as JSON; an empty body is `{}`. */
function parsePayload(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch (error) {
    throw new ServiceError(
      'InvalidRequestContentException',
      `Could not parse request body into json: ${error instanceof Error ? error.message : String(error)}`,
      400,
      { Type: 'User' },
    );
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Lambda's REST-JSON error: `x-amzn-ErrorType` names the exception and the body carries its
 * members — `Type` ("User" or "Service") and the message, under `Message` or `message` as each
 * exception's shape has it (the SDK reads either).
 */
export function lambdaError(
  code: string,
  message: string,
  status: number,
  extra: Readonly<Record<string, string>> = {},
  messageKey: 'Message' | 'message' = code === 'ResourceNotFoundException' ? 'Message' : 'message',
): ServiceResponse {
  const body = Buffer.from(JSON.stringify({ ...extra, [messageKey]: message }), 'utf8');
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'x-amzn-requestid': jsonRequestId(),
      'x-amzn-errortype': code,
    },
    body,
  };
}
