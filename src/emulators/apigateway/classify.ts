/**
 * What an execute-api request is, for the gateway: the API, stage and route it reaches, the IAM
 * action and resource ARN to authorize (`execute-api:Invoke` on
 * `arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>`), the method's
 * authorization type and whether the API is private. Pure and in-memory.
 */
import type { Classified, ServiceRequest } from '../plugin.ts';
import { locateTarget, type RequestTarget } from './request-target.ts';
import type { RouteMatch, Router } from './router.ts';
import type { EndpointType, RestApiDef } from './types.ts';

export interface DeployedApi {
  readonly def: RestApiDef;
  readonly router: Router;
}

/** Why a request reaches no integration; each has API Gateway's own answer (see responses.ts). */
export type RouteOutcome = 'ok' | 'no-such-api' | 'no-such-stage' | 'no-route';

export interface ExecuteApiClassified extends Classified {
  readonly service: 'execute-api';
  readonly outcome: RouteOutcome;
  readonly target?: RequestTarget;
  readonly api?: {
    readonly id: string;
    readonly logicalId: string;
    readonly endpointType: EndpointType;
    readonly private: boolean;
    readonly vpcEndpointIds: readonly string[];
    readonly hasPolicy: boolean;
  };
  /** NONE, AWS_IAM, …; undefined when no method matched. */
  readonly authorizationType?: string;
  readonly apiKeyRequired?: boolean;
  readonly route?: RouteMatch;
}

export interface Scope {
  readonly region: string;
  readonly accountId: string;
}

export function apiArnPrefix(scope: Scope, apiId: string): string {
  return `arn:aws:execute-api:${scope.region}:${scope.accountId}:${apiId}`;
}

export function classifyExecuteApi(
  req: ServiceRequest,
  apis: ReadonlyMap<string, DeployedApi>,
  scope: Scope,
): ExecuteApiClassified {
  const target = locateTarget(req, scope.region);
  const deployed = target ? apis.get(target.apiId) : undefined;
  if (!target || !deployed) {
    return { ...nothing(), outcome: 'no-such-api', target };
  }
  const { def } = deployed;
  const method = req.method.toUpperCase();
  const resourceArn = `${apiArnPrefix(scope, def.id)}/${target.stage}/${method}/${target.path.replace(/^\//, '')}`;
  const api = {
    id: def.id,
    logicalId: def.logicalId,
    endpointType: def.endpointType,
    private: def.endpointType === 'PRIVATE',
    vpcEndpointIds: def.vpcEndpointIds,
    hasPolicy: def.policy !== undefined,
  };
  const base = {
    service: 'execute-api' as const,
    operation: 'Invoke',
    actions: ['execute-api:Invoke'],
    resources: [resourceArn],
    checks: [{ action: 'execute-api:Invoke', resource: resourceArn }],
    policyArns: def.policy ? [apiArnPrefix(scope, def.id)] : [],
    serviceKeys: {},
    target,
    api,
  };
  if (!def.stages.includes(target.stage)) return { ...base, outcome: 'no-such-stage' };
  const route = deployed.router.match(method, target.path);
  if (!route) return { ...base, outcome: 'no-route' };
  return {
    ...base,
    outcome: 'ok',
    route,
    authorizationType: route.method.authorizationType,
    apiKeyRequired: route.method.apiKeyRequired,
  };
}

function nothing() {
  return {
    service: 'execute-api' as const,
    operation: 'Unknown',
    actions: [],
    resources: [],
    checks: [],
    policyArns: [],
    serviceKeys: {},
  };
}
