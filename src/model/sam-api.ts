/**
 * SAM REST APIs, as the SAM transform would deploy them: an AWS::Serverless::Api (its
 * `DefinitionBody`, `StageName`, `EndpointConfiguration`, `Auth.ResourcePolicy`), and the routes
 * of AWS::Serverless::Function `Events` of `Type: Api` — on the API named by `RestApiId`, or on the
 * implicit `ServerlessRestApi` (stage `Prod`) SAM creates for events without one. Each event is an
 * AWS_PROXY method to its function, and SAM writes the function's AWS::Lambda::Permission for it.
 * SAM's `Auth` (`Authorizers`, `DefaultAuthorizer`, `ApiKeyRequired`, an event's `Auth`) becomes the
 * methods' authorization, API key requirement and authorizer, and `Cors` an `OPTIONS` MOCK method on
 * every path — as samtranslator writes them into the OpenAPI document it deploys.
 * Facts and sources: docs/runtime-semantics.md, "REST APIs defined by OpenAPI (and SAM)".
 */
import { restApi as restApiIdentity } from '../cloudformation/identity-apps.ts';
import type { ApiMethod, MockMapping, RestApi, SamUsagePlan } from './api-gateway.ts';
import { stageThrottles } from './api-throttling.ts';
import type { BuildContext } from './context.ts';
import {
  addSynthesizedMethod,
  apiRef,
  methodAuth,
  normalizePath,
  readOpenApiDocument,
  type ApiParts,
} from './openapi-api.ts';
import { bool, list, logicalIdOf, obj, str } from './refs.ts';
import { parsePolicy } from './vpc-endpoint.ts';

/** The logical id SAM gives the API it creates for `Api` events without a RestApiId. */
export const IMPLICIT_API = 'ServerlessRestApi';

/** SAM's ResourcePolicy keys this model turns into statements; the others are named in an issue. */
const READ_POLICY_KEYS = ['CustomStatements', 'SourceVpcWhitelist', 'SourceVpcBlacklist'];

/** SAM's `Auth` keys this model reads (`UsagePlan`: see `samUsagePlanOf`). */
const READ_AUTH_KEYS = [
  'ResourcePolicy',
  'Authorizers',
  'DefaultAuthorizer',
  'AddDefaultAuthorizerToCorsPreflight',
  'ApiKeyRequired',
  'AddApiKeyRequiredToCorsPreflight',
  'UsagePlan',
];

/** An API's `Auth`, as SAM applies it to the document's methods. */
interface SamApiAuth {
  /** SAM's authorizers in the OpenAPI form SAM writes (`securityDefinitions`), plus `AWS_IAM`. */
  readonly schemes: Record<string, Record<string, unknown>>;
  readonly defaultAuthorizer?: string;
  /** @default true (SAM's default) */
  readonly defaultAuthorizerOnPreflight: boolean;
  readonly apiKeyRequired: boolean;
  /** @default true (SAM's default) */
  readonly apiKeyOnPreflight: boolean;
  /** The API has its own DefinitionBody: an event overrides the default only with `OverrideApiAuth`. */
  readonly hasDefinitionBody: boolean;
}

/** An `Api` event's `Auth`, for the method it created. */
interface EventAuth {
  readonly fn: string;
  readonly event: string;
  readonly authorizer?: string;
  readonly apiKeyRequired?: boolean;
  readonly overrideApiAuth: boolean;
}

/** SAM writes `securityDefinitions.AWS_IAM` so for `Authorizer: AWS_IAM` (swagger.py `add_awsiam_security_definition`). */
const AWS_IAM_SCHEME = {
  'x-amazon-apigateway-authtype': 'awsSigv4',
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
};
/** And `securityDefinitions.api_key` for `ApiKeyRequired` (swagger.py `add_apikey_security_definition`). */
const API_KEY_SCHEME = { type: 'apiKey', name: 'x-api-key', in: 'header' };

