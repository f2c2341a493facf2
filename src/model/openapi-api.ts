/**
 * REST APIs defined by an inline OpenAPI document (Swagger 2.0 or OpenAPI 3.x): an
 * AWS::ApiGateway::RestApi `Body`, an AWS::Serverless::Api `DefinitionBody`. API Gateway imports the
 * document: each path becomes a resource (and its parents), each verb or
 * `x-amazon-apigateway-any-method` a method, with the integration of
 * `x-amazon-apigateway-integration` and the auth of `security` (sigv4 → AWS_IAM, a Lambda or Cognito
 * authorizer, an API key); `x-amazon-apigateway-policy` is the resource policy and
 * `x-amazon-apigateway-endpoint-configuration` adds VPC endpoint ids.
 * Facts and sources: docs/runtime-semantics.md, "REST APIs defined by OpenAPI (and SAM)".
 * Synthesized entities have stable keys: resource `<Api>/<path>` (e.g. `Api/pets/{id}`), method
 * `<Api><path>/<VERB>` (`Api/pets/{id}/GET`, the root's `Api//GET`).
 */
import { alphabets, charsFrom, digest } from '../cloudformation/physical-ids.ts';
import type {
  ApiMethod,
  ApiResource,
  ApiStage,
  MockMapping,
  OpenApiAuthorizer,
  RestApi,
} from './api-gateway.ts';
import type { BuildContext } from './context.ts';
import { functionArnOfUri } from './integration-uri.ts';
import { type Ref, list, num, obj, str } from './refs.ts';

/** The API Gateway entities being built, shared by api-gateway.ts, openapi-api.ts and sam-api.ts. */
export interface ApiParts {
  readonly restApis: Map<string, RestApi>;
  readonly apiResources: Map<string, ApiResource>;
  readonly apiMethods: Map<string, ApiMethod>;
  readonly stages: ApiStage[];
}

const VERBS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const ANY_METHOD = 'x-amazon-apigateway-any-method';

/** A stable id of `length` lower-case alphanumerics (API Gateway's resource and authorizer ids look so). */
export function stableApiId(ctx: BuildContext, seed: string, purpose: string, length: number): string {
  return charsFrom(digest(ctx.template.stackName, seed, purpose), length, alphabets.LOWER_ALNUM);
}

export function apiRef(api: RestApi): Ref {
  return { kind: 'resource', logicalId: api.logicalId, physicalId: api.id };
}

