/**
 * SAM REST APIs, as the SAM transform would deploy them: an AWS::Serverless::Api (its
 * `DefinitionBody`, `StageName`, `EndpointConfiguration`, `Auth.ResourcePolicy`), and the routes
 * of AWS::Serverless::Function `Events` of `Type: Api` — on the API named by `RestApiId`, or on the
 * implicit `ServerlessRestApi` (stage `Prod`) SAM creates for events without one. Each event is an
 * AWS_PROXY method to its function, and SAM writes the function's AWS::Lambda::Permission for it.
 * Facts and sources: docs/runtime-semantics.md, "REST APIs defined by OpenAPI (and SAM)".
 */
import { restApi as restApiIdentity } from '../cloudformation/identity-apps.ts';
import type { RestApi } from './api-gateway.ts';
import { stageThrottles } from './api-throttling.ts';
import type { BuildContext } from './context.ts';
import {
  addSynthesizedMethod,
  apiRef,
  normalizePath,
  readOpenApiDocument,
  type ApiParts,
} from './openapi-api.ts';
import { list, logicalIdOf, obj, str } from './refs.ts';
import { parsePolicy } from './vpc-endpoint.ts';

/** The logical id SAM gives the API it creates for `Api` events without a RestApiId. */
export const IMPLICIT_API = 'ServerlessRestApi';

/** SAM's ResourcePolicy keys this model turns into statements; the others are named in an issue. */
const READ_POLICY_KEYS = ['CustomStatements', 'SourceVpcWhitelist', 'SourceVpcBlacklist'];

export function buildSamApis(ctx: BuildContext, parts: ApiParts): void {
  const pendingPolicies: { api: RestApi; resourcePolicy: Record<string, unknown>; stage: string }[] = [];
  const documentPolicies = new Map<string, unknown>();
  for (const resource of ctx.ofType('AWS::Serverless::Api')) {
    const props = resource.properties;
    const endpoint = endpointOf(props.EndpointConfiguration);
    const body = obj(props.DefinitionBody);
    const api: RestApi = {
      logicalId: resource.logicalId,
      id: str(resource.attributes.RestApiId) ?? resource.physicalId,
      name: str(props.Name),
      endpointTypes: endpoint.types,
      vpcEndpointIds: ctx
        .index('vpcEndpoint')
        .refs(endpoint.vpcEndpointIds, 'EndpointConfiguration.VPCEndpointIds'),
      rootResourceId: str(resource.attributes.RootResourceId),
      fromOpenApi: props.DefinitionBody !== undefined || props.DefinitionUri !== undefined,
      source: 'sam-api',
    };
    parts.restApis.set(api.logicalId, api);
    if (body) {
      const level = readOpenApiDocument(ctx, parts, api, body);
      documentPolicies.set(api.logicalId, level.policy);
      if (level.vpcEndpointIds.length > 0)
        parts.restApis.set(api.logicalId, {
          ...api,
          vpcEndpointIds: [
            ...api.vpcEndpointIds,
            ...ctx
              .index('vpcEndpoint')
              .refs(level.vpcEndpointIds, 'x-amazon-apigateway-endpoint-configuration'),
          ],
        });
    } else if (props.DefinitionUri !== undefined)
      ctx.issue(
        api.logicalId,
        'DefinitionUri (an OpenAPI document in S3) is not read: its methods are not modelled',
      );
    const stageName = str(props.StageName);
    if (stageName)
      parts.stages.push({
        logicalId: `${api.logicalId}${stageName}Stage`,
        api: apiRef(api),
        stageName,
        throttles: stageThrottles(props),
      });
    else ctx.issue(api.logicalId, 'StageName is not set (SAM requires it): no stage is modelled');
    // SAM's Deployment also creates a stage named "Stage" unless OpenApiVersion is set.
    if (props.OpenApiVersion === undefined && stageName !== 'Stage')
      parts.stages.push({
        logicalId: `${api.logicalId}Deployment`,
        api: apiRef(api),
        stageName: 'Stage',
        throttles: [],
      });
    const resourcePolicy = obj(obj(props.Auth)?.ResourcePolicy);
    if (resourcePolicy) pendingPolicies.push({ api, resourcePolicy, stage: stageName ?? '*' });
    const auth = obj(props.Auth);
    const unread = Object.keys(auth ?? {}).filter((key) => key !== 'ResourcePolicy');
    if (unread.length > 0)
      ctx.issue(
        api.logicalId,
        `Auth.${unread.join(', Auth.')} is not modelled (authorizers, API keys of SAM's Auth)`,
      );
  }

  addApiEvents(ctx, parts);

  // The policy last: SAM's whitelist statements name every method of the API, events' included.
  for (const api of parts.restApis.values()) {
    if (api.source !== 'sam-api') continue;
    const pending = pendingPolicies.find((p) => p.api.logicalId === api.logicalId);
    const policy = samPolicy(ctx, parts, api, documentPolicies.get(api.logicalId), pending);
    parts.restApis.set(api.logicalId, { ...parts.restApis.get(api.logicalId)!, policy });
  }
}

