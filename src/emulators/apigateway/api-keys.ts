/**
 * API keys and usage plans, as API Gateway enforces them on a method that requires a key. The key
 * comes from the `x-api-key` header, or — when the API's key source is AUTHORIZER — from the
 * `usageIdentifierKey` its Lambda authorizer returned. It must be an enabled key of a usage plan
 * that covers the API's stage, else 403 Forbidden. That plan then meters the key: throttling per
 * key (token buckets like the stage's; a method's own setting in the plan, and the plan's) → 429
 * Too Many Requests; a quota per UTC day, week or month → 429 Limit Exceeded. All of it before the
 * stage's own throttling. Facts and sources: docs/runtime-semantics.md, "API keys and usage plans".
 */
import type { ServiceResponse } from '../plugin.ts';
import { forbidden, gatewayResponse, tooManyRequests, type ResponseIds } from './responses.ts';
import type { RouteMatch } from './router.ts';
import { ACCOUNT_LIMITS, TokenBucket, type ThrottleLimits } from './throttle.ts';
import type { ApiKeyDef, RestApiDef, UsagePlanDef, UsagePlanThrottleDef } from './types.ts';

/** One call to a matched method, as the key check needs it. */
export interface KeyedCall {
  readonly api: RestApiDef;
  readonly stage: string;
  readonly route: RouteMatch;
  readonly headers: Readonly<Record<string, string>>;
  /** The Lambda authorizer's `usageIdentifierKey`, for APIs whose key source is AUTHORIZER. */
  readonly keyFromAuthorizer?: string;
}

type Period = NonNullable<UsagePlanDef['quota']>['period'];

const DAY_MS = 86_400_000;

/**
 * When the quota period holding `now` began, in UTC: midnight for DAY, the 1st of the month for
 * MONTH, and (AWS does not say) Monday 00:00 for WEEK.
 */
export function periodStart(period: Period, now: number): number {
  const d = new Date(now);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'DAY') return midnight;
  if (period === 'WEEK') return midnight - ((d.getUTCDay() + 6) % 7) * DAY_MS;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** A key as API Gateway's execution log shows it: all but its last 6 characters masked. */
export function maskedKey(value: string): string {
  return value.length > 6 ? '*'.repeat(value.length - 6) + value.slice(-6) : '*'.repeat(value.length);
}

/** Gateway response QUOTA_EXCEEDED (429). */
export const limitExceeded = (ids?: ResponseIds): ServiceResponse =>
  gatewayResponse(429, 'LimitExceededException', { message: 'Limit Exceeded' }, ids);

const refuse = (response: ServiceResponse, why: string): ServiceResponse => ({ ...response, refusal: why });

export class ApiKeys {
  /** Token buckets per (plan, key) and per (plan, key, API, stage, method). */
  private readonly buckets = new Map<string, TokenBucket>();
  /** Requests counted per (plan, key) in the current quota period. */
  private readonly used = new Map<string, { period: number; count: number }>();

  constructor(
    /** The quota offset applies to the period the twin started in ("the initial time period"). */
    private readonly started: number = Date.now(),
    private readonly account: ThrottleLimits = ACCOUNT_LIMITS,
  ) {}

  /** Undefined when the call may go on; else API Gateway's refusal, with the reason for the audit log. */
  check(call: KeyedCall, ids: ResponseIds, now: number): ServiceResponse | undefined {
    if (!call.route.method.apiKeyRequired) return undefined;
    const fromAuthorizer = call.api.apiKeySource === 'AUTHORIZER';
    const value = fromAuthorizer ? call.keyFromAuthorizer : call.headers['x-api-key'];
    if (!value)
      return refuse(
        forbidden(ids),
        fromAuthorizer
          ? 'API key required: the Lambda authorizer returned no usageIdentifierKey'
          : 'API key required: no x-api-key header',
      );
    for (const plan of call.api.usagePlans ?? []) {
      if (!Object.hasOwn(plan.stages, call.stage)) continue;
      const key = plan.keys.find((k) => k.value === value);
      if (!key) continue;
      if (!key.enabled) return refuse(forbidden(ids), `API key ${key.logicalId} (${key.id}) is disabled`);
      return this.meter(plan, key, call, ids, now);
    }
    return refuse(
      forbidden(ids),
      `API key ${maskedKey(value)} is not in a usage plan for stage ${call.api.id}/${call.stage}`,
    );
  }

  /** The key a call that passed `check` used (the integration's `requestContext.identity` names it). */
  keyOf(call: KeyedCall): ApiKeyDef | undefined {
    if (!call.route.method.apiKeyRequired) return undefined;
    const value = call.api.apiKeySource === 'AUTHORIZER' ? call.keyFromAuthorizer : call.headers['x-api-key'];
    for (const plan of call.api.usagePlans ?? [])
      if (Object.hasOwn(plan.stages, call.stage)) {
        const key = plan.keys.find((k) => k.value === value);
        if (key) return key;
      }
    return undefined;
  }

  private meter(
    plan: UsagePlanDef,
    key: ApiKeyDef,
    call: KeyedCall,
    ids: ResponseIds,
    now: number,
  ): ServiceResponse | undefined {
    const perKey = `${plan.id} ${key.id}`;
    const quota = plan.quota;
    let count: { period: number; count: number } | undefined;
    if (quota) {
      const period = periodStart(quota.period, now);
      count = this.used.get(perKey);
      if (count?.period !== period) {
        count = { period, count: 0 };
        this.used.set(perKey, count);
      }
      const initial = period === periodStart(quota.period, this.started);
      const allowed = Math.max(0, quota.limit - (initial ? quota.offset : 0));
      // Over quota: refused before any token is taken.
      if (count.count >= allowed)
        return refuse(
          limitExceeded(ids),
          `usage plan ${plan.logicalId}: quota of ${allowed} per ${quota.period} used by API key ${key.logicalId}`,
        );
    }
    const method = `${call.route.resource.path}/${call.route.method.httpMethod}`;
    const own = plan.stages[call.stage]?.[method];
    // A method's setting in the plan has its own bucket; the plan's limit still holds for the key.
    if (own && !this.take(`${perKey} ${call.api.id} ${call.stage} ${method}`, own, plan.throttle, now))
      return refuse(
        tooManyRequests(ids),
        `usage plan ${plan.logicalId}: API key ${key.logicalId} is over the plan's throttling of ${method} on stage ${call.stage}`,
      );
    if (plan.throttle && !this.take(perKey, plan.throttle, undefined, now))
      return refuse(
        tooManyRequests(ids),
        `usage plan ${plan.logicalId}: API key ${key.logicalId} is over the plan's throttling`,
      );
    if (count) count.count++;
    return undefined;
  }

  /** Takes a token from the bucket `id`, made on first use with these limits (bounded by the account's). */
  private take(
    id: string,
    own: UsagePlanThrottleDef,
    fallback: UsagePlanThrottleDef | undefined,
    now: number,
  ): boolean {
    let bucket = this.buckets.get(id);
    if (!bucket) {
      const rate = own.rateLimit ?? fallback?.rateLimit ?? this.account.rate;
      const burst = own.burstLimit ?? fallback?.burstLimit ?? this.account.burst;
      bucket = new TokenBucket(
        { rate: Math.min(rate, this.account.rate), burst: Math.min(burst, this.account.burst) },
        now,
      );
      this.buckets.set(id, bucket);
    }
    return bucket.take(now);
  }
}
