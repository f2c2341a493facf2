/**
 * API Gateway REST APIs behind the twin's gateway, in the same plugin shape as the other
 * emulators: `classify` says which API/stage/route and which `execute-api:Invoke` ARN to authorize
 * (with the method's authorization type and whether the API is private); `handle` runs the
 * integration — a Lambda proxy integration through the Lambda runtime, or a MOCK — and answers as
 * API Gateway does. Nothing here enforces policy: the gateway authorizes with `resourcePolicy()`.
 */
import type {
  Caller,
  DenyKind,
  EmulatorPlugin,
  PluginContext,
  ServiceRequest,
  ServiceResponse,
} from '../plugin.ts';
import {
  apiArnPrefix,
  classifyExecuteApi,
  type DeployedApi,
  type ExecuteApiClassified,
  type Scope,
} from './classify.ts';
import { functionArnOf } from './function-arn.ts';
import { buildProxyEvent, type ExecuteApiCaller } from './proxy-event.ts';
import { mapProxyResult } from './proxy-response.ts';
import { runMockIntegration } from './mock-integration.ts';
import {
  denyResponse,
  forbidden,
  gatewayResponse,
  idHeaders,
  internalServerError,
  missingAuthenticationToken,
  newResponseIds,
  noSuchApi,
  type ResponseIds,
  badRequest,
  tooManyRequests,
} from './responses.ts';
import { RequestValidator } from './request-validation.ts';
import { Router } from './router.ts';
import { ApiThrottles } from './throttle.ts';
import { ApiKeys } from './api-keys.ts';
import { WebAclRunner, type WafVerdict } from './web-acl.ts';
import {
  authorizerConfigurationError,
  LambdaAuthorizers,
  unauthorized,
  type AuthorizerOutcome,
} from './lambda-authorizer.ts';
import type { InvokePermission, LambdaInvoker, MethodDef, RestApiDef } from './types.ts';

/** Why the last failed integration failed (API Gateway writes this to its execution log). */
export type IntegrationLog = (apiId: string, requestId: string, message: string) => void;

export class ApiGatewayEmulator implements EmulatorPlugin {
  readonly service = 'execute-api';
  private readonly apis = new Map<string, DeployedApi>();
  private scope: Scope = { region: 'us-east-1', accountId: '000000000000' };
  private readonly throttles = new ApiThrottles(
    (apiId, stage) => this.apis.get(apiId)?.def.stageThrottles?.[stage] ?? [],
  );

  private readonly firewalls = new Map<string, WebAclRunner>();
  /** API keys and usage plans: per-key throttling and quotas. */
  private readonly apiKeys = new ApiKeys();
  private readonly authorizers: LambdaAuthorizers;
  /** Each validated method's validator, its schemas compiled once. */
  private readonly validators = new Map<MethodDef, RequestValidator>();

  constructor(
    defs: readonly RestApiDef[],
    private readonly lambda: LambdaInvoker,
    private readonly log: IntegrationLog = () => undefined,
    /** The functions' permissions for API Gateway; absent: every invocation is permitted. */
    private readonly mayInvoke?: InvokePermission,
  ) {
    this.authorizers = new LambdaAuthorizers(lambda, () => this.scope.accountId, mayInvoke);
    for (const def of defs) {
      this.apis.set(def.id, { def, router: new Router(def.resources) });
      for (const resource of def.resources)
        for (const method of resource.methods)
          if (method.validation) this.validators.set(method, new RequestValidator(method.validation));
    }
  }

  async start(ctx: PluginContext): Promise<void> {
    // REST APIs are defined by the template; nothing to load from disk.
    this.scope = { region: ctx.region, accountId: ctx.accountId };
  }

  async stop(): Promise<void> {}

  classify(req: ServiceRequest): ExecuteApiClassified {
    return classifyExecuteApi(req, this.apis, this.scope);
  }

  /** What the stage's AWS WAF web ACL decides for a request from `sourceIp`; undefined: no web ACL. */
  firewall(classified: ExecuteApiClassified, sourceIp: string, now = Date.now()): WafVerdict | undefined {
    const target = classified.target;
    if (!target) return undefined;
    const acl = this.apis.get(target.apiId)?.def.webAcls?.[target.stage];
    if (!acl) return undefined;
    const key = `${target.apiId} ${target.stage}`;
    let runner = this.firewalls.get(key);
    if (!runner) {
      runner = new WebAclRunner(acl);
      this.firewalls.set(key, runner);
    }
    return runner.evaluate(sourceIp, now);
  }

