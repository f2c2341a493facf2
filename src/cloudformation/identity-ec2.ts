/**
 * Identity rules (what Ref and Fn::GetAtt return): EC2 and VPC resources: VPCs, subnets, gateways, endpoints,
 * security groups, prefix lists, instances.
 */
import type { ResourceInstance } from './types.ts';
import type { IdentityContext, IdentityRule } from './identity-helpers.ts';
import { id, arn, text, lower, upper, pending, prop, CREATION_TIMESTAMP } from './identity-helpers.ts';
import { ec2Id, eniId, generatedName, publicIpFor } from './physical-ids.ts';
import { isUnresolved } from './unresolved.ts';

export const vpc: IdentityRule = (c) => {
  const vpcId = ec2Id('vpc', c.stackName, c.logicalId);
  return id(vpcId, {
    VpcId: vpcId,
    CidrBlock: prop(c, 'CidrBlock', pending(c, 'CidrBlock', 'allocated by IPAM at deployment')),
    CidrBlockAssociations: [ec2Id('vpc-cidr-assoc', c.stackName, c.logicalId)],
    DefaultNetworkAcl: ec2Id('acl', c.stackName, c.logicalId, 'default'),
    DefaultSecurityGroup: ec2Id('sg', c.stackName, c.logicalId, 'default'),
    Ipv6CidrBlocks: pending(c, 'Ipv6CidrBlocks', 'Amazon-provided IPv6 blocks are assigned at deployment'),
  });
};

export const subnet: IdentityRule = (c) => {
  const subnetId = ec2Id('subnet', c.stackName, c.logicalId);
  const ipv6 = c.properties.Ipv6CidrBlock;
  return id(subnetId, {
    SubnetId: subnetId,
    VpcId: prop(c, 'VpcId', pending(c, 'VpcId', 'no VpcId given')),
    CidrBlock: prop(c, 'CidrBlock', pending(c, 'CidrBlock', 'allocated by IPAM at deployment')),
    AvailabilityZone: prop(
      c,
      'AvailabilityZone',
      pending(c, 'AvailabilityZone', 'chosen by AWS at deployment'),
    ),
    Ipv6CidrBlocks: ipv6 === undefined ? [] : [ipv6],
    NetworkAclAssociationId: ec2Id('aclassoc', c.stackName, c.logicalId),
  });
};

export function ec2Simple(prefix: string, attribute: string): IdentityRule {
  return (c) => {
    const value = ec2Id(prefix, c.stackName, c.logicalId);
    return id(value, { [attribute]: value });
  };
}

export const eip: IdentityRule = (c) => {
  const ip = publicIpFor(c.stackName, c.logicalId);
  return id(ip, { PublicIp: ip, AllocationId: ec2Id('eipalloc', c.stackName, c.logicalId) });
};

/** `com.amazonaws.us-east-1.secretsmanager` → `secretsmanager`. */
function serviceShortName(serviceName: unknown): string | undefined {
  if (typeof serviceName !== 'string') return undefined;
  const parts = serviceName.split('.');
  return parts.length >= 4 ? parts.slice(3).join('.') : parts[parts.length - 1];
}

/**
 * Route 53 hosted zone of the `*.vpce.amazonaws.com` names. us-east-1's is AWS's (seen in
 * DescribeVpcEndpoints output); other Regions get a stable stand-in (see the docs file).
 */
const VPCE_HOSTED_ZONE: Readonly<Record<string, string>> = { 'us-east-1': 'Z7HUB22UULQXV' };

/** The name private DNS makes resolve to the endpoint (S3 and execute-api names are wildcards). */
function privateDnsName(service: string, c: IdentityContext): string {
  const wildcard = service === 's3' || service === 'execute-api' ? '*.' : '';
  return `${wildcard}${service}.${c.region}.${c.urlSuffix}`;
}

export const vpcEndpoint: IdentityRule = (c) => {
  const vpceId = ec2Id('vpce', c.stackName, c.logicalId);
  const endpointType = text(c.properties.VpcEndpointType) ?? 'Gateway';
  const attributes: Record<string, unknown> = { Id: vpceId, CreationTimestamp: CREATION_TIMESTAMP };
  if (endpointType === 'Gateway') {
    return id(vpceId, { ...attributes, DnsEntries: [], NetworkInterfaceIds: [] });
  }
  const subnets = Array.isArray(c.properties.SubnetIds) ? c.properties.SubnetIds : [];
  const service = serviceShortName(c.properties.ServiceName);
  if (subnets.some(isUnresolved) || isUnresolved(c.properties.SubnetIds) || service === undefined) {
    const reason = 'depends on unresolved subnets or service name';
    return id(vpceId, {
      ...attributes,
      DnsEntries: pending(c, 'DnsEntries', reason),
      NetworkInterfaceIds: pending(c, 'NetworkInterfaceIds', reason),
    });
  }
  const placed = subnets.map((s) => {
    const subnetId = String(s);
    const subnetResource = c.resourceByPhysicalId(subnetId);
    return { key: subnetResource?.logicalId ?? subnetId, az: subnetResource?.attributes.AvailabilityZone };
  });
  const zone = VPCE_HOSTED_ZONE[c.region] ?? `Z${upper(c, 'vpce-zone', 13)}`;
  // S3 interface endpoint names are wildcards: *.vpce-….s3.<region>.vpce.amazonaws.com.
  const wildcard = service === 's3' ? '*.' : '';
  const base = `${wildcard}${vpceId}-${lower(c, 'vpce-dns', 8)}`;
  const domain = `${service}.${c.region}.vpce.${c.urlSuffix}`;
  // Regional name first, then one per AZ, as DescribeVpcEndpoints lists them.
  const dnsEntries = [`${zone}:${base}.${domain}`];
  for (const { az } of placed) {
    if (typeof az === 'string') dnsEntries.push(`${zone}:${base}-${az}.${domain}`);
  }
  if (String(c.properties.PrivateDnsEnabled) === 'true') {
    dnsEntries.push(`Z${upper(c, 'private-zone', 20)}:${privateDnsName(service, c)}`);
  }
  return id(vpceId, {
    ...attributes,
    DnsEntries: dnsEntries,
    NetworkInterfaceIds: placed.map(({ key }) => eniId(c.logicalId, key)),
  });
};

