/**
 * An AWS WAF web ACL in front of an API stage: rules in priority order, the first terminating
 * action wins, else the default action. The twin evaluates rate-based rules (aggregated per source
 * IP, or one count for all): each request is counted, and once more than `limit` requests fell in
 * the evaluation window looking back from now, the rule's action applies to further ones.
 *
 * AWS "applies rate limiting near the limit that you set, but does not guarantee an exact limit
 * match" and "checks the rate frequently": on AWS a flood can get a little past the limit before it
 * is blocked. The twin blocks at the limit exactly — the earliest AWS could.
 * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html
 */
import type { WebAclDef, WebAclRuleDef } from './types.ts';

export type WafVerdict =
  | { readonly action: 'allow'; readonly rule?: string }
  | { readonly action: 'block'; readonly rule?: string; readonly reason: string };

/** Request times of one aggregation key, oldest first (a queue with a moving head). */
class RequestTimes {
  private times: number[] = [];
  private head = 0;

  /** Records `now`, drops what fell out of the window, and returns how many remain. */
  count(now: number, windowMs: number): number {
    this.times.push(now);
    while (this.head < this.times.length && this.times[this.head] <= now - windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
}

export class WebAclRunner {
  private readonly counters = new Map<string, RequestTimes>();

  constructor(readonly acl: WebAclDef) {}

  evaluate(sourceIp: string, now: number): WafVerdict {
    for (const rule of this.acl.rules) {
      const fired = this.fires(rule, sourceIp, now);
      if (fired === undefined) continue;
      if (rule.kind === 'rate-based' && rule.action === 'block')
        return { action: 'block', rule: rule.name, reason: fired };
    }
    return this.acl.defaultAction === 'block'
      ? { action: 'block', reason: `the web ACL's default action is Block` }
      : { action: 'allow' };
  }

  /** Why the rule matched this request, or undefined when it did not. */
  private fires(rule: WebAclRuleDef, sourceIp: string, now: number): string | undefined {
    if (rule.kind !== 'rate-based') return undefined;
    const key = rule.key === 'IP' ? sourceIp : '*';
    let times = this.counters.get(`${rule.name} ${key}`);
    if (!times) {
      times = new RequestTimes();
      this.counters.set(`${rule.name} ${key}`, times);
    }
    const seen = times.count(now, rule.windowSeconds * 1000);
    if (seen <= rule.limit) return undefined;
    const from = rule.key === 'IP' ? ` from ${sourceIp}` : '';
    return `${seen} requests${from} in the last ${rule.windowSeconds} s, over the limit of ${rule.limit}`;
  }
}