/** Normalizes `/a/b/` → `/a/b`; '' → '/'. */
export function normalizePath(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The resource for `path` and every missing parent (the root is the API's own root resource). */
export function ensureResource(ctx: BuildContext, parts: ApiParts, api: RestApi, path: string): void {
  if (path === '/') return;
  const exists = [...parts.apiResources.values()].some(
    (r) => r.api.kind === 'resource' && r.api.logicalId === api.logicalId && r.path === path,
  );
  if (exists) return;
  const cut = path.lastIndexOf('/');
  const parentPath = cut <= 0 ? '/' : path.slice(0, cut);
  ensureResource(ctx, parts, api, parentPath);
  const logicalId = `${api.logicalId}${path}`;
  const resourceId = stableApiId(ctx, logicalId, 'api-resource', 6);
  parts.apiResources.set(logicalId, {
    logicalId,
    api: apiRef(api),
    pathPart: path.slice(cut + 1),
    path,
    parent:
      parentPath === '/'
        ? 'root'
        : {
            kind: 'resource',
            logicalId: `${api.logicalId}${parentPath}`,
            physicalId: stableApiId(ctx, `${api.logicalId}${parentPath}`, 'api-resource', 6),
          },
    resourceId,
  });
}

/** Adds a synthesized method (and its resources); an existing method for the same path and verb is kept. */
export function addSynthesizedMethod(
  ctx: BuildContext,
  parts: ApiParts,
  api: RestApi,
  path: string,
  method: Omit<ApiMethod, 'logicalId' | 'api' | 'path'>,
): ApiMethod | undefined {
  const verb = method.httpMethod.toUpperCase();
  const logicalId = `${api.logicalId}${path === '/' ? '/' : path}/${verb}`;
  if (parts.apiMethods.has(logicalId)) return undefined;
  ensureResource(ctx, parts, api, path);
  const built: ApiMethod = { ...method, logicalId, api: apiRef(api), path, httpMethod: verb };
  parts.apiMethods.set(logicalId, built);
  return built;
}

/** What an OpenAPI document says about the API as a whole. */
export interface OpenApiApiLevel {
  readonly policy?: unknown;
  readonly vpcEndpointIds: unknown[];
  /** Every (path, verb) the document defines, for SAM's resource-policy statements. */
  readonly operations: { readonly path: string; readonly verb: string }[];
}

/** Reads `doc` into `api`'s resources and methods; returns its API-level settings. */
export function readOpenApiDocument(
  ctx: BuildContext,
  parts: ApiParts,
  api: RestApi,
  doc: Record<string, unknown>,
  /** Security schemes added to the document's (SAM's `Auth.Authorizers`, which win over a same-named one). */
  extraSchemes: Record<string, unknown> = {},
): OpenApiApiLevel {
  const schemes = {
    ...(obj(doc.securityDefinitions) ?? obj(obj(doc.components)?.securitySchemes) ?? {}),
    ...extraSchemes,
  };
  const operations: { path: string; verb: string }[] = [];
  if (!obj(doc.paths))
    ctx.issue(api.logicalId, 'the OpenAPI document has no paths object: no method is modelled from it');
  for (const [rawPath, item] of Object.entries(obj(doc.paths) ?? {})) {
    const pathItem = obj(item);
    if (!pathItem) continue;
    const path = normalizePath(rawPath);
    for (const [key, value] of Object.entries(pathItem)) {
      const lowered = key.toLowerCase();
      const verb =
        lowered === ANY_METHOD ? 'ANY' : VERBS.includes(lowered) ? lowered.toUpperCase() : undefined;
      const operation = obj(value);
      if (!verb || !operation) continue;
      operations.push({ path, verb });
      const integration = obj(operation['x-amazon-apigateway-integration']);
      const functionArn = functionArnOfUri(str(integration?.uri));
      const auth = methodAuth(ctx, api, operation.security ?? doc.security, schemes);
      addSynthesizedMethod(ctx, parts, api, path, {
        httpMethod: verb,
        authorizationType: auth.authorizationType,
        integrationType: integrationType(integration),
        targetFunction: functionArn
          ? ctx.index('function').ref(functionArn, 'x-amazon-apigateway-integration.uri')
          : undefined,
        synthesized: 'openapi',
        apiKeyRequired: auth.apiKeyRequired,
        integrationCredentials: str(integration?.credentials),
        authorizer: auth.authorizer,
        mockMapping:
          integrationType(integration) === 'MOCK' ? openApiMockMapping(integration, operation) : undefined,
      });
      if (!integration)
        ctx.issue(
          api.logicalId,
          `${verb} ${path}: no x-amazon-apigateway-integration (API Gateway refuses the import)`,
        );
    }
  }
  // Swagger 2.0: a top-level extension; OpenAPI 3: under a server object.
  const endpoint =
    obj(doc['x-amazon-apigateway-endpoint-configuration']) ??
    list(doc.servers)
      .map((server) => obj(obj(server)?.['x-amazon-apigateway-endpoint-configuration']))
      .find((config) => config !== undefined);
  return {
    policy: doc['x-amazon-apigateway-policy'],
    vpcEndpointIds: list(endpoint?.vpcEndpointIds),
    operations,
  };
}

/** The string-valued entries of an object. */
function stringMap(value: unknown): Record<string, string> {
  return Object.fromEntries(
    Object.entries(obj(value) ?? {}).flatMap(([key, v]) => (typeof v === 'string' ? [[key, v]] : [])),
  );
}

/**
 * A MOCK operation's `requestTemplates`, `passthroughBehavior` and `responses` (keyed by selection
 * pattern, `default` for the default response), and the operation's own `responses` with the
 * headers each declares (its method responses).
 */
function openApiMockMapping(
  integration: Record<string, unknown> | undefined,
  operation: Record<string, unknown>,
): MockMapping {
  return {
    requestTemplates: stringMap(integration?.requestTemplates),
    passthroughBehavior: str(integration?.passthroughBehavior),
    integrationResponses: Object.entries(obj(integration?.responses) ?? {}).map(([pattern, value]) => {
      const response = obj(value);
      return {
        statusCode: str(response?.statusCode) ?? '',
        selectionPattern: pattern === 'default' ? undefined : pattern,
        responseParameters: stringMap(response?.responseParameters),
        responseTemplates: stringMap(response?.responseTemplates),
      };
    }),
    methodResponses: Object.entries(obj(operation.responses) ?? {}).map(([statusCode, value]) => ({
      statusCode,
      parameters: Object.keys(obj(obj(value)?.headers) ?? {}).map((name) => `method.response.header.${name}`),
    })),
  };
}

/** `aws_proxy` → AWS_PROXY, `mock` → MOCK… (the extension's `type` is case-insensitive). */
function integrationType(integration: Record<string, unknown> | undefined): string | undefined {
  return str(integration?.type)?.toUpperCase();
}

export interface MethodAuth {
  readonly authorizationType: string;
  readonly apiKeyRequired: boolean;
  readonly authorizer?: OpenApiAuthorizer;
}

/** The method's auth from its `security` requirements and the document's security schemes. */
export function methodAuth(
  ctx: BuildContext,
  api: RestApi,
  security: unknown,
  schemes: Record<string, unknown>,
): MethodAuth {
  let authorizationType = 'NONE';
  let apiKeyRequired = false;
  let authorizer: OpenApiAuthorizer | undefined;
  for (const requirement of list(security)) {
    for (const name of Object.keys(obj(requirement) ?? {})) {
      const scheme = obj(schemes[name]);
      if (!scheme) {
        ctx.issue(api.logicalId, `security scheme ${name} is not defined in the OpenAPI document`);
        continue;
      }
      const authtype = str(scheme['x-amazon-apigateway-authtype'])?.toLowerCase();
      const extension = obj(scheme['x-amazon-apigateway-authorizer']);
      if (authtype === 'awssigv4') authorizationType = 'AWS_IAM';
      else if (extension) {
        const type = (str(extension.type) ?? '').toUpperCase();
        authorizationType = type === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM';
        const header = str(scheme.in) === 'header' ? str(scheme.name) : undefined;
        authorizer = {
          name,
          id: stableApiId(ctx, `${api.logicalId}/authorizers/${name}`, 'authorizer', 6),
          type,
          authorizerUri: str(extension.authorizerUri),
          identitySource:
            str(extension.identitySource) ?? (header ? `method.request.header.${header}` : undefined),
          identityValidationExpression: str(extension.identityValidationExpression),
          ttlSeconds: num(extension.authorizerResultTtlInSeconds),
          credentials: str(extension.authorizerCredentials),
        };
      } else if (
        str(scheme.type)?.toLowerCase() === 'apikey' &&
        str(scheme.in) === 'header' &&
        str(scheme.name)?.toLowerCase() === 'x-api-key'
      )
        apiKeyRequired = true;
      else ctx.issue(api.logicalId, `security scheme ${name}: not an API Gateway scheme the model reads`);
    }
  }
  return { authorizationType, apiKeyRequired, authorizer };
}
