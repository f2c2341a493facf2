/**
 * Lambda authorizers (TOKEN and REQUEST) as API Gateway runs them for a REST API method:
 *  - the identity (the token header, or every identity source) must be present and not empty,
 *    and a TOKEN must match the authorizer's validation expression — else 401 without a call;
 *  - the function is invoked with API Gateway's authorizer event; an error "Unauthorized" is 401,
 *    any other error or an output without principalId / policyDocument is 500;
 *  - the returned policy is evaluated for the method's ARN, combined with the API's resource
 *    policy as in the developer guide's Table A: its Deny → 403 explicit deny; its Allow, or the
 *    resource policy's Allow → on; neither → 403;
 *  - results are cached per identity for the TTL, and a cached policy is evaluated for whichever
 *    method the next request calls (AWS's documented "403 on another path" behaviour).
 * Facts and sources: docs/runtime-semantics.md, "Lambda authorizers".
 */
import { compilePolicy, evaluate } from '../../policy/index.ts';
import type { ServiceRequest, ServiceResponse } from '../plugin.ts';
import type { AuthorizerDef, InvokePermission, LambdaInvoker } from './types.ts';
import { gatewayResponse, type ResponseIds } from './responses.ts';

type LambdaAuthorizerDef = Extract<AuthorizerDef, { kind: 'TOKEN' | 'REQUEST' }>;

/** What a request brings to its method's authorizer. */
export interface AuthorizerRequest {
  readonly req: ServiceRequest;
  /** `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>` */
  readonly methodArn: string;
  /** The API id and stage: a cached result belongs to one stage. */
  readonly scope: string;
  /** Whether the API's resource policy explicitly allows this request (Table A). */
  readonly resourcePolicyAllows: boolean;
  /** The REQUEST authorizer's event without `type` and `methodArn` (the proxy event's fields). */
  readonly requestFields: () => Readonly<Record<string, unknown>>;
  readonly ids: ResponseIds;
}

/** The authorizer let the request on: what the integration sees as `requestContext.authorizer`. */
export interface Authorized {
  readonly ok: true;
  readonly principalId: string;
  /** The output's `context`, values stringified as API Gateway passes them on. */
  readonly context: Readonly<Record<string, string>>;
  /** For usage plans whose API key source is AUTHORIZER. */
  readonly usageIdentifierKey?: string;
  /** How long the function took, ms; 0 when the result came from the cache. */
  readonly latencyMs: number;
}

export type AuthorizerOutcome = Authorized | { readonly ok: false; readonly response: ServiceResponse };

/** What a Lambda authorizer returned, checked. */
interface AuthorizerOutput {
  readonly principalId: string;
  readonly policy: ReturnType<typeof compilePolicy>;
  readonly context: Readonly<Record<string, string>>;
  readonly usageIdentifierKey?: string;
}

/** Gateway response UNAUTHORIZED: identity missing, not valid, or the function said "Unauthorized". */
export const unauthorized = (why: string, ids?: ResponseIds): ServiceResponse => ({
  ...gatewayResponse(401, 'UnauthorizedException', { message: 'Unauthorized' }, ids),
  refusal: `Lambda authorizer: ${why}`,
});

/** Gateway response AUTHORIZER_CONFIGURATION_ERROR: API Gateway answers `{"message": null}`. */
export function authorizerConfigurationError(why: string, ids?: ResponseIds): ServiceResponse {
  const response = gatewayResponse(500, 'AuthorizerConfigurationException', {}, ids);
  return { ...response, body: Buffer.from('{"message":null}'), refusal: `Lambda authorizer: ${why}` };
}

/** Gateway response ACCESS_DENIED for an authorizer's policy (capital M, as API Gateway sends it). */
function accessDenied(explicit: boolean, why: string, ids?: ResponseIds): ServiceResponse {
  const message = `User is not authorized to access this resource${explicit ? ' with an explicit deny' : ''}`;
  return { ...gatewayResponse(403, 'AccessDeniedException', { Message: message }, ids), denial: why };
}

export class LambdaAuthorizers {
  private readonly cache = new Map<string, { output: AuthorizerOutput; until: number }>();

  constructor(
    private readonly lambda: LambdaInvoker,
    private readonly accountId: () => string,
    private readonly mayInvoke?: InvokePermission,
    private readonly now: () => number = Date.now,
  ) {}

  async authorize(def: LambdaAuthorizerDef, request: AuthorizerRequest): Promise<AuthorizerOutcome> {
    const identity = identityOf(def, request);
    if (typeof identity === 'object')
      return { ok: false, response: unauthorized(identity.missing, request.ids) };
    const key =
      def.ttlSeconds > 0 && identity !== '' ? `${request.scope}\n${def.id}\n${identity}` : undefined;
    const cached = key ? this.cache.get(key) : undefined;
    let output: AuthorizerOutput;
    let latencyMs = 0;
    if (cached && cached.until > this.now()) output = cached.output;
    else {
      const started = Date.now();
      const called = await this.call(def, request, identity);
      latencyMs = Date.now() - started;
      if (!('principalId' in called)) return { ok: false, response: called.response };
      output = called;
      if (key) this.cache.set(key, { output, until: this.now() + def.ttlSeconds * 1000 });
    }
    return this.decide(def, output, request, latencyMs);
  }

