/**
 * A method's authorizer as the template declares it: a CUSTOM method's `AuthorizerId` names an
 * `AWS::ApiGateway::Authorizer` — TOKEN or REQUEST (a Lambda function, by its `AuthorizerUri`) or
 * COGNITO_USER_POOLS; a method from an OpenAPI document has its `x-amazon-apigateway-authorizer`
 * (the model's `OpenApiAuthorizer`, with a stable generated id). What the twin cannot run is said in a warning and refused at run time, never
 * let through: on AWS the authorizer would stand between the caller and the integration.
 */
import type { Template } from '../cloudformation/types.ts';
import type { AuthorizerDef } from '../emulators/apigateway/index.ts';
import type { Model } from '../model/index.ts';
import type { OpenApiAuthorizer } from '../model/api-gateway.ts';
import { functionArnOfUri } from '../model/integration-uri.ts';
import { str } from '../model/refs.ts';

/** "The default value is 300. The maximum value is 3600." (AWS::ApiGateway::Authorizer) */
const DEFAULT_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 3600;

function byPhysicalId(template: Template, type: string, id: string) {
  return Object.entries(template.resources).find(([, r]) => r.type === type && r.physicalId === id);
}

/**
 * The authorizer of a method whose AuthorizationType is CUSTOM or COGNITO_USER_POOLS; undefined
 * for the others. `warnings` receives what the twin will refuse instead of running.
 */
export function methodAuthorizer(
  template: Template,
  model: Model,
  methodLogicalId: string,
  authorizationType: string,
  warnings: string[],
  openApi?: OpenApiAuthorizer,
): AuthorizerDef | undefined {
  const type = authorizationType.toUpperCase();
  if (type !== 'CUSTOM' && type !== 'COGNITO_USER_POOLS') return undefined;
  if (openApi)
    return authorizerOf(model, `${openApi.name} (OpenAPI)`, openApi.id, openApiProps(openApi), warnings);
  const props = template.resources[methodLogicalId]?.properties ?? {};
  const authorizerId = str(props.AuthorizerId);
  const found = authorizerId
    ? byPhysicalId(template, 'AWS::ApiGateway::Authorizer', authorizerId)
    : undefined;
  if (!found) {
    const reason = authorizerId
      ? `its AuthorizerId ${authorizerId} names no AWS::ApiGateway::Authorizer of the template`
      : `AuthorizationType ${authorizationType} without an AuthorizerId`;
    warnings.push(`API method ${methodLogicalId}: ${reason}; the twin refuses its requests (500)`);
    return { kind: 'unrunnable', id: authorizerId ?? 'none', name: methodLogicalId, reason };
  }
  const [logicalId, resource] = found;
  return authorizerOf(model, logicalId, resource.physicalId ?? logicalId, resource.properties, warnings);
}

/** An `x-amazon-apigateway-authorizer` in AWS::ApiGateway::Authorizer's property names. */
function openApiProps(a: OpenApiAuthorizer): Record<string, unknown> {
  return {
    Name: a.name,
    Type: a.type,
    AuthorizerUri: a.authorizerUri,
    IdentitySource: a.identitySource,
    IdentityValidationExpression: a.identityValidationExpression,
    AuthorizerResultTtlInSeconds: a.ttlSeconds,
    AuthorizerCredentials: a.credentials,
  };
}

/** The authorizer `logicalId` (id `id`) with AWS::ApiGateway::Authorizer properties `a`. */
function authorizerOf(
  model: Model,
  logicalId: string,
  id: string,
  a: Record<string, unknown>,
  warnings: string[],
): AuthorizerDef {
  const name = str(a.Name) ?? logicalId;
  const identitySources = (str(a.IdentitySource) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const kind = (str(a.Type) ?? '').toUpperCase();
  if (kind === 'COGNITO_USER_POOLS') {
    warnings.push(
      `API authorizer ${logicalId} (COGNITO_USER_POOLS): the twin does not run Amazon Cognito, so it cannot verify tokens — requests without the token get 401 as on AWS, requests with one are refused (401) too`,
    );
    return { kind: 'COGNITO_USER_POOLS', id, name, identitySources };
  }
  if (kind !== 'TOKEN' && kind !== 'REQUEST') {
    const reason = `Type ${str(a.Type) ?? '(none)'} is not TOKEN, REQUEST or COGNITO_USER_POOLS`;
    warnings.push(`API authorizer ${logicalId}: ${reason}; the twin refuses its methods' requests (500)`);
    return { kind: 'unrunnable', id, name, reason };
  }
  const functionArn = functionArnOfUri(str(a.AuthorizerUri));
  const fn = functionArn ? [...model.functions.values()].find((f) => f.arn === functionArn) : undefined;
  if (!functionArn || !fn) {
    const reason = functionArn
      ? `its function ${functionArn} is not in the template, so the twin cannot run it`
      : `its AuthorizerUri ${str(a.AuthorizerUri) ?? '(none)'} names no Lambda function`;
    warnings.push(`API authorizer ${logicalId}: ${reason}; its methods' requests are refused (500)`);
    return { kind: 'unrunnable', id, name, reason };
  }
  const ttl = Number(a.AuthorizerResultTtlInSeconds ?? DEFAULT_TTL_SECONDS);
  return {
    kind,
    id,
    name,
    functionArn,
    identitySources:
      kind === 'TOKEN' && identitySources.length === 0
        ? ['method.request.header.Authorization']
        : identitySources,
    validationExpression: kind === 'TOKEN' ? str(a.IdentityValidationExpression) : undefined,
    ttlSeconds: Number.isFinite(ttl) ? Math.min(Math.max(ttl, 0), MAX_TTL_SECONDS) : DEFAULT_TTL_SECONDS,
    credentials: str(a.AuthorizerCredentials),
  };
}
