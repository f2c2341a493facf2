/**
 * api-lambda-permission-missing — a REST API method's Lambda integration, or a Lambda authorizer,
 * whose function no `AWS::Lambda::Permission` lets `apigateway.amazonaws.com` invoke for that
 * method (or authorizer): every call gets API Gateway's 500. The console adds the permission;
 * CloudFormation does not. Read as the twin reads it (src/model/lambda-permissions.ts).
 * Source: AWS knowledge center, "Invalid permissions on Lambda function" errors from REST APIs.
 */
import { functionArnOfUri } from '../../model/integration-uri.ts';
import { LambdaPermissions } from '../../model/lambda-permissions.ts';
import type { OpenApiAuthorizer } from '../../model/api-gateway.ts';
import { logicalIdOf, obj, str } from '../../model/refs.ts';
import { apiArn } from '../analysis.ts';
import type { Rule, RuleFinding } from './rule.ts';

export const apiLambdaPermissionMissing: Rule = {
  id: 'api-lambda-permission-missing',
  severity: 'error',
  title: "API Gateway may not invoke a method's or an authorizer's Lambda function",
  help:
    'API Gateway calls a Lambda proxy integration or a Lambda authorizer as the service principal apigateway.amazonaws.com. ' +
    "The function's resource policy (AWS::Lambda::Permission) must allow lambda:InvokeFunction with a SourceArn matching the " +
    'method (arn:aws:execute-api:region:account:api-id/stage/METHOD/path) or the authorizer (…/authorizers/id), unless the ' +
    'integration names Credentials (a role API Gateway assumes). Without it every call answers 500 "Internal server error". ' +
    'An ANY method is checked for GET.',
  *check(analysis) {
    const { model, template } = analysis;
    const permissions = new LambdaPermissions(template, model);
    const functionArns = new Set([...model.functions.values()].flatMap((fn) => (fn.arn ? [fn.arn] : [])));
    const stagesOf = (apiLogicalId: string) => [
      ...new Set(
        model.stages
          .filter((stage) => stage.api.kind === 'resource' && stage.api.logicalId === apiLogicalId)
          .map((stage) => stage.stageName),
      ),
    ];
    const reported = new Set<string>();
    for (const method of model.apiMethods.values()) {
      if (method.api.kind !== 'resource' || !method.path) continue;
      const api = model.restApis.get(method.api.logicalId);
      if (!api) continue;
      // Methods from an OpenAPI document or a SAM event have no template resource: the model carries them.
      const props = method.synthesized ? {} : (template.resources[method.logicalId]?.properties ?? {});
      const integration = obj(props.Integration);
      const functionArn = method.synthesized
        ? method.integrationType === 'AWS_PROXY' || method.integrationType === 'AWS'
          ? model.functions.get(logicalIdOf(method.targetFunction) ?? '')?.arn
          : undefined
        : functionArnOfUri(str(integration?.Uri));
      const credentials = method.integrationCredentials ?? str(integration?.Credentials);
      const prefix = apiArn(model, api.id);
      if (functionArn && functionArns.has(functionArn) && !credentials) {
        const verb = method.httpMethod.toUpperCase() === 'ANY' ? 'GET' : method.httpMethod.toUpperCase();
        const path = method.path.replace(/^\//, '');
        const missing = stagesOf(api.logicalId).filter(
          (stage) =>
            !permissions.grantFor(functionArn, `${prefix}/${stage}/${verb}/${path}`, model.accountId),
        );
        if (missing.length > 0)
          yield {
            ...integrationFinding(method.logicalId, functionArn, verb, method.path, missing),
            // A method of an OpenAPI document or a SAM event is no template resource: its API leads.
            ...(method.synthesized ? { resources: [api.logicalId, method.logicalId] } : {}),
          };
      }
      const authorizer = method.authorizer
        ? openApiAuthorizer(api.logicalId, method.authorizer)
        : authorizerOf(template, str(props.AuthorizerId));
      if (authorizer && !reported.has(authorizer.logicalId)) {
        const fn = functionArnOfUri(authorizer.uri);
        const source = `${prefix}/authorizers/${authorizer.id}`;
        if (
          fn &&
          functionArns.has(fn) &&
          !authorizer.credentials &&
          !permissions.grantFor(fn, source, model.accountId)
        ) {
          reported.add(authorizer.logicalId);
          yield {
            resources: method.authorizer
              ? [api.logicalId, authorizer.logicalId, method.logicalId]
              : [authorizer.logicalId, method.logicalId],
            message: `Lambda authorizer ${authorizer.logicalId}: no AWS::Lambda::Permission lets apigateway.amazonaws.com invoke ${fn} for ${source} — its methods answer 500 (AuthorizerConfigurationException)`,
            fix: `add an AWS::Lambda::Permission for the function with Principal apigateway.amazonaws.com and SourceArn ${source}`,
          };
        }
      }
    }
  },
};

function integrationFinding(
  method: string,
  functionArn: string,
  verb: string,
  path: string,
  stages: readonly string[],
): RuleFinding {
  return {
    resources: [method],
    message: `${verb} ${path} (${method}): no AWS::Lambda::Permission lets apigateway.amazonaws.com invoke ${functionArn} for stage ${stages.join(', ')} — every call answers 500 "Internal server error"`,
    fix: `add an AWS::Lambda::Permission for the function with Principal apigateway.amazonaws.com and a SourceArn covering …/${stages[0]}/${verb}${path}`,
  };
}

function authorizerOf(
  template: Parameters<Rule['check']>[0]['template'],
  physicalId: string | undefined,
): { logicalId: string; id: string; uri: string; credentials?: string } | undefined {
  if (!physicalId) return undefined;
  for (const [logicalId, resource] of Object.entries(template.resources)) {
    if (resource.type !== 'AWS::ApiGateway::Authorizer' || resource.physicalId !== physicalId) continue;
    const type = (str(resource.properties.Type) ?? '').toUpperCase();
    if (type !== 'TOKEN' && type !== 'REQUEST') return undefined;
    return {
      logicalId,
      id: physicalId,
      uri: str(resource.properties.AuthorizerUri) ?? '',
      credentials: str(resource.properties.AuthorizerCredentials),
    };
  }
  return undefined;
}

/** An authorizer of an OpenAPI document (`x-amazon-apigateway-authorizer`), TOKEN or REQUEST only. */
function openApiAuthorizer(
  apiLogicalId: string,
  authorizer: OpenApiAuthorizer,
): { logicalId: string; id: string; uri: string; credentials?: string } | undefined {
  if (authorizer.type !== 'TOKEN' && authorizer.type !== 'REQUEST') return undefined;
  return {
    logicalId: `${apiLogicalId}/authorizers/${authorizer.name}`,
    id: authorizer.id,
    uri: authorizer.authorizerUri ?? '',
    credentials: authorizer.credentials,
  };
}
