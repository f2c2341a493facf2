/**
 * API Gateway REST APIs: endpoint configuration (EDGE / REGIONAL / PRIVATE, VpcEndpointIds),
 * resource policy, the resource path tree, methods (auth type, Lambda proxy target), stages and
 * deployments.
 */
import type { BuildContext } from './context.ts';
import { type Ref, list, logicalIdOf, obj, str } from './refs.ts';
import { functionArnOfUri } from './integration-uri.ts';
import { parsePolicy } from './vpc-endpoint.ts';
import { deploymentStageThrottles, stageThrottles, type MethodThrottle } from './api-throttling.ts';
import { readOpenApiDocument, type ApiParts } from './openapi-api.ts';
import { buildSamApis } from './sam-api.ts';

export interface RestApi {
  readonly logicalId: string;
  /** The API id (what Ref returns); the hostname is `<id>.execute-api.<region>.amazonaws.com`. */
  readonly id: string;
  readonly name?: string;
  /** @default ['EDGE'] */
  readonly endpointTypes: string[];
  readonly vpcEndpointIds: Ref[];
  readonly policy?: unknown;
  readonly rootResourceId?: string;
  /**
   * Defined by an OpenAPI document (RestApi Body/BodyS3Location, Serverless::Api
   * DefinitionBody/DefinitionUri). An inline one is read by openapi-api.ts; one in S3 is not.
   */
  readonly fromOpenApi: boolean;
  /** Where it comes from: a RestApi, a SAM AWS::Serverless::Api, or SAM's implicit `ServerlessRestApi`. @default 'rest-api' */
  readonly source?: 'rest-api' | 'sam-api' | 'sam-implicit-api';
  /**
   * SAM `Auth.Authorizers` with a `FunctionArn`: the AWS::Lambda::Permission SAM writes for each
   * (`<Api><Authorizer>AuthorizerPermission`, SourceArn `…:<api id>/authorizers/*`; lambda-permissions.ts).
   */
  readonly samAuthorizerPermissions?: readonly { readonly logicalId: string; readonly functionArn: string }[];
  /**
   * SAM `Auth.UsagePlan` with `CreateUsagePlan` PER_API or SHARED: the usage plan, API key (enabled,
   * value generated) and usage plan key SAM generates for the API's `StageName` stage (sam-api.ts).
   */
  readonly samUsagePlan?: SamUsagePlan;
}

/** What SAM generates for `Auth.UsagePlan` (samtranslator api_generator.py `_construct_usage_plan`). */
export interface SamUsagePlan {
  readonly createUsagePlan: 'PER_API' | 'SHARED';
  /** `<api>UsagePlan` / `ServerlessUsagePlan`. */
  readonly usagePlanLogicalId: string;
  /** `<api>ApiKey` / `ServerlessApiKey`. */
  readonly apiKeyLogicalId: string;
  /** `<api>UsagePlanKey` / `ServerlessUsagePlanKey`. */
  readonly usagePlanKeyLogicalId: string;
  /** The stage the plan covers (`ApiStages: [{ApiId: !Ref api, Stage: !Ref <api><StageName>Stage}]`). */
  readonly stageName: string;
  readonly description?: string;
  /** `Quota` and `Throttle` as written (passed through to the UsagePlan). */
  readonly quota?: unknown;
  readonly throttle?: unknown;
}

export interface ApiResource {
  readonly logicalId: string;
  readonly api: Ref;
  readonly pathPart: string;
  /** Full path, e.g. `/products/{id}`; undefined when a parent is unknown. */
  path?: string;
  readonly parent: Ref | 'root';
  /** The resource id, for resources synthesized from an OpenAPI document (no template resource). */
  readonly resourceId?: string;
}

/** A method's authorizer defined in an OpenAPI document (`x-amazon-apigateway-authorizer`). */
export interface OpenApiAuthorizer {
  /** The security scheme's name (the authorizer's name on AWS). */
  readonly name: string;
  /** A stable generated id (what `…/authorizers/<id>` names). */
  readonly id: string;
  /** TOKEN, REQUEST or COGNITO_USER_POOLS (upper-cased from the extension's `type`). */
  readonly type: string;
  readonly authorizerUri?: string;
  readonly identitySource?: string;
  readonly identityValidationExpression?: string;
  readonly ttlSeconds?: number;
  readonly credentials?: string;
}

