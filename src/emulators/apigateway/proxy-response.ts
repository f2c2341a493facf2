/**
 * Maps a Lambda proxy integration's result to the HTTP response API Gateway sends: statusCode,
 * headers merged with multiValueHeaders, body (base64-decoded when isBase64Encoded). Anything else
 * — a function error, a payload that is not an object with a valid statusCode, a non-string body,
 * an unknown top-level key — is API Gateway's 502 `{"message": "Internal server error"}`.
 */
import type { ServiceResponse } from '../plugin.ts';
import type { InvokeResult } from '../lambda/types.ts';
import { idHeaders, internalServerError, type ResponseIds } from './responses.ts';

const ALLOWED_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

export type ProxyResponseOutcome =
  | { readonly ok: true; readonly response: ServiceResponse }
  | { readonly ok: false; readonly reason: string; readonly response: ServiceResponse };

export function mapProxyResult(result: InvokeResult, ids: ResponseIds): ProxyResponseOutcome {
  if (!result.ok) {
    return {
      ok: false,
      reason: `Lambda function error: ${result.error.errorType}`,
      response: internalServerError(ids),
    };
  }
  const malformed = (reason: string): ProxyResponseOutcome => ({
    ok: false,
    reason: `Malformed Lambda proxy response: ${reason}`,
    response: internalServerError(ids),
  });
  const payload = result.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return malformed('not an object');
  const fields = payload as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !ALLOWED_KEYS.has(key));
  if (unknown) return malformed(`unexpected field ${unknown}`);
  const status = typeof fields.statusCode === 'string' ? Number(fields.statusCode) : fields.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return malformed('statusCode must be an integer HTTP status');
  }
  const body = fields.body ?? '';
  if (typeof body !== 'string') return malformed('body must be a string');
  const headers = mergeHeaders(fields.headers, fields.multiValueHeaders);
  if (!headers) return malformed('headers must map names to scalar values');
  const binary = fields.isBase64Encoded === true;
  return {
    ok: true,
    response: {
      status,
      headers: { 'content-type': 'application/json', ...headers, ...idHeaders(ids) },
      body: binary ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
    },
  };
}

/**
 * "If you specify values for both headers and multiValueHeaders, API Gateway merges them into a
 * single list. If the same key-value pair is specified in both, only the values from
 * multiValueHeaders will appear." A header with several values is sent joined with ', '.
 */
function mergeHeaders(single: unknown, multi: unknown): Record<string, string> | undefined {
  const merged = new Map<string, string[]>();
  if (single !== undefined && single !== null) {
    if (typeof single !== 'object') return undefined;
    for (const [name, value] of Object.entries(single)) {
      if (!isScalar(value)) return undefined;
      merged.set(name.toLowerCase(), [String(value)]);
    }
  }
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== 'object') return undefined;
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values) || !values.every(isScalar)) return undefined;
      const key = name.toLowerCase();
      const list = values.map(String);
      const existing = merged.get(key) ?? [];
      merged.set(key, [...existing.filter((v) => !list.includes(v)), ...list]);
    }
  }
  return Object.fromEntries([...merged].map(([name, values]) => [name, values.join(', ')]));
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