export function buildSamApis(ctx: BuildContext, parts: ApiParts): void {
  const pendingPolicies: { api: RestApi; resourcePolicy: Record<string, unknown>; stage: string }[] = [];
  const documentPolicies = new Map<string, unknown>();
  const apiAuths = new Map<string, SamApiAuth>();
  const corsByApi = new Map<string, unknown>();
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
    const auth = obj(props.Auth);
    const samAuth = auth ? samApiAuth(ctx, api, auth, props.DefinitionBody !== undefined) : undefined;
    if (body) {
      // SAM adds its authorizers to the document's security schemes: its own `security` may name them.
      const level = readOpenApiDocument(ctx, parts, api, body, samAuth?.schemes);
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
    const unread = Object.keys(auth ?? {}).filter((key) => !READ_AUTH_KEYS.includes(key));
    if (unread.length > 0) ctx.issue(api.logicalId, `Auth.${unread.join(', Auth.')} is not modelled`);
    if (auth && samAuth) {
      apiAuths.set(api.logicalId, samAuth);
      const permissions = samAuthorizerPermissions(api, auth);
      if (permissions.length > 0)
        parts.restApis.set(api.logicalId, {
          ...parts.restApis.get(api.logicalId)!,
          samAuthorizerPermissions: permissions,
        });
      const samUsagePlan = samUsagePlanOf(ctx, api, auth, stageName);
      if (samUsagePlan)
        parts.restApis.set(api.logicalId, { ...parts.restApis.get(api.logicalId)!, samUsagePlan });
    }
    if (props.Cors !== undefined) corsByApi.set(api.logicalId, props.Cors);
  }

  const eventAuths = addApiEvents(ctx, parts);
  // SAM's order (api_generator.py `_construct_rest_api`): `_add_cors`, then `_add_auth`.
  for (const [apiId, cors] of corsByApi) {
    const api = parts.restApis.get(apiId);
    if (api) addSamCors(ctx, parts, api, cors);
  }
  for (const [apiId, auth] of apiAuths) {
    const api = parts.restApis.get(apiId);
    if (api) applySamAuth(ctx, parts, api, auth, eventAuths);
  }
  for (const [key, eventAuth] of eventAuths) {
    const method = parts.apiMethods.get(key);
    const api = method?.api.kind === 'resource' ? parts.restApis.get(method.api.logicalId) : undefined;
    if (method && api && !apiAuths.has(api.logicalId)) applyEventOnlyAuth(ctx, parts, api, method, eventAuth);
  }

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

/**
 * `Events` of `Type: Api` of every AWS::Serverless::Function; returns each event's `Auth`, keyed by
 * the method the event created (methods a DefinitionBody already has are not keyed).
 */
function addApiEvents(ctx: BuildContext, parts: ApiParts): Map<string, EventAuth> {
  const eventAuths = new Map<string, EventAuth>();
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
      const auth = obj(props.Auth);
      if (auth && synthesized)
        eventAuths.set(synthesized.logicalId, {
          fn: fn.logicalId,
          event: eventName,
          authorizer: str(auth.Authorizer),
          apiKeyRequired: bool(auth.ApiKeyRequired),
          overrideApiAuth: bool(auth.OverrideApiAuth) === true,
        });
      else if (auth)
        ctx.issue(
          fn.logicalId,
          `event ${eventName}: Auth on a route the DefinitionBody already defines is not applied; the document's security stands`,
        );
      const unreadAuth = Object.keys(auth ?? {}).filter(
        (key) => !['Authorizer', 'ApiKeyRequired', 'OverrideApiAuth'].includes(key),
      );
      if (unreadAuth.length > 0)
        ctx.issue(fn.logicalId, `event ${eventName}: Auth.${unreadAuth.join(', Auth.')} is not modelled`);
    }
  }
  return eventAuths;
}