export interface ApiMethod {
  readonly logicalId: string;
  readonly api: Ref;
  /** `/` for the root resource. */
  readonly path?: string;
  readonly httpMethod: string;
  /** @default 'NONE' */
  readonly authorizationType: string;
  readonly integrationType?: string;
  /** Key of the Lambda function behind a Lambda (proxy) integration. */
  readonly targetFunction?: Ref;
  /**
   * Set for methods synthesized from an OpenAPI document, a SAM `Api` event or SAM's `Cors` (the
   * `OPTIONS` MOCK it adds), which have no AWS::ApiGateway::Method in the template (for those, read
   * the template resource).
   */
  readonly synthesized?: 'openapi' | 'sam-event' | 'sam-cors';
  readonly apiKeyRequired?: boolean;
  /** The integration's `credentials` (a role API Gateway assumes to call the backend). */
  readonly integrationCredentials?: string;
  readonly authorizer?: OpenApiAuthorizer;
  /** SAM `Api` event: the AWS::Lambda::Permission SAM writes for it (see lambda-permissions.ts). */
  readonly samPermission?: { readonly logicalId: string; readonly sourceArnPath: string };
  /**
   * A synthesized MOCK method's templates and responses (`x-amazon-apigateway-integration`
   * `requestTemplates`, `passthroughBehavior`, `responses`; the operation's `responses`). For an
   * AWS::ApiGateway::Method, read the template resource.
   */
  readonly mockMapping?: MockMapping;
}

/** A MOCK integration's request templates, integration responses and method responses, as written. */
export interface MockMapping {
  readonly requestTemplates: Record<string, string>;
  /** As written (`when_no_match`, `NEVER`…); undefined: not given. */
  readonly passthroughBehavior?: string;
  readonly integrationResponses: readonly {
    readonly statusCode: string;
    readonly selectionPattern?: string;
    readonly responseParameters: Record<string, string>;
    readonly responseTemplates: Record<string, string>;
  }[];
  /** Method responses: status code and the `method.response.header.<name>` parameters they declare. */
  readonly methodResponses: readonly {
    readonly statusCode: string;
    readonly parameters: readonly string[];
  }[];
}

export interface ApiStage {
  readonly logicalId: string;
  readonly api: Ref;
  readonly stageName: string;
  readonly deployment?: Ref;
  /** Default and per-method throttling of the stage (MethodSettings). */
  readonly throttles: readonly MethodThrottle[];
}

export interface ApiGatewayModel {
  readonly restApis: Map<string, RestApi>;
  readonly apiResources: Map<string, ApiResource>;
  readonly apiMethods: Map<string, ApiMethod>;
  readonly stages: ApiStage[];
}

