/**
 * Security group evaluation. Security groups are stateful (a permitted request's response is
 * always let back) and allow-only: traffic passes when any rule of any of the ENI's groups allows
 * it. Rules are compiled once per model (CIDRs parsed, references turned into keys).
 */
import type { Model } from '../model/index.ts';
import type { SgRule } from '../model/security-group.ts';
import { type Cidr, cidrContains, parseCidr } from './ipv4.ts';

export interface CompiledRule {
  readonly rule: SgRule;
  readonly group: string;
  readonly protocol: 'all' | number;
  readonly fromPort: number;
  readonly toPort: number;
  readonly cidr?: Cidr;
  /** Key of the referenced group (logical id or external sg- id). */
  readonly peerGroup?: string;
  /** Id of the referenced prefix list (pl-…). */
  readonly prefixList?: string;
}

export interface CompiledGroup {
  readonly key: string;
  readonly ingress: CompiledRule[];
  readonly egress: CompiledRule[];
}

/** The other end of a connection, as a security group sees it. */
export interface Peer {
  readonly address: number;
  /** Groups of the peer's ENI (only known for ENIs inside the model). */
  readonly groups: readonly string[];
}

export interface SgDecision {
  readonly allowed: boolean;
  readonly group?: string;
  readonly rule?: CompiledRule;
  /** Groups that were evaluated (for the explanation). */
  readonly groups: readonly string[];
  readonly unknownGroups: readonly string[];
}

export function compileSecurityGroups(model: Model): Map<string, CompiledGroup> {
  const compiled = new Map<string, CompiledGroup>();
  for (const group of model.securityGroups.values()) {
    const compile = (rule: SgRule): CompiledRule | undefined => {
      const base = {
        rule,
        group: group.logicalId,
        protocol: rule.protocol,
        fromPort: rule.fromPort,
        toPort: rule.toPort,
      };
      const peer = rule.peer;
      if (peer.kind === 'cidr') {
        const cidr = parseCidr(peer.cidr);
        return cidr ? { ...base, cidr } : undefined;
      }
      if (peer.kind === 'security-group') {
        if (peer.group.kind === 'unresolved') return undefined;
        return {
          ...base,
          peerGroup: peer.group.kind === 'resource' ? peer.group.logicalId : peer.group.physicalId,
        };
      }
      if (peer.kind === 'prefix-list' && peer.prefixList.kind !== 'unresolved')
        return {
          ...base,
          prefixList: prefixListIdOf(
            model,
            peer.prefixList.kind === 'resource' ? peer.prefixList.logicalId : undefined,
            peer.prefixList.physicalId,
          ),
        };
      return undefined; // IPv6 and unresolved peers never match IPv4 traffic
    };
    compiled.set(group.logicalId, {
      key: group.logicalId,
      ingress: group.ingress.map(compile).filter((rule): rule is CompiledRule => rule !== undefined),
      egress: group.egress.map(compile).filter((rule): rule is CompiledRule => rule !== undefined),
    });
  }
  return compiled;
}

function prefixListIdOf(model: Model, logicalId: string | undefined, physicalId: string): string {
  return (logicalId && model.prefixLists.get(logicalId)?.physicalId) || physicalId;
}

/** Whether any rule of `groups` in `direction` allows TCP (`protocol`) to/from `peer` on `port`. */
export function evaluateSecurityGroups(
  compiled: Map<string, CompiledGroup>,
  groups: readonly string[],
  direction: 'ingress' | 'egress',
  peer: Peer,
  port: number,
  protocol: number,
  prefixListContains: (prefixListId: string, address: number) => boolean,
): SgDecision {
  const unknownGroups: string[] = [];
  for (const key of groups) {
    const group = compiled.get(key);
    if (!group) {
      unknownGroups.push(key);
      continue;
    }
    for (const rule of group[direction]) {
      if (rule.protocol !== 'all' && rule.protocol !== protocol) continue;
      if (rule.protocol !== 'all' && (port < rule.fromPort || port > rule.toPort)) continue;
      if (
        rule.cidr
          ? cidrContains(rule.cidr, peer.address)
          : rule.peerGroup
            ? peer.groups.includes(rule.peerGroup)
            : rule.prefixList
              ? prefixListContains(rule.prefixList, peer.address)
              : false
      )
        return { allowed: true, group: key, rule, groups, unknownGroups };
    }
  }
  return { allowed: false, groups, unknownGroups };
}

/** `tcp 443 → 10.0.0.0/16` style text for explanations. */
export function describeRule(rule: CompiledRule, direction: 'ingress' | 'egress'): string {
  const protocol =
    rule.protocol === 'all'
      ? 'all traffic'
      : `${rule.protocol === 6 ? 'tcp' : rule.protocol === 17 ? 'udp' : `protocol ${rule.protocol}`} ${rule.fromPort === rule.toPort ? rule.fromPort : `${rule.fromPort}-${rule.toPort}`}`;
  const peer = rule.cidr
    ? rule.cidr.text
    : rule.peerGroup
      ? `security group ${rule.peerGroup}`
      : `prefix list ${rule.prefixList}`;
  return `${protocol} ${direction === 'egress' ? 'to' : 'from'} ${peer} (${rule.rule.source})`;
}
