/**
 * REST API routing as API Gateway does it. A request is matched against every resource whose
 * path template fits; candidates are ordered by specificity, segment by segment (literal before
 * `{param}` before `{proxy+}`), and the request goes to the most specific resource that has the
 * request's method or ANY — an exact method before ANY on the same resource. A resource that fits
 * the path but lacks the method does not stop the search: a less specific one (a parameter
 * sibling, a greedy proxy) may serve it. No candidate at all: 403 Missing Authentication Token.
 */
import type { MethodDef, ResourceDef } from './types.ts';

const LITERAL = 0;
const PARAM = 1;
const GREEDY = 2;

interface Segment {
  readonly kind: typeof LITERAL | typeof PARAM | typeof GREEDY;
  /** The literal text, or the parameter name without braces and '+'. */
  readonly value: string;
}

interface CompiledResource {
  readonly resource: ResourceDef;
  readonly segments: readonly Segment[];
}

export interface RouteMatch {
  readonly resource: ResourceDef;
  readonly method: MethodDef;
  /** Path parameters by name, or null when the resource has none (as in the proxy event). */
  readonly pathParameters: Record<string, string> | null;
}

export class Router {
  private readonly compiled: readonly CompiledResource[];

  constructor(resources: readonly ResourceDef[]) {
    // Specificity does not depend on the request: order once, then the first fit wins.
    this.compiled = resources
      .map((resource) => ({ resource, segments: compile(resource.path) }))
      .sort((a, b) => compareSpecificity(a.segments, b.segments));
  }

  match(httpMethod: string, path: string): RouteMatch | undefined {
    const parts = splitPath(path);
    const method = httpMethod.toUpperCase();
    for (const compiled of this.compiled) {
      const params = matchSegments(compiled.segments, parts);
      if (!params) continue;
      const methods = compiled.resource.methods;
      const found =
        methods.find((m) => m.httpMethod.toUpperCase() === method) ??
        methods.find((m) => m.httpMethod.toUpperCase() === 'ANY');
      if (found) {
        return {
          resource: compiled.resource,
          method: found,
          pathParameters: Object.keys(params).length > 0 ? params : null,
        };
      }
    }
    return undefined;
  }
}

function compile(path: string): Segment[] {
  return splitPath(path).map((part): Segment => {
    const greedy = /^\{(.+)\+\}$/.exec(part);
    if (greedy) return { kind: GREEDY, value: greedy[1] };
    const param = /^\{(.+)\}$/.exec(part);
    if (param) return { kind: PARAM, value: param[1] };
    return { kind: LITERAL, value: part };
  });
}

/** '/a/b/' → ['a', 'b']; '/' → []. */
export function splitPath(path: string): string[] {
  const parts = path.split('/');
  if (parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.kind === GREEDY) {
      // {proxy+} takes the rest of the path: at least one segment.
      if (i >= parts.length) return undefined;
      params[segment.value] = parts.slice(i).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined || part === '') return undefined;
    if (segment.kind === LITERAL && segment.value !== part) return undefined;
    if (segment.kind === PARAM) params[segment.value] = part;
  }
  return segments.length === parts.length ? params : undefined;
}

/** Negative when `a` is more specific: first differing segment kind decides; deeper before greedy. */
function compareSpecificity(a: readonly Segment[], b: readonly Segment[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i].kind !== b[i].kind) return a[i].kind - b[i].kind;
  }
  // Same kinds on the shared prefix: the one that is not greedy at the end spelled out more.
  return b.length - a.length;
}
