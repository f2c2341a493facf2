/**
 * API Gateway's basic request validation, before the integration runs: the required request
 * parameters "in the URI, query string, and headers … are included and not blank" (existence only,
 * no type or format), and the body "adheres to the configured JSON schema … for a given content
 * type. If no matching content type is found, request validation is not performed"; a `$default`
 * model applies whatever the content type. A failure is a 400 with API Gateway's own messages:
 * `Missing required request parameters: [q1]`, `Invalid request body`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
 * and the "Test basic request validation" page (the messages).
 */
import ajvDraft04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import type { ServiceRequest } from '../plugin.ts';
import type { RequestValidationDef } from './types.ts';

export type ValidationFailure = { readonly message: string };

// A CommonJS module whose `module.exports` is the class itself (its types describe `.default`).
const Ajv04 = ajvDraft04 as unknown as typeof ajvDraft04.default;

const PARAMETER = /^method\.request\.(querystring|header|path)\.(.+)$/;

/** One method's validation, its schemas compiled once. */
export class RequestValidator {
  private readonly bodies = new Map<string, ValidateFunction>();

  constructor(private readonly def: RequestValidationDef) {
    // API Gateway models are JSON Schema draft 4; unknown keywords are not errors there either.
    const ajv = new Ajv04({ strict: false, allErrors: false });
    for (const [contentType, schema] of Object.entries(def.bodyModels ?? {}))
      this.bodies.set(contentType.toLowerCase(), ajv.compile(schema));
  }

  /** The first failure (parameters first, then the body), or undefined when the request passes. */
  check(
    req: ServiceRequest,
    pathParameters: Readonly<Record<string, string>> | null,
  ): ValidationFailure | undefined {
    const missing = this.def.requiredParameters.filter((p) => blank(parameterValue(req, pathParameters, p)));
    if (missing.length > 0)
      return {
        message: `Missing required request parameters: [${missing.map((p) => PARAMETER.exec(p)?.[2] ?? p).join(', ')}]`,
      };
    if (this.bodies.size === 0) return undefined;
    const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const validate = this.bodies.get(contentType) ?? this.bodies.get('$default');
    if (!validate) return undefined;
    let body: unknown;
    try {
      body = JSON.parse(req.body.toString('utf8'));
    } catch {
      return { message: 'Invalid request body' };
    }
    return validate(body) ? undefined : { message: 'Invalid request body' };
  }
}

function parameterValue(
  req: ServiceRequest,
  pathParameters: Readonly<Record<string, string>> | null,
  parameter: string,
): string | undefined {
  const match = PARAMETER.exec(parameter);
  if (!match) return 'unknown location: not checked';
  const [, where, name] = match;
  if (where === 'querystring') return req.url.searchParams.get(name) ?? undefined;
  if (where === 'header') return req.headers[name.toLowerCase()];
  return pathParameters?.[name];
}

function blank(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}