export function buildApiGateway(ctx: BuildContext): ApiGatewayModel {
  const restApis = new Map<string, RestApi>();
  const rootIds = new Map<string, string>();
  for (const resource of ctx.ofType('AWS::ApiGateway::RestApi')) {
    const props = resource.properties;
    const config = obj(props.EndpointConfiguration);
    const types = list(config?.Types)
      .map((t) => str(t))
      .filter((t): t is string => t !== undefined);
    const rootResourceId = str(resource.attributes.RootResourceId);
    if (rootResourceId) rootIds.set(rootResourceId, resource.logicalId);
    restApis.set(resource.logicalId, {
      logicalId: resource.logicalId,
      id: str(resource.attributes.RestApiId) ?? resource.physicalId,
      name: str(props.Name),
      endpointTypes: types.length > 0 ? types : ['EDGE'],
      vpcEndpointIds: ctx
        .index('vpcEndpoint')
        .refs(config?.VpcEndpointIds, 'EndpointConfiguration.VpcEndpointIds'),
      policy: parsePolicy(props.Policy),
      rootResourceId,
      fromOpenApi: props.Body !== undefined || props.BodyS3Location !== undefined,
    });
  }

  const apiResources = new Map<string, ApiResource>();
  for (const resource of ctx.ofType('AWS::ApiGateway::Resource')) {
    const props = resource.properties;
    const parentId = str(props.ParentId);
    const parent: Ref | 'root' =
      parentId && rootIds.has(parentId) ? 'root' : ctx.index('apiResource').ref(props.ParentId, 'ParentId');
    apiResources.set(resource.logicalId, {
      logicalId: resource.logicalId,
      api: ctx.index('restApi').ref(props.RestApiId, 'RestApiId'),
      pathPart: str(props.PathPart) ?? '?',
      parent,
    });
  }
  const pathOf = (key: string, depth = 0): string | undefined => {
    const node = apiResources.get(key);
    if (!node || depth > 64) return undefined;
    if (node.path !== undefined) return node.path;
    const parentPath = node.parent === 'root' ? '' : pathOf(logicalIdOf(node.parent) ?? '', depth + 1);
    node.path = parentPath === undefined ? undefined : `${parentPath}/${node.pathPart}`;
    return node.path;
  };
  for (const key of apiResources.keys()) pathOf(key);

  const apiMethods = new Map<string, ApiMethod>();
  for (const resource of ctx.ofType('AWS::ApiGateway::Method')) {
    const props = resource.properties;
    const resourceId = str(props.ResourceId);
    const isRoot = resourceId !== undefined && rootIds.has(resourceId);
    const node = isRoot
      ? undefined
      : apiResources.get(logicalIdOf(ctx.index('apiResource').ref(props.ResourceId, 'ResourceId')) ?? '');
    const integration = obj(props.Integration);
    const uri = str(integration?.Uri);
    const functionArn = functionArnOfUri(uri);
    apiMethods.set(resource.logicalId, {
      logicalId: resource.logicalId,
      api: ctx.index('restApi').ref(props.RestApiId, 'RestApiId'),
      path: isRoot ? '/' : node?.path,
      httpMethod: str(props.HttpMethod) ?? 'ANY',
      authorizationType: str(props.AuthorizationType) ?? 'NONE',
      integrationType: str(integration?.Type),
      targetFunction: functionArn ? ctx.index('function').ref(functionArn, 'Integration.Uri') : undefined,
    });
  }

  const stages: ApiStage[] = [];
  for (const resource of ctx.ofType('AWS::ApiGateway::Stage')) {
    stages.push({
      logicalId: resource.logicalId,
      api: ctx.index('restApi').ref(resource.properties.RestApiId, 'RestApiId'),
      stageName: str(resource.properties.StageName) ?? resource.physicalId,
      deployment:
        resource.properties.DeploymentId === undefined
          ? undefined
          : ctx.index('deployment').ref(resource.properties.DeploymentId, 'DeploymentId'),
      throttles: stageThrottles(resource.properties),
    });
  }
  // A Deployment with StageName creates that stage implicitly.
  for (const resource of ctx.ofType('AWS::ApiGateway::Deployment')) {
    const stageName = str(resource.properties.StageName);
    if (!stageName) continue;
    stages.push({
      logicalId: resource.logicalId,
      api: ctx.index('restApi').ref(resource.properties.RestApiId, 'RestApiId'),
      stageName,
      deployment: { kind: 'resource', logicalId: resource.logicalId, physicalId: resource.physicalId },
      throttles: deploymentStageThrottles(resource.properties),
    });
  }
  const parts: ApiParts = { restApis, apiResources, apiMethods, stages };
  // An inline OpenAPI Body: its paths are the API's resources and methods.
  for (const resource of ctx.ofType('AWS::ApiGateway::RestApi')) {
    const body = obj(resource.properties.Body);
    const api = restApis.get(resource.logicalId);
    if (!api) continue;
    if (!body) {
      if (resource.properties.BodyS3Location !== undefined)
        ctx.issue(
          api.logicalId,
          'BodyS3Location (an OpenAPI document in S3) is not read: its methods are not modelled',
        );
      continue;
    }
    const level = readOpenApiDocument(ctx, parts, api, body);
    restApis.set(api.logicalId, {
      ...api,
      // The Policy property, when set, is the policy; else the document's.
      policy: api.policy ?? parsePolicy(level.policy),
      vpcEndpointIds: [
        ...api.vpcEndpointIds,
        ...ctx.index('vpcEndpoint').refs(level.vpcEndpointIds, 'x-amazon-apigateway-endpoint-configuration'),
      ],
    });
  }
  buildSamApis(ctx, parts);
  return { restApis, apiResources, apiMethods, stages };
}