/**
 * One of SAM's `Auth.Authorizers` in the form SAM writes into `securityDefinitions`
 * (samtranslator model/apigateway.py `ApiGatewayAuthorizer.generate_swagger`): a Lambda authorizer
 * (`FunctionArn`; `FunctionPayloadType` TOKEN, the default, or REQUEST) or a Cognito one
 * (`UserPoolArn`). TOKEN reads the header `Identity.Header` (default `Authorization`); REQUEST the
 * `Identity` Headers / QueryStrings / StageVariables / Context; `Identity.ReauthorizeEvery` is the
 * result TTL; `Identity.ValidationExpression` applies to TOKEN and Cognito only.
 */
function samAuthorizerScheme(
  ctx: BuildContext,
  api: RestApi,
  name: string,
  value: unknown,
): Record<string, unknown> | undefined {
  const authorizer = obj(value);
  if (!authorizer) {
    ctx.issue(api.logicalId, `Auth.Authorizers.${name} is not an object (SAM refuses the template)`);
    return undefined;
  }
  const identity = obj(authorizer.Identity);
  const validation = str(identity?.ValidationExpression);
  const header = str(identity?.Header) ?? 'Authorization';
  if (authorizer.UserPoolArn !== undefined)
    return {
      type: 'apiKey',
      name: header,
      in: 'header',
      'x-amazon-apigateway-authtype': 'cognito_user_pools',
      'x-amazon-apigateway-authorizer': {
        type: 'cognito_user_pools',
        providerARNs: list(authorizer.UserPoolArn),
        ...(validation ? { identityValidationExpression: validation } : {}),
      },
    };
  const functionArn = str(authorizer.FunctionArn);
  if (!functionArn) {
    ctx.issue(
      api.logicalId,
      `Auth.Authorizers.${name}: neither FunctionArn nor UserPoolArn (resolved): its methods' requests are refused`,
    );
    return {
      type: 'apiKey',
      name: header,
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': { type: 'token' },
    };
  }
  const payload = (str(authorizer.FunctionPayloadType) ?? 'TOKEN').toUpperCase();
  const extension: Record<string, unknown> = {
    type: payload === 'REQUEST' ? 'request' : 'token',
    authorizerUri: `arn:${ctx.template.partition}:apigateway:${ctx.template.region}:lambda:path/2015-03-31/functions/${functionArn}/invocations`,
  };
  if (identity?.ReauthorizeEvery !== undefined)
    extension.authorizerResultTtlInSeconds = identity.ReauthorizeEvery;
  const role = str(authorizer.FunctionInvokeRole);
  if (role && role !== 'NONE') extension.authorizerCredentials = role;
  if (payload === 'REQUEST') {
    const sources = [
      ...list(identity?.Headers).map((h) => `method.request.header.${str(h) ?? ''}`),
      ...list(identity?.QueryStrings).map((q) => `method.request.querystring.${str(q) ?? ''}`),
      ...list(identity?.StageVariables).map((v) => `stageVariables.${str(v) ?? ''}`),
      ...list(identity?.Context).map((c) => `context.${str(c) ?? ''}`),
    ];
    if (sources.length === 0)
      ctx.issue(
        api.logicalId,
        `Auth.Authorizers.${name}: a REQUEST authorizer without Identity Headers, QueryStrings, StageVariables or Context (SAM refuses the template)`,
      );
    extension.identitySource = sources.join(', ');
  } else if (validation) extension.identityValidationExpression = validation;
  return {
    type: 'apiKey',
    name: payload === 'REQUEST' ? 'Unused' : header,
    in: 'header',
    'x-amazon-apigateway-authtype': 'custom',
    'x-amazon-apigateway-authorizer': extension,
  };
}

