/** Helpers for the AWS JSON 1.0/1.1 protocols (DynamoDB, Secrets Manager, KMS). */
import type { ServiceRequest, ServiceResponse } from '../plugin.ts';
import { crc32 } from './crc32.ts';
import { jsonRequestId } from './request-id.ts';
import { ServiceError } from './service-error.ts';

export type JsonVersion = '1.0' | '1.1';

/** The operation named by `X-Amz-Target: <prefix>.<Operation>`, or undefined. */
export function targetOperation(req: ServiceRequest, prefix: string): string | undefined {
  const target = req.headers['x-amz-target'] ?? '';
  const dot = target.indexOf('.');
  if (dot < 0 || target.slice(0, dot) !== prefix) return undefined;
  return target.slice(dot + 1);
}

/** The request body as a JSON object; SerializationException when it is not one. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ServiceError('SerializationException', 'Start of structure or map found where not expected.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ServiceError('SerializationException', 'Start of structure or map found where not expected.');
  }
  return value as Record<string, unknown>;
}

export function jsonResponse(
  version: JsonVersion,
  value: unknown,
  status = 200,
  options: { crc32?: boolean } = {},
): ServiceResponse {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${version}`,
    'content-length': String(body.length),
    'x-amzn-requestid': jsonRequestId(),
  };
  // DynamoDB sends a CRC32 of the body; the SDK checks it when present.
  if (options.crc32) headers['x-amz-crc32'] = String(crc32(body));
  return { status, headers, body };
}

/** `{"__type": "...", "message": "..."}` — the JSON protocols' error shape. */
export function jsonError(
  version: JsonVersion,
  type: string,
  message: string,
  status = 400,
  options: { crc32?: boolean } = {},
): ServiceResponse {
  const response = jsonResponse(version, { __type: type, message }, status, options);
  // The SDK also reads the error code from this header.
  response.headers['x-amzn-errortype'] = type.slice(type.indexOf('#') + 1);
  return response;
}

/**
 * Answers one JSON-protocol request: `run` gets the X-Amz-Target operation and the parsed body; a
 * ServiceError it throws becomes the protocol's error shape, anything else is a bug and propagates.
 */
export async function answerJson(
  version: JsonVersion,
  req: ServiceRequest,
  targetPrefix: string,
  run: (operation: string | undefined, input: Record<string, unknown>) => Promise<unknown>,
): Promise<ServiceResponse> {
  try {
    return jsonResponse(version, await run(targetOperation(req, targetPrefix), parseJsonObject(req.body)));
  } catch (err) {
    if (err instanceof ServiceError) return jsonError(version, err.code, err.message, err.status);
    throw err;
  }
}

/** Narrowing readers for request members: a ValidationException names the member. */
export function optionalString(input: Record<string, unknown>, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${lowerFirst(member)}' must be a string`,
    );
  }
  return value;
}

export function requiredString(input: Record<string, unknown>, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined || value === '') {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
}

export function optionalNumber(input: Record<string, unknown>, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${lowerFirst(member)}' must be a number`,
    );
  }
  return value;
}

export function optionalBoolean(input: Record<string, unknown>, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${lowerFirst(member)}' must be a boolean`,
    );
  }
  return value;
}

export function optionalStringMap(
  input: Record<string, unknown>,
  member: string,
): Record<string, string> | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value at '${lowerFirst(member)}' must be a map`,
    );
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') {
      throw new ServiceError(
        'ValidationException',
        `1 validation error detected: Value at '${lowerFirst(member)}.${k}' must be a string`,
      );
    }
    out[k] = v;
  }
  return out;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