  private async call(
    def: LambdaAuthorizerDef,
    request: AuthorizerRequest,
    token: string,
  ): Promise<AuthorizerOutput | { response: ServiceResponse }> {
    const event =
      def.kind === 'TOKEN'
        ? { type: 'TOKEN', authorizationToken: token, methodArn: request.methodArn }
        : { type: 'REQUEST', methodArn: request.methodArn, ...request.requestFields() };
    // The authorizer's function is called as apigateway.amazonaws.com for `<api>/authorizers/<id>`.
    const sourceArn = `${request.methodArn.split('/')[0]}/authorizers/${def.id}`;
    if (!def.credentials && this.mayInvoke && !this.mayInvoke(def.functionArn, sourceArn))
      return {
        response: authorizerConfigurationError(
          `${def.name}: no AWS::Lambda::Permission lets apigateway.amazonaws.com invoke ${def.functionArn} for ${sourceArn}`,
          request.ids,
        ),
      };
    const result = await this.lambda.invoke(def.functionArn, event);
    if (!result.ok) {
      // The authorizer's documented way to answer 401 is to fail with exactly "Unauthorized".
      if (result.error.errorMessage === 'Unauthorized')
        return { response: unauthorized(`${def.name} answered "Unauthorized"`, request.ids) };
      return {
        response: authorizerConfigurationError(
          `${def.name} failed: ${result.error.errorType}: ${result.error.errorMessage}`,
          request.ids,
        ),
      };
    }
    const output = parseOutput(result.payload, def.name);
    if (typeof output === 'string')
      return { response: authorizerConfigurationError(`${def.name}: ${output}`, request.ids) };
    return output;
  }

  /** The authorizer's policy for this method, with the resource policy (Table A, same account). */
  private decide(
    def: LambdaAuthorizerDef,
    output: AuthorizerOutput,
    request: AuthorizerRequest,
    latencyMs: number,
  ): AuthorizerOutcome {
    const decision = evaluate(
      {
        // The policy is the caller's own: evaluated as an identity policy of a principal of the account.
        principal: `arn:aws:sts::${this.accountId()}:assumed-role/lambda-authorizer/${def.id}`,
        action: 'execute-api:Invoke',
        resource: request.methodArn,
        context: {},
      },
      { identity: [output.policy] },
    );
    if (decision.decision === 'explicit-deny')
      return {
        ok: false,
        response: accessDenied(true, `${def.name}'s policy denies ${request.methodArn}`, request.ids),
      };
    if (decision.decision !== 'allowed' && !request.resourcePolicyAllows)
      return {
        ok: false,
        response: accessDenied(
          false,
          `neither ${def.name}'s policy (principal ${output.principalId}) nor the resource policy allows ${request.methodArn}`,
          request.ids,
        ),
      };
    return {
      ok: true,
      principalId: output.principalId,
      context: output.context,
      usageIdentifierKey: output.usageIdentifierKey,
      latencyMs,
    };
  }
}

/**
 * The identity the authorizer is called with and cached by: the token, or every identity source's
 * value joined. `{missing}` when one is absent or empty (401 without calling the function).
 */
function identityOf(def: LambdaAuthorizerDef, request: AuthorizerRequest): string | { missing: string } {
  const values: string[] = [];
  for (const source of def.identitySources) {
    const value = sourceValue(source, request);
    if (value === undefined || value === '')
      return { missing: `identity source ${source} is missing or empty` };
    values.push(value);
  }
  if (def.kind === 'TOKEN') {
    const token = values[0] ?? '';
    if (def.validationExpression !== undefined && !fullMatch(def.validationExpression, token))
      return { missing: `the token does not match the validation expression ${def.validationExpression}` };
    return token;
  }
  return values.join('\n');
}

function sourceValue(source: string, request: AuthorizerRequest): string | undefined {
  const header = /^method\.request\.header\.(.+)$/i.exec(source);
  if (header) return request.req.headers[header[1].toLowerCase()];
  const query = /^method\.request\.querystring\.(.+)$/i.exec(source);
  if (query) return request.req.url.searchParams.get(query[1]) ?? undefined;
  const fields = request.requestFields();
  const stage = /^stageVariables\.(.+)$/.exec(source);
  if (stage) return (fields.stageVariables as Record<string, string> | null)?.[stage[1]];
  const context = /^context\.(.+)$/.exec(source);
  if (context) {
    let value: unknown = fields.requestContext;
    for (const part of context[1].split('.'))
      value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}

/** The whole token must match (as Java's `String.matches`, which API Gateway's expression suggests). */
function fullMatch(expression: string, token: string): boolean {
  try {
    return new RegExp(`^(?:${expression})$`).test(token);
  } catch {
    return false;
  }
}

/** The function's output as API Gateway reads it; a string says why it is not usable. */
function parseOutput(payload: unknown, name: string): AuthorizerOutput | string {
  if (!payload || typeof payload !== 'object') return 'the output is not an object';
  const out = payload as Record<string, unknown>;
  if (typeof out.principalId !== 'string' || out.principalId === '') return 'the output has no principalId';
  if (!out.policyDocument || typeof out.policyDocument !== 'object')
    return 'the output has no policyDocument';
  let policy;
  try {
    policy = compilePolicy(out.policyDocument, `${name} policy`, 'identity');
  } catch (error) {
    return `could not parse the policy: ${error instanceof Error ? error.message : String(error)}`;
  }
  const context: Record<string, string> = {};
  if (out.context !== undefined && out.context !== null) {
    if (typeof out.context !== 'object' || Array.isArray(out.context)) return 'context is not a map';
    for (const [k, v] of Object.entries(out.context)) {
      // "You cannot set a JSON object or array as a valid value of any key in the context map."
      if (v !== null && typeof v === 'object') return `context.${k} is an object or array`;
      context[k] = String(v);
    }
  }
  const usageIdentifierKey = typeof out.usageIdentifierKey === 'string' ? out.usageIdentifierKey : undefined;
  return { principalId: out.principalId, policy, context, usageIdentifierKey };
}
