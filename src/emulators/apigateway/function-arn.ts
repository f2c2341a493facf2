/**
 * A Lambda proxy integration names its function by the integration URI
 * `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`;
 * the function ARN may also be given directly.
 */
const INTEGRATION_URI = /^arn:[^:]+:apigateway:[^:]*:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/;

export function functionArnOf(integrationTarget: string): string {
  return INTEGRATION_URI.exec(integrationTarget)?.[1] ?? integrationTarget;
}
