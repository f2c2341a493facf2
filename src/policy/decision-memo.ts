/**
 * Remembers `evaluate`'s decisions for requests that come back, and reuses one only when
 * evaluating again could not decide differently.
 *
 * Evaluation is a pure function of the policy sets, the principal, action, resource and resource
 * account, and the context keys it reads — and it reads them only through `RequestContext.value`.
 * The first evaluation notes every key it read, with the value it saw (absent included). A later
 * request with the same policy objects, principal, action and resource reuses the decision when
 * each of those keys has the same value in its context: the evaluation would have taken the same
 * branches, read the same keys, and reached the same decision. Keys it never read cannot matter.
 *
 * So nothing is assumed about which keys policies use: a policy with a condition on
 * `aws:CurrentTime` reads a value that changes, and simply never hits. A changed resource policy
 * (PutBucketPolicy) is a new compiled object, and misses.
 */
import type { Decision } from './explain.ts';
import { evaluate, type AuthorizationRequest, type PolicySets } from './evaluate.ts';
import type { CompiledPolicy } from './compile.ts';
import { normalizeContext, type RequestContext } from './request-context.ts';

type ReadValue = string | readonly string[] | undefined;

interface Remembered {
  readonly sets: PolicySets;
  readonly resourceAccount: string | undefined;
  /** The lowered keys the evaluation read, in order, and what each read returned. */
  readonly keys: readonly string[];
  readonly values: readonly ReadValue[];
  readonly decision: Decision;
}

/** Distinct (principal, action, resource) triples kept before the memo starts over. */
const TRIPLES_KEPT = 10_000;
/** Decisions kept per triple (one per distinct set of read values, most recent first). */
const VARIANTS_KEPT = 4;

/** A context that notes every key read and what it returned. */
class NotingContext implements RequestContext {
  readonly keys: string[] = [];
  readonly values: ReadValue[] = [];
  constructor(private readonly inner: RequestContext) {}

  value(lowerKey: string): ReadValue {
    const v = this.inner.value(lowerKey);
    this.keys.push(lowerKey);
    this.values.push(v);
    return v;
  }

  get(lowerKey: string): readonly string[] | undefined {
    const v = this.value(lowerKey);
    return typeof v === 'string' ? [v] : v;
  }
}

export class DecisionMemo {
  /** principal → action → resource → decisions (nested: no key string built per request). */
  private readonly byPrincipal = new Map<string, Map<string, Map<string, Remembered[]>>>();
  private triples = 0;

  /** The same decision `evaluate(request, sets)` returns. Decisions are shared: do not mutate them. */
  evaluate(request: AuthorizationRequest, sets: PolicySets): Decision {
    const ctx = normalizeContext(request.context);
    const variants = this.byPrincipal.get(request.principal)?.get(request.action)?.get(request.resource);
    if (variants !== undefined) {
      for (let i = 0; i < variants.length; i++) {
        const r = variants[i];
        if (r.resourceAccount === request.resourceAccount && sameSets(r.sets, sets) && sameReads(r, ctx)) {
          return r.decision;
        }
      }
    }
    const noting = new NotingContext(ctx);
    const decision = evaluate(request, sets, noting);
    this.remember(request, variants, {
      sets: snapshot(sets),
      resourceAccount: request.resourceAccount,
      keys: noting.keys,
      values: noting.values,
      decision,
    });
    return decision;
  }

  /** How many (principal, action, resource) triples are remembered (for tests). */
  get size(): number {
    return this.triples;
  }

  private remember(request: AuthorizationRequest, known: Remembered[] | undefined, entry: Remembered): void {
    let variants = known;
    if (variants === undefined) {
      if (this.triples >= TRIPLES_KEPT) {
        this.byPrincipal.clear();
        this.triples = 0;
      }
      let byAction = this.byPrincipal.get(request.principal);
      if (byAction === undefined) this.byPrincipal.set(request.principal, (byAction = new Map()));
      let byResource = byAction.get(request.action);
      if (byResource === undefined) byAction.set(request.action, (byResource = new Map()));
      variants = [];
      byResource.set(request.resource, variants);
      this.triples++;
    }
    variants.unshift(entry);
    if (variants.length > VARIANTS_KEPT) variants.pop();
  }
}

/** The sets as given now (the caller may reuse its arrays). */
function snapshot(sets: PolicySets): PolicySets {
  const copy = (list?: readonly CompiledPolicy[]) => list && [...list];
  return {
    ...sets,
    identity: copy(sets.identity),
    endpoints: copy(sets.endpoints),
    scps: copy(sets.scps),
    rcps: copy(sets.rcps),
    boundaries: copy(sets.boundaries),
    apiGateway: sets.apiGateway && { ...sets.apiGateway },
  };
}

function sameReads(r: Remembered, ctx: RequestContext): boolean {
  for (let i = 0; i < r.keys.length; i++) if (!sameValue(r.values[i], ctx.value(r.keys[i]))) return false;
  return true;
}

function sameValue(a: ReadValue, b: ReadValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The same compiled policy objects, kind by kind (callers build fresh arrays per request). */
function sameSets(a: PolicySets, b: PolicySets): boolean {
  return (
    sameList(a.identity, b.identity) &&
    a.resource === b.resource &&
    sameList(a.endpoints, b.endpoints) &&
    sameList(a.scps, b.scps) &&
    sameList(a.rcps, b.rcps) &&
    sameList(a.boundaries, b.boundaries) &&
    a.session === b.session &&
    a.apiGateway?.authorization === b.apiGateway?.authorization &&
    a.apiGateway?.private === b.apiGateway?.private
  );
}

function sameList(
  a: readonly CompiledPolicy[] | undefined,
  b: readonly CompiledPolicy[] | undefined,
): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
