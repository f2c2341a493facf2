/**
 * Network ACL evaluation: stateless, rules in ascending rule-number order, first match decides,
 * and the implicit final rule (`*`) denies. Because NACLs are stateless, the response of every
 * connection must be allowed too — towards the client's ephemeral ports.
 */
import type { NaclEntry, NetworkAcl } from '../model/network-acl.ts';
import { type Cidr, cidrContains, parseCidr } from './ipv4.ts';

interface CompiledEntry {
  readonly entry: NaclEntry;
  readonly cidr: Cidr;
}

export interface CompiledAcl {
  readonly key: string;
  readonly inbound: CompiledEntry[];
  readonly outbound: CompiledEntry[];
}

export interface NaclDecision {
  readonly allowed: boolean;
  /** The entry that decided; undefined = the implicit deny (`*`). */
  readonly entry?: NaclEntry;
  /** For a range check: the first port that was denied. */
  readonly deniedPort?: number;
}

export function compileNetworkAcl(acl: NetworkAcl): CompiledAcl {
  const compile = (egress: boolean): CompiledEntry[] =>
    acl.entries
      .filter((entry) => entry.egress === egress && entry.cidr !== undefined)
      .map((entry) => ({ entry, cidr: parseCidr(entry.cidr as string) }))
      .filter((item): item is CompiledEntry => item.cidr !== undefined);
  return { key: acl.logicalId, inbound: compile(false), outbound: compile(true) };
}

/**
 * Whether every port of [fromPort, toPort] is allowed for TCP/UDP traffic with `address` (the
 * remote side). Walks the rules in order, removing the allowed part of the range; a deny that
 * covers any remaining port decides.
 */
export function evaluateNacl(
  acl: CompiledAcl,
  direction: 'inbound' | 'outbound',
  address: number,
  protocol: number,
  fromPort: number,
  toPort = fromPort,
): NaclDecision {
  let remaining: Array<[number, number]> = [[fromPort, toPort]];
  let lastAllow: NaclEntry | undefined;
  for (const { entry, cidr } of acl[direction]) {
    if (entry.protocol !== 'all' && entry.protocol !== protocol) continue;
    if (!cidrContains(cidr, address)) continue;
    const next: Array<[number, number]> = [];
    for (const [low, high] of remaining) {
      const overlapLow = Math.max(low, entry.fromPort);
      const overlapHigh = Math.min(high, entry.toPort);
      if (overlapLow > overlapHigh) {
        next.push([low, high]);
        continue;
      }
      if (entry.action === 'deny') return { allowed: false, entry, deniedPort: overlapLow };
      if (low < overlapLow) next.push([low, overlapLow - 1]);
      if (overlapHigh < high) next.push([overlapHigh + 1, high]);
      lastAllow = entry;
    }
    remaining = next;
    if (remaining.length === 0) return { allowed: true, entry: lastAllow };
  }
  return { allowed: false, deniedPort: remaining[0][0] };
}

export function describeEntry(entry: NaclEntry | undefined): string {
  if (!entry) return 'rule * (implicit deny)';
  const protocol =
    entry.protocol === 'all'
      ? 'all'
      : entry.protocol === 6
        ? 'tcp'
        : entry.protocol === 17
          ? 'udp'
          : `protocol ${entry.protocol}`;
  const ports = entry.protocol === 'all' ? '' : ` ${entry.fromPort}-${entry.toPort}`;
  return `rule ${entry.ruleNumber} (${entry.action} ${protocol}${ports} ${entry.cidr}) ${entry.logicalId}`;
}
