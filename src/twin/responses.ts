/**
 * Small helpers for responses the gateway itself produces or inspects.
 */
import { jsonRequestId } from '../emulators/common/request-id.ts';
import type { ServiceResponse } from '../emulators/plugin.ts';

/** An API Gateway answer: JSON `{"message": …}` with `x-amzn-ErrorType`, as API Gateway sends it. */
export function gatewayResponseOf(status: number, errorType: string, message: string): ServiceResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': errorType,
      'x-amzn-requestid': jsonRequestId(),
    },
    body: Buffer.from(JSON.stringify({ message })),
  };
}

/** The AWS error code of an error response (for the audit event), read from its header or body. */
export function errorCodeOf(response: ServiceResponse): string | undefined {
  const header = response.headers['x-amzn-errortype'] ?? response.headers['x-amzn-ErrorType'];
  if (header) return header.split(':')[0];
  if (!Buffer.isBuffer(response.body) || response.body.length === 0 || response.body.length > 64 * 1024)
    return undefined;
  const text = response.body.toString('utf8');
  const xml = /<Code>([^<]+)<\/Code>/.exec(text);
  if (xml) return xml[1];
  const json = /"__type"\s*:\s*"([^"]+)"/.exec(text);
  if (json) return json[1].split('#').at(-1);
  return undefined;
}
