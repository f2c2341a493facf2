/** The URLs of a deployed stage, for twin.json and the twin's summary. */

/** What clients use on AWS: `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/`. */
export function invokeUrl(apiId: string, region: string, stage: string): string {
  return `https://${apiId}.execute-api.${region}.amazonaws.com/${stage}/`;
}

/** LocalStack's form on a twin entry: `<entry>/restapis/<api-id>/<stage>/_user_request_/`. */
export function localInvokeUrl(entry: string, apiId: string, stage: string): string {
  return `${entry.replace(/\/$/, '')}/restapis/${apiId}/${stage}/_user_request_/`;
}