export const securityGroup: IdentityRule = (c) => {
  const groupId = ec2Id('sg', c.stackName, c.logicalId);
  const vpcId = c.properties.VpcId;
  // Ref returns the group name for a group in the default VPC (no VpcId), the id otherwise.
  const ref =
    vpcId === undefined
      ? (text(c.properties.GroupName) ?? generatedName(c.stackName, c.logicalId, { maxLength: 255 }))
      : groupId;
  return {
    ref,
    physicalId: ref,
    attributes: { GroupId: groupId, VpcId: vpcId ?? pending(c, 'VpcId', 'default VPC') },
  };
};

export const managedPrefixList: IdentityRule = (c) => {
  const plId = ec2Id('pl', c.stackName, c.logicalId);
  return id(plId, {
    PrefixListId: plId,
    Arn: arn(c, 'ec2', `prefix-list/${plId}`),
    OwnerId: c.accountId,
    Version: 1,
  });
};

export const instance: IdentityRule = (c) => {
  const instanceId = ec2Id('i', c.stackName, c.logicalId);
  const subnetId = text(c.properties.SubnetId) ?? firstInterfaceSubnet(c.properties.NetworkInterfaces);
  const subnetResource = subnetId === undefined ? undefined : c.resourceByPhysicalId(subnetId);
  const az = c.properties.AvailabilityZone ?? subnetResource?.attributes.AvailabilityZone;
  const publicIp = hasPublicIp(c.properties, subnetResource)
    ? publicIpFor(c.stackName, c.logicalId)
    : pending(c, 'PublicIp', 'no public IP can be shown to be assigned at launch');
  const privateIp =
    c.properties.PrivateIpAddress ??
    pending(c, 'PrivateIp', 'assigned from the subnet at launch (the model assigns it)');
  return id(instanceId, {
    InstanceId: instanceId,
    AvailabilityZone: az ?? pending(c, 'AvailabilityZone', 'chosen by AWS at launch'),
    PrivateIp: privateIp,
    PublicIp: publicIp,
    PrivateDnsName:
      typeof privateIp === 'string'
        ? `ip-${privateIp.replace(/\./g, '-')}.${ec2DnsDomain(c, false)}`
        : pending(c, 'PrivateDnsName', 'derived from the private IP at launch'),
    PublicDnsName:
      typeof publicIp === 'string'
        ? `ec2-${publicIp.replace(/\./g, '-')}.${ec2DnsDomain(c, true)}`
        : pending(c, 'PublicDnsName', 'derived from the public IP at launch'),
  });
};

/** EC2 host names: us-east-1 uses `ec2.internal` / `compute-1.amazonaws.com`, others `<region>.compute…`. */
function ec2DnsDomain(c: IdentityContext, isPublic: boolean): string {
  if (c.region === 'us-east-1') return isPublic ? `compute-1.${c.urlSuffix}` : 'ec2.internal';
  return isPublic ? `${c.region}.compute.${c.urlSuffix}` : `${c.region}.compute.internal`;
}

function firstInterfaceSubnet(interfaces: unknown): string | undefined {
  if (!Array.isArray(interfaces)) return undefined;
  const first = interfaces[0] as { SubnetId?: unknown } | undefined;
  return text(first?.SubnetId);
}

function hasPublicIp(
  properties: Readonly<Record<string, unknown>>,
  subnet: ResourceInstance | undefined,
): boolean {
  const interfaces = properties.NetworkInterfaces;
  if (Array.isArray(interfaces) && interfaces.length > 0) {
    const first = interfaces[0] as { AssociatePublicIpAddress?: unknown };
    if (first.AssociatePublicIpAddress !== undefined)
      return String(first.AssociatePublicIpAddress) === 'true';
  }
  return String(subnet?.properties.MapPublicIpOnLaunch) === 'true';
}

export const launchTemplate: IdentityRule = (c) => {
  const ltId = ec2Id('lt', c.stackName, c.logicalId);
  return id(ltId, { LaunchTemplateId: ltId, LatestVersionNumber: '1', DefaultVersionNumber: '1' });
};
