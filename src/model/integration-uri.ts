/**
 * The Lambda function an API Gateway integration or authorizer URI names:
 * `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`.
 * One reading for the model, the twin's authorizer plan and the analyzer.
 */
const FUNCTION_OF_URI = /\/functions\/(.+)\/invocations/;

export function functionArnOfUri(uri: string | undefined): string | undefined {
  return uri ? FUNCTION_OF_URI.exec(uri)?.[1] : undefined;
}