/** The API's `Auth`: its authorizers as security schemes and its defaults. */
function samApiAuth(
  ctx: BuildContext,
  api: RestApi,
  auth: Record<string, unknown>,
  hasDefinitionBody: boolean,
): SamApiAuth {
  const schemes: Record<string, Record<string, unknown>> = {
    AWS_IAM: AWS_IAM_SCHEME,
    api_key: API_KEY_SCHEME,
  };
  for (const [name, value] of Object.entries(obj(auth.Authorizers) ?? {})) {
    const scheme = samAuthorizerScheme(ctx, api, name, value);
    if (scheme) schemes[name] = scheme;
  }
  const defaultAuthorizer = str(auth.DefaultAuthorizer);
  if (defaultAuthorizer && !schemes[defaultAuthorizer])
    ctx.issue(
      api.logicalId,
      `Auth.DefaultAuthorizer ${defaultAuthorizer} is not defined in Auth.Authorizers (SAM refuses the template)`,
    );
  return {
    schemes,
    defaultAuthorizer: defaultAuthorizer && schemes[defaultAuthorizer] ? defaultAuthorizer : undefined,
    defaultAuthorizerOnPreflight: bool(auth.AddDefaultAuthorizerToCorsPreflight) !== false,
    apiKeyRequired: bool(auth.ApiKeyRequired) === true,
    apiKeyOnPreflight: bool(auth.AddApiKeyRequiredToCorsPreflight) !== false,
    hasDefinitionBody,
  };
}

/** The AWS::Lambda::Permission SAM writes for each Lambda authorizer (api_generator.py `_get_permission`). */
function samAuthorizerPermissions(
  api: RestApi,
  auth: Record<string, unknown>,
): { logicalId: string; functionArn: string }[] {
  return Object.entries(obj(auth.Authorizers) ?? {}).flatMap(([name, value]) => {
    const functionArn = str(obj(value)?.FunctionArn);
    return functionArn ? [{ logicalId: `${api.logicalId}${name}AuthorizerPermission`, functionArn }] : [];
  });
}

/**
 * `Auth.UsagePlan` (samtranslator api_generator.py `_construct_usage_plan`, `_construct_api_key`,
 * `_construct_usage_plan_key`): PER_API → `<api>UsagePlan`, `<api>ApiKey` (Enabled: true, value
 * generated by API Gateway), `<api>UsagePlanKey`; SHARED → `ServerlessUsagePlan`, `ServerlessApiKey`,
 * `ServerlessUsagePlanKey` shared by every SHARED API; the plan covers the API's `StageName` stage
 * and gets `Description`, `Quota`, `Throttle` as written. NONE (or no stage): nothing.
 */
function samUsagePlanOf(
  ctx: BuildContext,
  api: RestApi,
  auth: Record<string, unknown>,
  stageName: string | undefined,
): SamUsagePlan | undefined {
  const plan = obj(auth.UsagePlan);
  if (!plan) return undefined;
  const create = str(plan.CreateUsagePlan);
  if (create === 'NONE') return undefined;
  if (create !== 'PER_API' && create !== 'SHARED') {
    ctx.issue(
      api.logicalId,
      `Auth.UsagePlan CreateUsagePlan ${create ?? '(none)'} is not PER_API, SHARED or NONE (SAM refuses the template): no usage plan is modelled`,
    );
    return undefined;
  }
  if (!stageName) return undefined;
  const prefix = create === 'SHARED' ? 'Serverless' : api.logicalId;
  return {
    createUsagePlan: create,
    usagePlanLogicalId: `${prefix}UsagePlan`,
    apiKeyLogicalId: `${prefix}ApiKey`,
    usagePlanKeyLogicalId: `${prefix}UsagePlanKey`,
    stageName,
    description: str(plan.Description),
    quota: plan.Quota,
    throttle: plan.Throttle,
  };
}