/** SAM: `EndpointConfiguration: PRIVATE` or `{Type, VPCEndpointIds}`; default EDGE (API Gateway's). */
function endpointOf(value: unknown): { types: string[]; vpcEndpointIds: unknown } {
  const type = str(value) ?? str(obj(value)?.Type);
  // SAM documents VPCEndpointIds; templates also write VpcEndpointIds (RestApi's spelling): both are read.
  const config = obj(value);
  return {
    types: [type ? type.toUpperCase() : 'EDGE'],
    vpcEndpointIds: config?.VPCEndpointIds ?? config?.VpcEndpointIds,
  };
}

/** `Events` of `Type: Api` of every AWS::Serverless::Function. */
function addApiEvents(ctx: BuildContext, parts: ApiParts): void {
  let implicit: RestApi | undefined;
  for (const fn of ctx.ofType('AWS::Serverless::Function')) {
    for (const [eventName, value] of Object.entries(obj(fn.properties.Events) ?? {})) {
      const event = obj(value);
      if (str(event?.Type) !== 'Api') continue;
      const props = obj(event?.Properties) ?? {};
      const path = str(props.Path);
      const method = str(props.Method);
      if (!path || !method) {
        ctx.issue(fn.logicalId, `event ${eventName}: Api event without Path or Method`);
        continue;
      }
      let api: RestApi | undefined;
      if (props.RestApiId !== undefined) {
        const ref = ctx.index('restApi').ref(props.RestApiId, `Events.${eventName}.RestApiId`);
        api = parts.restApis.get(logicalIdOf(ref) ?? '');
        if (!api || api.source !== 'sam-api') {
          ctx.issue(
            fn.logicalId,
            `event ${eventName}: RestApiId names no AWS::Serverless::Api of the template`,
          );
          continue;
        }
      } else api = implicit ??= implicitApi(ctx, parts);
      const verb = method.toLowerCase() === 'any' ? 'ANY' : method.toUpperCase();
      const normalized = normalizePath(path);
      // SAM's permission: `<api>/*/<METHOD or *>/<path, {param} → *>`, every stage (samtranslator push.py).
      const permissionPath = normalized.replace(/\{[a-zA-Z0-9._-]+\+?\}/g, '*');
      const synthesized = addSynthesizedMethod(ctx, parts, api, normalized, {
        httpMethod: verb,
        authorizationType: 'NONE',
        integrationType: 'AWS_PROXY',
        targetFunction: { kind: 'resource', logicalId: fn.logicalId, physicalId: fn.physicalId },
        synthesized: 'sam-event',
        apiKeyRequired: false,
        samPermission: {
          logicalId: `${fn.logicalId}${eventName}Permission${api === implicit ? 'Prod' : ''}`,
          sourceArnPath: `*/${verb === 'ANY' ? '*' : verb}${permissionPath}`,
        },
      });
      // The DefinitionBody already has the route: SAM keeps the document's method and adds the permission.
      if (!synthesized) {
        const key = `${api.logicalId}${normalized === '/' ? '/' : normalized}/${verb}`;
        const existing = parts.apiMethods.get(key);
        if (existing)
          parts.apiMethods.set(key, {
            ...existing,
            samPermission: {
              logicalId: `${fn.logicalId}${eventName}Permission`,
              sourceArnPath: `*/${verb === 'ANY' ? '*' : verb}${permissionPath}`,
            },
          });
      }
      if (props.Auth !== undefined)
        ctx.issue(fn.logicalId, `event ${eventName}: Auth is not modelled; the method is taken as NONE`);
    }
  }
}

