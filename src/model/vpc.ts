/**
 * VPCs (+ AWS::EC2::VPCCidrBlock, DNS attributes), subnets, internet gateways and their attachments.
 */
import { type BuildContext, idsOf } from './context.ts';
import { syntheticId } from './ids.ts';
import { type Ref, bool, logicalIdOf, str } from './refs.ts';

export interface Vpc {
  readonly logicalId: string;
  readonly physicalId: string;
  /** IPv4 CIDR blocks: CidrBlock plus every AWS::EC2::VPCCidrBlock. */
  readonly cidrs: string[];
  /** @default true (AWS::EC2::VPC EnableDnsSupport) */
  readonly enableDnsSupport: boolean;
  /** @default false (AWS::EC2::VPC EnableDnsHostnames) */
  readonly enableDnsHostnames: boolean;
  /** Keys of what AWS creates with every VPC. */
  readonly mainRouteTable: string;
  readonly defaultSecurityGroup: string;
  readonly defaultNetworkAcl: string;
  /** Keys of the internet gateways attached to it (AWS allows one). */
  readonly internetGateways: string[];
}

export interface Subnet {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly vpc: Ref;
  readonly cidr?: string;
  readonly availabilityZone?: string;
  /** @default false */
  readonly mapPublicIpOnLaunch: boolean;
  /** Key of its route table: the explicit association, else the VPC's main route table. */
  routeTable?: string;
  routeTableImplicit: boolean;
  /** Key of its network ACL: the explicit association, else the VPC's default NACL. */
  networkAcl?: string;
}

export interface InternetGateway {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly vpcs: string[];
}

export function buildVpcs(ctx: BuildContext): Map<string, Vpc> {
  const vpcs = new Map<string, Vpc>();
  for (const resource of ctx.ofType('AWS::EC2::VPC')) {
    const id = resource.logicalId;
    const props = resource.properties;
    const cidr = str(props.CidrBlock);
    if (!cidr)
      ctx.issue(
        id,
        'CidrBlock is not a known IPv4 block (IPAM pool or unresolved): addresses in this VPC are unknown',
      );
    const vpc: Vpc = {
      logicalId: id,
      physicalId: resource.physicalId,
      cidrs: cidr ? [cidr] : [],
      enableDnsSupport: bool(props.EnableDnsSupport) ?? true,
      enableDnsHostnames: bool(props.EnableDnsHostnames) ?? false,
      mainRouteTable: `${id}/MainRouteTable`,
      defaultSecurityGroup: `${id}/DefaultSecurityGroup`,
      defaultNetworkAcl: `${id}/DefaultNetworkAcl`,
      internetGateways: [],
    };
    vpcs.set(id, vpc);
    ctx.index('vpc').add(id, ...idsOf(resource));
    // GetAtt Vpc.DefaultSecurityGroup / DefaultNetworkAcl resolve to these ids.
    ctx
      .index('securityGroup')
      .add(
        vpc.defaultSecurityGroup,
        resource.attributes.DefaultSecurityGroup,
        syntheticId('sg', vpc.defaultSecurityGroup),
      );
    ctx
      .index('networkAcl')
      .add(
        vpc.defaultNetworkAcl,
        resource.attributes.DefaultNetworkAcl,
        syntheticId('acl', vpc.defaultNetworkAcl),
      );
    ctx.index('routeTable').add(vpc.mainRouteTable, syntheticId('rtb', vpc.mainRouteTable));
  }
  for (const resource of ctx.ofType('AWS::EC2::VPCCidrBlock')) {
    const vpc = vpcs.get(logicalIdOf(ctx.index('vpc').ref(resource.properties.VpcId, 'VpcId')) ?? '');
    const cidr = str(resource.properties.CidrBlock);
    if (vpc && cidr) vpc.cidrs.push(cidr);
    else if (
      !str(resource.properties.Ipv6CidrBlock) &&
      resource.properties.AmazonProvidedIpv6CidrBlock === undefined
    )
      ctx.issue(
        resource.logicalId,
        'additional CIDR block not modelled (unknown VPC or IPAM-allocated block)',
      );
  }
  return vpcs;
}

export function buildSubnets(ctx: BuildContext): Map<string, Subnet> {
  const subnets = new Map<string, Subnet>();
  for (const resource of ctx.ofType('AWS::EC2::Subnet')) {
    const props = resource.properties;
    const subnet: Subnet = {
      logicalId: resource.logicalId,
      physicalId: resource.physicalId,
      vpc: ctx.index('vpc').ref(props.VpcId, 'VpcId'),
      cidr: str(props.CidrBlock),
      availabilityZone: str(props.AvailabilityZone) ?? str(resource.attributes.AvailabilityZone),
      mapPublicIpOnLaunch: bool(props.MapPublicIpOnLaunch) ?? false,
      routeTableImplicit: true,
    };
    if (!subnet.cidr)
      ctx.issue(resource.logicalId, 'CidrBlock unknown: addresses in this subnet are unknown');
    subnets.set(resource.logicalId, subnet);
    ctx.index('subnet').add(resource.logicalId, ...idsOf(resource));
  }
  return subnets;
}

export function buildInternetGateways(
  ctx: BuildContext,
  vpcs: Map<string, Vpc>,
): Map<string, InternetGateway> {
  const gateways = new Map<string, InternetGateway>();
  for (const resource of ctx.ofType('AWS::EC2::InternetGateway')) {
    gateways.set(resource.logicalId, {
      logicalId: resource.logicalId,
      physicalId: resource.physicalId,
      vpcs: [],
    });
    ctx.index('internetGateway').add(resource.logicalId, ...idsOf(resource));
  }
  for (const resource of ctx.ofType('AWS::EC2::VPCGatewayAttachment')) {
    if (resource.properties.InternetGatewayId === undefined) continue; // a VPN gateway attachment
    const igw = gateways.get(
      logicalIdOf(
        ctx.index('internetGateway').ref(resource.properties.InternetGatewayId, 'InternetGatewayId'),
      ) ?? '',
    );
    const vpc = vpcs.get(logicalIdOf(ctx.index('vpc').ref(resource.properties.VpcId, 'VpcId')) ?? '');
    if (!igw || !vpc) {
      ctx.issue(resource.logicalId, 'attachment of an unknown internet gateway or VPC: ignored');
      continue;
    }
    igw.vpcs.push(vpc.logicalId);
    vpc.internetGateways.push(igw.logicalId);
  }
  return gateways;
}