  async handle(req: ServiceRequest, caller: Caller | ExecuteApiCaller): Promise<ServiceResponse> {
    const ids = newResponseIds();
    const classified = this.classify(req);
    const { target, route } = classified;
    if (classified.outcome === 'no-such-api' || !target) return noSuchApi(target?.apiId ?? '', ids);
    if (classified.outcome === 'no-such-stage') return forbidden(ids);
    const deployed = this.apis.get(target.apiId);
    if (classified.outcome === 'no-route' || !route || !deployed) return missingAuthenticationToken(ids);
    // A CUSTOM / Cognito method's authorizer decides before API keys, throttling and validation.
    const authorized = await this.runAuthorizer(req, caller, classified, deployed.def, ids);
    if (authorized && !authorized.ok) return authorized.response;
    // API key and usage plan (its throttling first: "per-client … limits … in a usage plan").
    const keyedCall = {
      api: deployed.def,
      stage: target.stage,
      route,
      headers: req.headers,
      keyFromAuthorizer: authorized?.ok ? authorized.usageIdentifierKey : undefined,
    };
    const keyRefusal = this.apiKeys.check(keyedCall, ids, Date.now());
    if (keyRefusal) return keyRefusal;
    if (
      !this.throttles.admit(
        target.apiId,
        target.stage,
        route.resource.path,
        route.method.httpMethod,
        Date.now(),
      )
    )
      return tooManyRequests(ids);
    const invalid = this.validators.get(route.method)?.check(req, route.pathParameters);
    if (invalid) return badRequest(invalid.message, ids);

    const integration = route.method.integration;
    if (integration.type === 'MOCK' && integration.mock) {
      const outcome = runMockIntegration(integration.mock, req, ids);
      if (outcome.failure) this.log(target.apiId, ids.requestId, outcome.failure);
      return outcome.response;
    }
    if (integration.type === 'MOCK') {
      const mock = integration.mockResponse ?? { statusCode: 200 };
      return {
        status: mock.statusCode,
        headers: { 'content-type': 'application/json', ...mock.headers, ...idHeaders(ids) },
        body: Buffer.from(mock.body ?? ''),
      };
    }
    if (integration.type !== 'AWS_PROXY' || !integration.functionArn) {
      this.log(target.apiId, ids.requestId, `integration type ${integration.type} is not run by the twin`);
      return internalServerError(ids, 500);
    }
    const event = buildProxyEvent({
      req,
      caller,
      api: deployed.def,
      target,
      route,
      ids,
      accountId: this.scope.accountId,
      authorizer: authorized?.ok
        ? {
            ...authorized.context,
            principalId: authorized.principalId,
            integrationLatency: authorized.latencyMs,
          }
        : undefined,
      apiKey: this.apiKeys.keyOf(keyedCall),
    });
    const functionArn = functionArnOf(integration.functionArn);
    // API Gateway calls the function as apigateway.amazonaws.com: its permission must name this method.
    if (!integration.credentials && this.mayInvoke && !this.mayInvoke(functionArn, classified.resources[0])) {
      const why = `Execution failed due to configuration error: Invalid permissions on Lambda function (no AWS::Lambda::Permission lets apigateway.amazonaws.com invoke ${functionArn} for ${classified.resources[0]})`;
      this.log(target.apiId, ids.requestId, why);
      return { ...internalServerError(ids, 500), refusal: why };
    }
    const result = await this.lambda.invoke(functionArn, event);
    const outcome = mapProxyResult(result, ids);
    if (!outcome.ok) this.log(target.apiId, ids.requestId, `Execution failed: ${outcome.reason}`);
    return outcome.response;
  }

  /** The method's authorizer, when it has one: undefined for NONE and AWS_IAM methods. */
  private async runAuthorizer(
    req: ServiceRequest,
    caller: Caller | ExecuteApiCaller,
    classified: ExecuteApiClassified,
    api: RestApiDef,
    ids: ResponseIds,
  ): Promise<AuthorizerOutcome | undefined> {
    const authorizer = classified.route?.method.authorizer;
    const target = classified.target;
    if (!authorizer || !target || !classified.route) return undefined;
    if (authorizer.kind === 'unrunnable')
      return {
        ok: false,
        response: authorizerConfigurationError(`${authorizer.name}: ${authorizer.reason}`, ids),
      };
    if (authorizer.kind === 'COGNITO_USER_POOLS') {
      const header = (authorizer.identitySources[0] ?? 'method.request.header.Authorization').replace(
        /^method\.request\.header\./i,
        '',
      );
      const token = req.headers[header.toLowerCase()];
      return {
        ok: false,
        response: unauthorized(
          token
            ? `${authorizer.name}: the twin does not run Amazon Cognito and cannot verify the token`
            : `${authorizer.name}: no ${header} header`,
          ids,
        ),
      };
    }
    const route = classified.route;
    return this.authorizers.authorize(authorizer, {
      req,
      methodArn: classified.resources[0],
      scope: `${target.apiId} ${target.stage}`,
      resourcePolicyAllows: 'resourcePolicyAllows' in caller && caller.resourcePolicyAllows === true,
      requestFields: () => {
        const event = buildProxyEvent({
          req,
          caller,
          api,
          target,
          route,
          ids,
          accountId: this.scope.accountId,
        });
        return {
          resource: event.resource,
          path: event.path,
          httpMethod: event.httpMethod,
          headers: event.headers,
          multiValueHeaders: event.multiValueHeaders,
          queryStringParameters: event.queryStringParameters,
          multiValueQueryStringParameters: event.multiValueQueryStringParameters,
          pathParameters: event.pathParameters,
          stageVariables: event.stageVariables,
          requestContext: event.requestContext,
        };
      },
      ids,
    });
  }

  deny(kind: DenyKind, message: string, _req: ServiceRequest): ServiceResponse {
    return denyResponse(kind, message);
  }

  error(code: string, message: string, status: number, _req: ServiceRequest): ServiceResponse {
    return gatewayResponse(status, code, { message });
  }

  /**
   * The API's resource policy with API Gateway's shorthand `execute-api:/<stage>/<METHOD>/<path>`
   * expanded to full ARNs, as API Gateway does when it saves the policy. `arn` is the API's ARN
   * prefix given in `Classified.policyArns`.
   */
  resourcePolicy(arn: string): string | undefined {
    for (const { def } of this.apis.values()) {
      const prefix = apiArnPrefix(this.scope, def.id);
      if (arn !== prefix || def.policy === undefined) continue;
      return JSON.stringify(def.policy, (_key, value: unknown) =>
        typeof value === 'string' && value.startsWith('execute-api:/')
          ? prefix + value.slice('execute-api:'.length)
          : value,
      );
    }
    return undefined;
  }

  /** The deployed API with this id (for the twin's summary and twin.json). */
  api(id: string): RestApiDef | undefined {
    return this.apis.get(id)?.def;
  }
}
