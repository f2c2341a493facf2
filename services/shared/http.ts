import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** A JSON response in the Lambda proxy integration's shape. */
export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** An error response: `{ "message": … }`, the shape API Gateway itself uses. */
export function problem(statusCode: number, message: string): APIGatewayProxyResult {
  return json(statusCode, { message });
}

export type BodyResult = { ok: true; value: unknown } | { ok: false; response: APIGatewayProxyResult };

/** The request body as JSON (decoding base64 when API Gateway delivered it as binary), or a 400. */
export function parseJsonBody(event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): BodyResult {
  if (!event.body) return { ok: false, response: problem(400, 'request body is required (JSON)') };
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: problem(400, 'request body is not valid JSON') };
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Ids in paths and bodies: letters, digits, `-` and `_`, 1–64 characters. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && ID_PATTERN.test(value);
}

/** Read a required environment variable, naming it when it is missing. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