/** `auth`'s security requirement `name` applied to `method` (`NONE`: no authorization). */
function withAuthorizer(
  ctx: BuildContext,
  api: RestApi,
  method: ApiMethod,
  name: string,
  schemes: Record<string, unknown>,
): ApiMethod {
  if (name === 'NONE') return { ...method, authorizationType: 'NONE', authorizer: undefined };
  if (!schemes[name]) {
    ctx.issue(
      api.logicalId,
      `${method.httpMethod} ${method.path ?? ''}: authorizer ${name} is not defined in the API's Auth.Authorizers (SAM refuses the template)`,
    );
    return method;
  }
  const read = methodAuth(ctx, api, [{ [name]: [] }], schemes);
  return { ...method, authorizationType: read.authorizationType, authorizer: read.authorizer };
}

/**
 * SAM's `Auth` on every method of the API that has an integration (swagger.py
 * `set_path_default_authorizer`, `set_path_default_apikey_required`, `add_auth_to_method`): an
 * event's `Authorizer` (a name, `AWS_IAM`, or `NONE`) wins for its method, a document method with its
 * own authorizer keeps it, every other method gets `DefaultAuthorizer` — `OPTIONS` only with
 * `AddDefaultAuthorizerToCorsPreflight` (default true). `ApiKeyRequired` likewise, an event's own
 * `ApiKeyRequired` (true or false) winning, `OPTIONS` only with `AddApiKeyRequiredToCorsPreflight`.
 * **Chosen** (the SAM guide: "If you use the DefinitionBody property … you must use OverrideApiAuth
 * with Authorizer to override your global authorizer"): on an API with a DefinitionBody and a
 * DefaultAuthorizer, an event's `Authorizer` counts only with `OverrideApiAuth: true`.
 */
function applySamAuth(
  ctx: BuildContext,
  parts: ApiParts,
  api: RestApi,
  auth: SamApiAuth,
  eventAuths: ReadonlyMap<string, EventAuth>,
): void {
  for (const [key, method] of parts.apiMethods) {
    if (method.api.kind !== 'resource' || method.api.logicalId !== api.logicalId) continue;
    if (!method.integrationType) continue;
    const preflight = method.httpMethod === 'OPTIONS';
    const event = eventAuths.get(key);
    const eventOverrides =
      event?.authorizer !== undefined &&
      (!auth.hasDefinitionBody || !auth.defaultAuthorizer || event.overrideApiAuth);
    if (event?.authorizer !== undefined && !eventOverrides)
      ctx.issue(
        event.fn,
        `event ${event.event}: Auth.Authorizer ${event.authorizer} without OverrideApiAuth on an API with a DefinitionBody: the DefaultAuthorizer ${auth.defaultAuthorizer ?? ''} is kept`,
      );
    let updated = method;
    if (eventOverrides) updated = withAuthorizer(ctx, api, updated, event.authorizer!, auth.schemes);
    else if (method.synthesized === 'openapi' && method.authorizationType !== 'NONE') updated = method;
    else if (auth.defaultAuthorizer && (auth.defaultAuthorizerOnPreflight || !preflight))
      updated = withAuthorizer(ctx, api, updated, auth.defaultAuthorizer, auth.schemes);
    if (event?.apiKeyRequired !== undefined) updated = { ...updated, apiKeyRequired: event.apiKeyRequired };
    else if (auth.apiKeyRequired && (auth.apiKeyOnPreflight || !preflight))
      updated = { ...updated, apiKeyRequired: true };
    if (updated !== method) parts.apiMethods.set(key, updated);
  }
}

/** An event's `Auth` on an API without `Auth` (or the implicit API): `AWS_IAM`, `NONE`, `ApiKeyRequired`. */
function applyEventOnlyAuth(
  ctx: BuildContext,
  parts: ApiParts,
  api: RestApi,
  method: ApiMethod,
  event: EventAuth,
): void {
  let updated = method;
  if (event.authorizer !== undefined)
    updated = withAuthorizer(ctx, api, updated, event.authorizer, { AWS_IAM: AWS_IAM_SCHEME });
  if (event.apiKeyRequired !== undefined) updated = { ...updated, apiKeyRequired: event.apiKeyRequired };
  if (updated !== method) parts.apiMethods.set(method.logicalId, updated);
}

