/**
 * API Gateway's server-side throttling, as its developer guide describes it: token buckets (the
 * burst is the bucket's size, the rate its refill per second), first the stage's limits for the
 * method — an individual per-method setting, else the stage's default method throttling — then the
 * account's, 10,000 requests per second with a burst of 5,000 across all APIs. A method limit set
 * higher than the account's is bounded by it. A request that finds a bucket empty is answered
 * 429 Too Many Requests. (A usage plan's per-key limits come before these: api-keys.ts.)
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
 */
import type { MethodThrottleDef } from './types.ts';

export interface ThrottleLimits {
  readonly rate: number;
  readonly burst: number;
}

/** Account-level throttling per Region, before any increase. */
export const ACCOUNT_LIMITS: ThrottleLimits = { rate: 10_000, burst: 5_000 };

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly limits: ThrottleLimits,
    now: number,
  ) {
    this.tokens = limits.burst;
    this.last = now;
  }

  /** Takes one token if there is one; `now` in milliseconds. */
  take(now: number): boolean {
    const elapsedSeconds = Math.max(0, now - this.last) / 1000;
    this.tokens = Math.min(this.limits.burst, this.tokens + elapsedSeconds * this.limits.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * The limits a method has on a stage: its own setting, else the stage default (`/*`, `*`); a value
 * left unset in one falls back to the next, and the account's limits bound them all. Undefined
 * when the stage sets nothing: only the account's bucket applies.
 */
export function methodLimits(
  settings: readonly MethodThrottleDef[],
  resourcePath: string,
  httpMethod: string,
  account: ThrottleLimits = ACCOUNT_LIMITS,
): ThrottleLimits | undefined {
  const own = settings.find((s) => s.resourcePath === resourcePath && s.httpMethod === httpMethod);
  const stageDefault = settings.find((s) => s.resourcePath === '/*' && s.httpMethod === '*');
  if (!own && !stageDefault) return undefined;
  const rate = own?.rateLimit ?? stageDefault?.rateLimit ?? account.rate;
  const burst = own?.burstLimit ?? stageDefault?.burstLimit ?? account.burst;
  return { rate: Math.min(rate, account.rate), burst: Math.min(burst, account.burst) };
}

export class ApiThrottles {
  private readonly account: TokenBucket;
  private readonly methods = new Map<string, TokenBucket | null>();

  constructor(
    /** The throttling settings of an API's stage. */
    private readonly settingsOf: (apiId: string, stage: string) => readonly MethodThrottleDef[],
    now: number = Date.now(),
    private readonly accountLimits: ThrottleLimits = ACCOUNT_LIMITS,
  ) {
    this.account = new TokenBucket(accountLimits, now);
  }

  /** Whether a request to this stage's method gets through; false = 429 Too Many Requests. */
  admit(apiId: string, stage: string, resourcePath: string, httpMethod: string, now: number): boolean {
    const key = `${apiId} ${stage} ${resourcePath} ${httpMethod}`;
    let bucket = this.methods.get(key);
    if (bucket === undefined) {
      const limits = methodLimits(
        this.settingsOf(apiId, stage),
        resourcePath,
        httpMethod,
        this.accountLimits,
      );
      bucket = limits ? new TokenBucket(limits, now) : null;
      this.methods.set(key, bucket);
    }
    if (bucket && !bucket.take(now)) return false;
    return this.account.take(now);
  }
}
