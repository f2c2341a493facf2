/**
 * Network ACLs: entries, subnet associations, and the default NACL of every VPC (allows all
 * traffic both ways; subnets without an explicit association use it).
 */
import type { BuildContext } from './context.ts';
import { syntheticId } from './ids.ts';
import { type Ref, bool, logicalIdOf, num, obj, str } from './refs.ts';
import type { Subnet, Vpc } from './vpc.ts';

export interface NaclEntry {
  readonly logicalId: string;
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly action: 'allow' | 'deny';
  /** 'all' for -1, else the IANA number. */
  readonly protocol: 'all' | number;
  /** IPv4 block; undefined for IPv6 entries (which never match IPv4 traffic). */
  readonly cidr?: string;
  readonly fromPort: number;
  readonly toPort: number;
}

export interface NetworkAcl {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly vpc: Ref;
  readonly isDefault: boolean;
  /** Sorted by rule number; the implicit final deny (`*`) is not listed. */
  readonly entries: NaclEntry[];
}

export function buildNetworkAcls(
  ctx: BuildContext,
  vpcs: Map<string, Vpc>,
  subnets: Map<string, Subnet>,
): Map<string, NetworkAcl> {
  const acls = new Map<string, NetworkAcl>();
  for (const vpc of vpcs.values()) {
    const key = vpc.defaultNetworkAcl;
    const allowAll = (egress: boolean): NaclEntry => ({
      logicalId: `${key}/100${egress ? '-egress' : '-ingress'}`,
      ruleNumber: 100,
      egress,
      action: 'allow',
      protocol: 'all',
      cidr: '0.0.0.0/0',
      fromPort: 0,
      toPort: 65535,
    });
    acls.set(key, {
      logicalId: key,
      physicalId: syntheticId('acl', key),
      vpc: { kind: 'resource', logicalId: vpc.logicalId, physicalId: vpc.physicalId },
      isDefault: true,
      entries: [allowAll(false), allowAll(true)],
    });
  }
  for (const resource of ctx.ofType('AWS::EC2::NetworkAcl')) {
    acls.set(resource.logicalId, {
      logicalId: resource.logicalId,
      physicalId: resource.physicalId,
      vpc: ctx.index('vpc').ref(resource.properties.VpcId, 'VpcId'),
      isDefault: false,
      entries: [],
    });
  }
  for (const resource of ctx.ofType('AWS::EC2::NetworkAclEntry')) {
    const props = resource.properties;
    const acl = acls.get(logicalIdOf(ctx.index('networkAcl').ref(props.NetworkAclId, 'NetworkAclId')) ?? '');
    if (!acl) {
      ctx.issue(resource.logicalId, 'entry of an unknown network ACL: ignored');
      continue;
    }
    const protocolNumber = num(props.Protocol) ?? -1;
    const protocol = protocolNumber === -1 ? 'all' : protocolNumber;
    const range = obj(props.PortRange);
    const allPorts = protocol === 'all' || !(protocol === 6 || protocol === 17) || !range;
    acl.entries.push({
      logicalId: resource.logicalId,
      ruleNumber: num(props.RuleNumber) ?? 32766,
      egress: bool(props.Egress) ?? false,
      action: str(props.RuleAction)?.toLowerCase() === 'allow' ? 'allow' : 'deny',
      protocol,
      cidr: str(props.CidrBlock),
      fromPort: allPorts ? 0 : (num(range?.From) ?? 0),
      toPort: allPorts ? 65535 : (num(range?.To) ?? 65535),
    });
  }
  for (const acl of acls.values()) acl.entries.sort((a, b) => a.ruleNumber - b.ruleNumber);

  for (const resource of ctx.ofType('AWS::EC2::SubnetNetworkAclAssociation')) {
    const subnet = subnets.get(
      logicalIdOf(ctx.index('subnet').ref(resource.properties.SubnetId, 'SubnetId')) ?? '',
    );
    const acl = acls.get(
      logicalIdOf(ctx.index('networkAcl').ref(resource.properties.NetworkAclId, 'NetworkAclId')) ?? '',
    );
    if (!subnet || !acl) {
      ctx.issue(resource.logicalId, 'association of an unknown subnet or network ACL: ignored');
      continue;
    }
    subnet.networkAcl = acl.logicalId;
  }
  for (const subnet of subnets.values()) {
    if (subnet.networkAcl) continue;
    const vpc = vpcs.get(logicalIdOf(subnet.vpc) ?? '');
    if (vpc) subnet.networkAcl = vpc.defaultNetworkAcl;
  }
  return acls;
}
