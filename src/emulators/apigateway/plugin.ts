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
import {
  denyResponse,
  forbidden,
  gatewayResponse,
  idHeaders,
  internalServerError,
  missingAuthenticationToken,
  newResponseIds,
  noSuchApi,
  badRequest,
  tooManyRequests,
} from './responses.ts';
import { RequestValidator } from './request-validation.ts';
import { Router } from './router.ts';
import { ApiThrottles } from './throttle.ts';
import { WebAclRunner, type WafVerdict } from './web-acl.ts';
import type { LambdaInvoker, MethodDef, RestApiDef } from './types.ts';

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
  /** Each validated method's validator, its schemas compiled once. */
  private readonly validators = new Map<MethodDef, RequestValidator>();

  constructor(
    defs: readonly RestApiDef[],
    private readonly lambda: LambdaInvoker,
    private readonly log: IntegrationLog = () => undefined,
  ) {
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
    });
    const result = await this.lambda.invoke(functionArnOf(integration.functionArn), event);
    const outcome = mapProxyResult(result, ids);
    if (!outcome.ok) this.log(target.apiId, ids.requestId, `Execution failed: ${outcome.reason}`);
    return outcome.response;
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