const CORS_KEYS = ['AllowMethods', 'AllowHeaders', 'AllowOrigin', 'MaxAge', 'AllowCredentials'];
/** swagger.py `_ALL_HTTP_METHODS`, for a path with `ANY`. */
const ALL_HTTP_METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];

/**
 * SAM's `Cors` (api_generator.py `_add_cors`, swagger.py `add_cors` /
 * `_options_method_response_for_cors`): every path without an `OPTIONS` method gets one, a MOCK
 * whose request template is `{"statusCode" : 200}` and whose default response (200) sets
 * `Access-Control-Allow-Origin` (default `'*'`), `-Allow-Headers` and `-Max-Age` when given,
 * `-Allow-Methods` (default: the path's methods and OPTIONS, upper-case, sorted; every method for
 * `ANY`), `-Allow-Credentials: 'true'` only when AllowCredentials is true; body `{}`.
 */
function addSamCors(ctx: BuildContext, parts: ApiParts, api: RestApi, cors: unknown): void {
  const config = typeof cors === 'string' ? { AllowOrigin: cors } : obj(cors);
  if (!config) {
    ctx.issue(
      api.logicalId,
      'Cors is not a string or an object the model can read: no OPTIONS methods are modelled',
    );
    return;
  }
  const unknown = Object.keys(config).filter((key) => !CORS_KEYS.includes(key));
  if (unknown.length > 0)
    ctx.issue(
      api.logicalId,
      `Cors.${unknown.join(', Cors.')}: not a Cors property (SAM refuses the template)`,
    );
  const origin = str(config.AllowOrigin) ?? "'*'";
  const credentials = bool(config.AllowCredentials) === true;
  if (credentials && origin === "'*'") {
    ctx.issue(
      api.logicalId,
      `Cors: AllowCredentials can not be true when AllowOrigin is "'*'" or not set (SAM refuses the template)`,
    );
    return;
  }
  const byPath = new Map<string, string[]>();
  for (const method of parts.apiMethods.values())
    if (method.api.kind === 'resource' && method.api.logicalId === api.logicalId && method.path)
      byPath.set(method.path, [...(byPath.get(method.path) ?? []), method.httpMethod.toUpperCase()]);
  for (const [path, verbs] of byPath) {
    if (verbs.includes('OPTIONS')) continue;
    const allowMethods =
      str(config.AllowMethods) ??
      `'${[...new Set(verbs.includes('ANY') ? ALL_HTTP_METHODS : [...verbs, 'OPTIONS'])].sort().join(',')}'`;
    const parameters: Record<string, string> = {
      'method.response.header.Access-Control-Allow-Origin': origin,
    };
    const headers = str(config.AllowHeaders);
    if (headers) parameters['method.response.header.Access-Control-Allow-Headers'] = headers;
    parameters['method.response.header.Access-Control-Allow-Methods'] = allowMethods;
    if (config.MaxAge !== undefined)
      parameters['method.response.header.Access-Control-Max-Age'] = String(config.MaxAge as string | number);
    if (credentials) parameters['method.response.header.Access-Control-Allow-Credentials'] = "'true'";
    const mockMapping: MockMapping = {
      requestTemplates: { 'application/json': '{\n  "statusCode" : 200\n}\n' },
      passthroughBehavior: undefined,
      integrationResponses: [
        {
          statusCode: '200',
          selectionPattern: undefined,
          responseParameters: parameters,
          responseTemplates: { 'application/json': '{}\n' },
        },
      ],
      methodResponses: [{ statusCode: '200', parameters: Object.keys(parameters) }],
    };
    addSynthesizedMethod(ctx, parts, api, path, {
      httpMethod: 'OPTIONS',
      authorizationType: 'NONE',
      integrationType: 'MOCK',
      synthesized: 'sam-cors',
      apiKeyRequired: false,
      mockMapping,
    });
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
