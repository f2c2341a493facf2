/**
 * Security groups: inline rules, standalone AWS::EC2::SecurityGroupIngress/Egress, the default
 * allow-all egress rule, and the VPC default security group (admits its own members).
 */
import type { BuildContext } from './context.ts';
import type { IdIndex } from './ids.ts';
import { syntheticId } from './ids.ts';
import { type Ref, list, logicalIdOf, num, obj, str } from './refs.ts';
import type { Vpc } from './vpc.ts';

export type SgPeer =
  | { readonly kind: 'cidr'; readonly cidr: string }
  | { readonly kind: 'cidr6'; readonly cidr: string }
  | { readonly kind: 'security-group'; readonly group: Ref }
  | { readonly kind: 'prefix-list'; readonly prefixList: Ref }
  | { readonly kind: 'unresolved'; readonly reason: string };

export interface SgRule {
  /** The resource that defines it: the AWS::EC2::SecurityGroupIngress/Egress, or `<Group>/SecurityGroupIngress/0`. */
  readonly source: string;
  /** 'all' for IpProtocol -1, else the IANA number (tcp 6, udp 17, icmp 1). */
  readonly protocol: 'all' | number;
  readonly fromPort: number;
  readonly toPort: number;
  readonly peer: SgPeer;
  readonly description?: string;
}

export interface SecurityGroup {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly vpc?: Ref;
  readonly isDefault: boolean;
  readonly ingress: SgRule[];
  readonly egress: SgRule[];
  /** True while AWS's allow-all egress rule stays: no SecurityGroupEgress and no standalone egress rule. */
  egressDefaulted: boolean;
}

const PROTOCOLS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 };

export function buildSecurityGroups(ctx: BuildContext, vpcs: Map<string, Vpc>): Map<string, SecurityGroup> {
  const groups = new Map<string, SecurityGroup>();
  const sgIndex = ctx.index('securityGroup');
  const plIndex = ctx.index('prefixList');

  for (const vpc of vpcs.values()) {
    const key = vpc.defaultSecurityGroup;
    groups.set(key, {
      logicalId: key,
      physicalId: syntheticId('sg', key),
      vpc: { kind: 'resource', logicalId: vpc.logicalId, physicalId: vpc.physicalId },
      isDefault: true,
      ingress: [
        {
          source: `${key}/self`,
          protocol: 'all',
          fromPort: 0,
          toPort: 65535,
          peer: {
            kind: 'security-group',
            group: { kind: 'resource', logicalId: key, physicalId: syntheticId('sg', key) },
          },
          description: 'default security group: admits its own members',
        },
      ],
      egress: [allowAllEgress(`${key}/default-egress`)],
      egressDefaulted: true,
    });
  }

  for (const resource of ctx.ofType('AWS::EC2::SecurityGroup')) {
    const props = resource.properties;
    const id = resource.logicalId;
    const ingress = list(props.SecurityGroupIngress).map((rule, index) =>
      parseRule(obj(rule) ?? {}, `${id}/SecurityGroupIngress/${index}`, 'ingress', sgIndex, plIndex),
    );
    const inlineEgress = list(props.SecurityGroupEgress).map((rule, index) =>
      parseRule(obj(rule) ?? {}, `${id}/SecurityGroupEgress/${index}`, 'egress', sgIndex, plIndex),
    );
    // AWS adds the allow-all egress rule only when SecurityGroupEgress is not given.
    const egressDefaulted = inlineEgress.length === 0;
    groups.set(id, {
      logicalId: id,
      physicalId: str(resource.attributes.GroupId) ?? resource.physicalId,
      vpc: props.VpcId === undefined ? undefined : ctx.index('vpc').ref(props.VpcId, 'VpcId'),
      isDefault: false,
      ingress,
      egress: egressDefaulted ? [allowAllEgress(`${id}/default-egress`)] : inlineEgress,
      egressDefaulted,
    });
  }

  for (const [type, direction] of [
    ['AWS::EC2::SecurityGroupIngress', 'ingress'],
    ['AWS::EC2::SecurityGroupEgress', 'egress'],
  ] as const) {
    for (const resource of ctx.ofType(type)) {
      const group = groups.get(logicalIdOf(sgIndex.ref(resource.properties.GroupId, 'GroupId')) ?? '');
      if (!group) {
        ctx.issue(resource.logicalId, `${direction} rule for an unknown security group: ignored`);
        continue;
      }
      // CloudFormation revokes the default allow-all egress rule when it adds a standalone egress rule
      // (aws/aws-cdk#987: "It's actually EC2 itself that's doing this"); see docs/network-semantics.md.
      if (direction === 'egress' && group.egressDefaulted) {
        group.egress.splice(0, group.egress.length);
        group.egressDefaulted = false;
      }
      group[direction].push(parseRule(resource.properties, resource.logicalId, direction, sgIndex, plIndex));
    }
  }
  return groups;
}

function allowAllEgress(source: string): SgRule {
  return {
    source,
    protocol: 'all',
    fromPort: 0,
    toPort: 65535,
    peer: { kind: 'cidr', cidr: '0.0.0.0/0' },
    description: 'default egress rule',
  };
}

function parseRule(
  props: Readonly<Record<string, unknown>>,
  source: string,
  direction: 'ingress' | 'egress',
  sgIndex: IdIndex,
  plIndex: IdIndex,
): SgRule {
  const protocolText = str(props.IpProtocol)?.toLowerCase() ?? '-1';
  const protocol =
    protocolText === '-1' || protocolText === 'all'
      ? 'all'
      : (PROTOCOLS[protocolText] ?? num(protocolText) ?? 'all');
  const allPorts = protocol === 'all' || (num(props.FromPort) === -1 && num(props.ToPort) === -1);
  const fromPort = allPorts ? 0 : (num(props.FromPort) ?? 0);
  const toPort = allPorts ? 65535 : (num(props.ToPort) ?? fromPort);
  const [groupKey, prefixKey] =
    direction === 'ingress'
      ? ['SourceSecurityGroupId', 'SourcePrefixListId']
      : ['DestinationSecurityGroupId', 'DestinationPrefixListId'];
  let peer: SgPeer;
  if (str(props.CidrIp)) peer = { kind: 'cidr', cidr: str(props.CidrIp) as string };
  else if (str(props.CidrIpv6)) peer = { kind: 'cidr6', cidr: str(props.CidrIpv6) as string };
  else if (props[groupKey] !== undefined)
    peer = { kind: 'security-group', group: sgIndex.ref(props[groupKey], groupKey) };
  else if (props[prefixKey] !== undefined)
    peer = { kind: 'prefix-list', prefixList: plIndex.ref(props[prefixKey], prefixKey) };
  else if (props.SourceSecurityGroupName !== undefined)
    peer = {
      kind: 'unresolved',
      reason: 'SourceSecurityGroupName (EC2-Classic / default VPC) is not modelled',
    };
  else peer = { kind: 'unresolved', reason: 'rule has no resolvable peer (CidrIp, group or prefix list)' };
  return { source, protocol, fromPort, toPort, peer, description: str(props.Description) };
}