/** SAM's implicit API: `ServerlessRestApi`, stage `Prod`, EDGE, no policy. */
function implicitApi(ctx: BuildContext, parts: ApiParts): RestApi {
  const identity = restApiIdentity({
    stackName: ctx.template.stackName,
    region: ctx.template.region,
    accountId: ctx.template.accountId,
    partition: ctx.template.partition,
    urlSuffix: ctx.template.urlSuffix,
    logicalId: IMPLICIT_API,
    type: 'AWS::ApiGateway::RestApi',
    properties: {},
    resourceByPhysicalId: () => undefined,
  });
  const id = identity.physicalId;
  const api: RestApi = {
    logicalId: IMPLICIT_API,
    id,
    name: ctx.template.stackName,
    endpointTypes: ['EDGE'],
    vpcEndpointIds: [],
    rootResourceId: str(identity.attributes.RootResourceId),
    fromOpenApi: true,
    source: 'sam-implicit-api',
  };
  parts.restApis.set(IMPLICIT_API, api);
  ctx.index('restApi').add(IMPLICIT_API, id);
  parts.stages.push({
    logicalId: `${IMPLICIT_API}ProdStage`,
    api: apiRef(api),
    stageName: 'Prod',
    throttles: [],
  });
  return api;
}

/**
 * The API's resource policy: the document's `x-amazon-apigateway-policy`, plus what SAM writes for
 * `Auth.ResourcePolicy` (samtranslator swagger.py `add_resource_policy`): `CustomStatements` as
 * given; `SourceVpcWhitelist` → Allow + Deny `StringNotEquals` on aws:SourceVpc / aws:SourceVpce
 * (by the ids' `vpc-` / `vpce-` prefix); `SourceVpcBlacklist` → the same with `StringEquals`; each on
 * `execute-api:/<stage>/<METHOD>/<path>` of every method.
 */
function samPolicy(
  ctx: BuildContext,
  parts: ApiParts,
  api: RestApi,
  documentPolicy: unknown,
  pending: { resourcePolicy: Record<string, unknown>; stage: string } | undefined,
): unknown {
  const base = parsePolicy(documentPolicy);
  if (!pending) return base;
  const { resourcePolicy, stage } = pending;
  const unread = Object.keys(resourcePolicy).filter((key) => !READ_POLICY_KEYS.includes(key));
  if (unread.length > 0)
    ctx.issue(
      api.logicalId,
      `Auth.ResourcePolicy.${unread.join(', .')} is not modelled: the policy lacks those statements`,
    );
  const existing = obj(base)?.Statement;
  const statements: unknown[] = Array.isArray(existing)
    ? [...existing]
    : existing !== undefined
      ? [existing]
      : [];
  const add = (statement: unknown) => {
    const text = JSON.stringify(statement);
    if (!statements.some((s) => JSON.stringify(s) === text)) statements.push(statement);
  };
  const resources = [...parts.apiMethods.values()]
    .filter((m) => m.api.kind === 'resource' && m.api.logicalId === api.logicalId && m.path)
    .map((m) => {
      const path = (m.path === '/' ? '/' : m.path!).replace(/\{[a-zA-Z0-9._-]+\+?\}/g, '*');
      return `execute-api:/${stage}/${m.httpMethod === 'ANY' ? '*' : m.httpMethod}${path}`;
    });
  const vpcStatements = (ids: unknown, conditional: string) => {
    const values = list(ids)
      .map((id) => str(id))
      .filter((id): id is string => id !== undefined);
    const condition: Record<string, string[]> = {};
    const vpcs = values.filter((id) => id.startsWith('vpc-') && !id.startsWith('vpce-'));
    const vpces = values.filter((id) => id.startsWith('vpce-'));
    if (vpcs.length > 0) condition['aws:SourceVpc'] = vpcs;
    if (vpces.length > 0) condition['aws:SourceVpce'] = vpces;
    if (Object.keys(condition).length === 0) return;
    add({ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: resources, Principal: '*' });
    add({
      Effect: 'Deny',
      Action: 'execute-api:Invoke',
      Resource: resources,
      Principal: '*',
      Condition: { [conditional]: condition },
    });
  };
  vpcStatements(resourcePolicy.SourceVpcBlacklist, 'StringEquals');
  vpcStatements(resourcePolicy.SourceVpcWhitelist, 'StringNotEquals');
  const custom = resourcePolicy.CustomStatements;
  for (const statement of Array.isArray(custom) ? custom : custom !== undefined ? [custom] : [])
    add(statement);
  return statements.length > 0 ? { Version: '2012-10-17', Statement: statements } : base;
}
