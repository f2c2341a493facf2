/**
 * MOCK integrations as API Gateway runs them (CDK's and SAM's CORS preflight `OPTIONS` methods are
 * MOCKs): the request template chosen for the request's content type (else `application/json`)
 * yields `{"statusCode": N}`; N selects the integration response (a `selectionPattern` matching N
 * whole, else the default response); its static `responseParameters` set the method response's
 * headers and its response template for the negotiated content type is the body. VTL is not
 * evaluated: a template using it counts as no statusCode (request) or an empty body (response).
 * Facts and sources: docs/runtime-semantics.md, "MOCK integrations (and CORS preflight)".
 */
import type { ServiceRequest, ServiceResponse } from '../plugin.ts';
import { gatewayResponse, idHeaders, internalServerError, type ResponseIds } from './responses.ts';
import type { IntegrationResponseDef, MockIntegrationDef } from './types.ts';

/** A VTL reference (`$input`, `$context.requestId`, `${x}`, `$!x`) or directive (`#set`, `#if`…). */
const VTL =
  /\$!?\{?[A-Za-z_]|#(?:set|if|elseif|else|end|foreach|break|stop|macro|define|parse|include|evaluate)\b/;

/** Whether a mapping template uses VTL (the twin does not evaluate it). */
export function usesVtl(template: string): boolean {
  return VTL.test(template);
}

/**
 * The integer `statusCode` of a static request template's output: JSON (`{"statusCode": 200}`) or
 * the unquoted-key form CDK writes (`{ statusCode: 200 }`). Undefined: none, not an integer, or VTL.
 */
export function staticStatusCode(text: string): number | undefined {
  if (usesVtl(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const loose = /^\s*\{\s*(?:"statusCode"|'statusCode'|statusCode)\s*:\s*(-?\d+)\s*(?:,[^]*)?\}\s*$/.exec(
      text,
    );
    return loose ? Number(loose[1]) : undefined;
  }
  const code =
    parsed !== null && typeof parsed === 'object'
      ? (parsed as Record<string, unknown>).statusCode
      : undefined;
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
}

/** `text/plain; charset=utf-8` → `text/plain`. */
function mediaType(value: string | undefined): string | undefined {
  const type = value?.split(';')[0].trim().toLowerCase();
  return type ? type : undefined;
}

function templateFor(templates: Readonly<Record<string, string>>, type: string): string | undefined {
  const key = Object.keys(templates).find((k) => k.toLowerCase() === type);
  return key === undefined ? undefined : templates[key];
}

/** Whole-string match, as API Gateway applies a selection pattern; an invalid pattern matches nothing. */
function matchesWhole(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return false;
  }
}

/**
 * The integration response for `status`: the responses whose selection pattern matches it (among
 * several, the one whose own status code is `status`, else the first), else the default response.
 */
export function selectIntegrationResponse(
  responses: readonly IntegrationResponseDef[],
  status: number,
): IntegrationResponseDef | undefined {
  const value = String(status);
  const matching = responses.filter((r) => r.selectionPattern && matchesWhole(r.selectionPattern, value));
  if (matching.length > 0) return matching.find((r) => r.statusCode === value) ?? matching[0];
  return responses.find((r) => !r.selectionPattern);
}

/** The static headers of `responseParameters`: `method.response.header.X: "'v'"` → `x: v`. */
export function staticHeaders(parameters: Readonly<Record<string, string>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [target, source] of Object.entries(parameters)) {
    const name = /^method\.response\.header\.(.+)$/i.exec(target)?.[1];
    const literal = /^'([^]*)'$/.exec(source)?.[1];
    // integration.response.header.* / .body.*: a MOCK's endpoint response has no headers and no body.
    if (name && literal !== undefined) headers[name.toLowerCase()] = literal;
  }
  return headers;
}

/** The response template for the request's `Accept` (first listed type with a template), else application/json, else the first. */
function responseTemplate(templates: Readonly<Record<string, string>>, accept: string | undefined) {
  for (const type of (accept ?? '').split(',').map((t) => mediaType(t)))
    if (type) {
      const template = templateFor(templates, type);
      if (template !== undefined) return template;
    }
  return templateFor(templates, 'application/json') ?? Object.values(templates)[0];
}

export interface MockOutcome {
  readonly response: ServiceResponse;
  /** Why API Gateway failed the request (its execution log's words); absent when it answered. */
  readonly failure?: string;
}

/** Runs a MOCK integration for `req`. */
export function runMockIntegration(
  def: MockIntegrationDef,
  req: ServiceRequest,
  ids: ResponseIds,
): MockOutcome {
  // "If no Content-Type is given, API Gateway defaults to application/json" (passthrough behaviors).
  const contentType = mediaType(req.headers['content-type']) ?? 'application/json';
  const template = templateFor(def.requestTemplates, contentType);
  const passthrough = def.passthroughBehavior ?? 'WHEN_NO_MATCH';
  if (
    template === undefined &&
    (passthrough === 'NEVER' ||
      (passthrough === 'WHEN_NO_TEMPLATES' && Object.keys(def.requestTemplates).length > 0))
  )
    return {
      response: gatewayResponse(
        415,
        'UnsupportedMediaTypeException',
        { message: 'Unsupported Media Type' },
        ids,
      ),
      failure: `no request template for ${contentType} and passthrough behavior ${passthrough}`,
    };
  // No template: the request body passes through and is what the mock reads.
  const rendered = template ?? req.body.toString('utf8');
  const status = staticStatusCode(rendered);
  if (status === undefined)
    return {
      response: internalServerError(ids, 500),
      failure: usesVtl(rendered)
        ? 'Execution failed: the request template uses VTL, which the twin does not evaluate'
        : 'Execution failed due to configuration error: statusCode should be an integer which defined in request template',
    };
  const selected = selectIntegrationResponse(def.integrationResponses, status);
  if (!selected)
    return {
      response: internalServerError(ids, 500),
      failure: `Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${status}`,
    };
  const body = responseTemplate(selected.responseTemplates, req.headers.accept);
  return {
    response: {
      status: Number(selected.statusCode),
      headers: {
        'content-type': 'application/json',
        ...staticHeaders(selected.responseParameters),
        ...idHeaders(ids),
      },
      body: Buffer.from(body === undefined || usesVtl(body) ? '' : body),
    },
  };
}
