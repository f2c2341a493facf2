/**
 * Compiles a validated policy into matchers: lowered action sets and globs, pre-parsed ARN patterns,
 * compiled principals and condition closures. Evaluation does no parsing.
 */
import type { MatchedStatement, PolicyKind } from './explain.ts';
import type { ParsedStatement } from './parse.ts';
import { parsePolicy, PolicyValidationError } from './parse.ts';
import type { ArnMatcher, ParsedArn } from './arn.ts';
import { compileArnPattern } from './arn.ts';
import { compileActions } from './action.ts';
import type { CompiledPrincipal } from './principal.ts';
import { compilePrincipal } from './principal.ts';
import type { ConditionTest } from './conditions/index.ts';
import { compileCondition, ConditionError } from './conditions/index.ts';
import type { RequestContext } from './request-context.ts';
import { expandExecuteApiShorthand } from './api-gateway.ts';

export interface CompiledStatement {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  matchAction: (lowerAction: string) => boolean;
  matchResource: (raw: string, parsed: ParsedArn | undefined, ctx: RequestContext) => boolean;
  /** Present for resource and endpoint policies. */
  principal?: CompiledPrincipal;
  /** True when the principal element was NotPrincipal. */
  notPrincipal: boolean;
  condition?: ConditionTest;
  /** What a decision lists when this statement matches (frozen: shared by every decision). */
  matched: MatchedStatement;
}

export interface CompiledPolicy {
  readonly name: string;
  readonly kind: PolicyKind;
  readonly statements: readonly CompiledStatement[];
  /** The statements that can match an action of this service prefix (lowered), in document order. */
  statementsFor(lowerService: string): readonly CompiledStatement[];
  /** The statements whose Action/NotAction matches this (lowered) action, in document order. */
  statementsForAction(lowerAction: string): readonly CompiledStatement[];
}

export interface CompileOptions {
  /** For API Gateway resource policies: `arn:aws:execute-api:region:account:api-id`, to expand shorthand. */
  apiArn?: string;
}

function resourceMatcher(patterns: string[], negate: boolean, variablesEnabled: boolean, apiArn?: string) {
  const matchers: ArnMatcher[] = patterns.map((p) =>
    compileArnPattern(expandExecuteApiShorthand(p, apiArn), variablesEnabled),
  );
  const any = (raw: string, parsed: ParsedArn | undefined, ctx: RequestContext): boolean => {
    for (const m of matchers) if (m(raw, parsed, ctx)) return true;
    return false;
  };
  if (patterns.includes('*')) return negate ? () => false : () => true;
  if (matchers.length === 1 && !negate) return matchers[0];
  return negate
    ? (raw: string, parsed: ParsedArn | undefined, ctx: RequestContext) => !any(raw, parsed, ctx)
    : any;
}

function compileStatement(
  s: ParsedStatement,
  name: string,
  pointerBase: string,
  variablesEnabled: boolean,
  options: CompileOptions,
): CompiledStatement {
  const fail = (field: string, detail: string): never => {
    throw new PolicyValidationError(name, `${pointerBase}/${field}`, detail, s.index, s.sid);
  };
  const matchAction = s.action ? compileActions(s.action) : negate(compileActions(s.notAction ?? []));
  let matchResource;
  try {
    matchResource = s.resource
      ? resourceMatcher(s.resource, false, variablesEnabled, options.apiArn)
      : resourceMatcher(s.notResource ?? [], true, variablesEnabled, options.apiArn);
  } catch (error) {
    return fail(s.resource ? 'Resource' : 'NotResource', (error as Error).message);
  }
  let principal: CompiledPrincipal | undefined;
  const principalValue = s.principal ?? s.notPrincipal;
  if (principalValue !== undefined) {
    try {
      principal = compilePrincipal(principalValue);
    } catch (error) {
      return fail(s.principal ? 'Principal' : 'NotPrincipal', (error as Error).message);
    }
  }
  let condition: ConditionTest | undefined;
  if (s.condition) {
    try {
      condition = compileCondition(s.condition, variablesEnabled);
    } catch (error) {
      if (error instanceof ConditionError) fail(`Condition/${error.field}`, error.message);
      throw error;
    }
  }
  return {
    index: s.index,
    sid: s.sid,
    effect: s.effect,
    matchAction,
    matchResource,
    principal,
    notPrincipal: s.notPrincipal !== undefined,
    condition,
    matched: Object.freeze(
      s.sid === undefined
        ? { policy: name, statement: s.index, effect: s.effect }
        : { policy: name, statement: s.index, sid: s.sid, effect: s.effect },
    ),
  };
}

function negate(f: (a: string) => boolean): (a: string) => boolean {
  return (a) => !f(a);
}

/**
 * The service prefixes a statement's Action names, or undefined when it may match any service
 * (NotAction, `*`, or a wildcard in the prefix).
 */
function servicesOf(s: ParsedStatement): Set<string> | undefined {
  if (!s.action) return undefined;
  const services = new Set<string>();
  for (const a of s.action) {
    const colon = a.indexOf(':');
    const prefix = colon < 0 ? a : a.slice(0, colon);
    if (colon < 0 || /[*?]/.test(prefix)) return undefined;
    services.add(prefix.toLowerCase());
  }
  return services;
}

/** Indexes statements by service prefix so evaluation skips statements about other services. */
function indexByService(parsed: ParsedStatement[], compiled: CompiledStatement[]) {
  const scopes = parsed.map(servicesOf);
  const generic = compiled.filter((_, i) => scopes[i] === undefined);
  const byService = new Map<string, CompiledStatement[]>();
  for (const scope of scopes) {
    for (const service of scope ?? []) {
      if (!byService.has(service))
        byService.set(
          service,
          compiled.filter((_, i) => scopes[i] === undefined || scopes[i]!.has(service)),
        );
    }
  }
  return (lowerService: string): readonly CompiledStatement[] => byService.get(lowerService) ?? generic;
}

/**
 * Memoizes, per lowered action, the statements whose Action/NotAction matches it. Action matching
 * does not depend on the request context, and a workload uses a handful of actions.
 */
function indexByAction(statementsFor: (lowerService: string) => readonly CompiledStatement[]) {
  const memo = new Map<string, readonly CompiledStatement[]>();
  return (lowerAction: string): readonly CompiledStatement[] => {
    let list = memo.get(lowerAction);
    if (list === undefined) {
      if (memo.size >= 4096) memo.clear();
      const colon = lowerAction.indexOf(':');
      const service = colon < 0 ? lowerAction : lowerAction.slice(0, colon);
      list = statementsFor(service).filter((s) => s.matchAction(lowerAction));
      memo.set(lowerAction, list);
    }
    return list;
  };
}

/** Validates and compiles a policy document. Throws PolicyValidationError for an invalid document. */
export function compilePolicy(
  doc: unknown,
  name: string,
  kind: PolicyKind,
  options: CompileOptions = {},
): CompiledPolicy {
  const parsed = parsePolicy(doc, name, kind);
  const variablesEnabled = parsed.version === '2012-10-17';
  const statements = parsed.statements.map((s) =>
    compileStatement(s, name, s.pointer, variablesEnabled, options),
  );
  const statementsFor = indexByService(parsed.statements, statements);
  return { name, kind, statements, statementsFor, statementsForAction: indexByAction(statementsFor) };
}
