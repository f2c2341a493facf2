/**
 * API Gateway specifics.
 *
 * Resource shorthand: in an API's resource policy, `execute-api:/stage/METHOD/path` stands for
 * `arn:aws:execute-api:region:account:api-id/stage/METHOD/path` of that API (API Gateway expands it
 * when the policy is saved).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html
 */

/** The ARN prefix `arn:partition:execute-api:region:account:api-id` of an API, when known. */
export type ApiArn = string;

/**
 * Expands a shorthand resource. Without the API's ARN, the API id, region and account become
 * wildcards: the policy is attached to one API, so it only ever sees requests for that API.
 */
export function expandExecuteApiShorthand(resource: string, apiArn?: ApiArn): string {
  if (!resource.startsWith('execute-api:/')) return resource;
  const rest = resource.slice('execute-api:/'.length);
  return apiArn ? `${apiArn}/${rest}` : `arn:*:execute-api:*:*:*/${rest}`;
}

/** How an API method authenticates callers. */
export type ApiAuthorization = 'iam' | 'none';

export interface ApiGatewayOptions {
  /** `iam` (AWS_IAM: SigV4-signed caller, identity policies count) or `none` (resource policy only). */
  authorization: ApiAuthorization;
  /** Private APIs (endpoint type PRIVATE) cannot be invoked without a resource policy that allows. */
  private?: boolean;
}
