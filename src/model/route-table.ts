/**
 * Route tables: the main route table AWS creates with every VPC, explicit and implicit subnet
 * associations, the implicit `local` route for every VPC CIDR, and AWS::EC2::Route entries.
 * (Gateway endpoints add their prefix-list routes in vpc-endpoint.ts.)
 */
import { type BuildContext, idsOf } from './context.ts';
import { syntheticId } from './ids.ts';
import { type Ref, logicalIdOf, str, unresolvedRef } from './refs.ts';
import type { Subnet, Vpc } from './vpc.ts';

export type RouteDestination =
  | { readonly kind: 'cidr'; readonly cidr: string }
  | { readonly kind: 'prefix-list'; readonly prefixListId: string }
  | { readonly kind: 'ipv6'; readonly cidr: string }
  | { readonly kind: 'unresolved'; readonly reason: string };

export type RouteTarget =
  | { readonly kind: 'local' }
  | {
      readonly kind:
        | 'internet-gateway'
        | 'egress-only-internet-gateway'
        | 'gateway-endpoint'
        | 'nat-gateway'
        | 'network-interface'
        | 'instance'
        | 'vpc-peering'
        | 'transit-gateway'
        | 'vpn-gateway'
        | 'carrier-gateway'
        | 'local-gateway'
        | 'core-network';
      readonly ref: Ref;
    }
  | { readonly kind: 'unresolved'; readonly reason: string };

export interface Route {
  /** The AWS::EC2::Route, the gateway endpoint that added it, or `<RouteTable>/local`. */
  readonly logicalId: string;
  readonly destination: RouteDestination;
  readonly target: RouteTarget;
}

export interface RouteTable {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly vpc: Ref;
  /** True for the main route table AWS creates with the VPC. */
  readonly isMain: boolean;
  readonly routes: Route[];
  /** Keys of the subnets using it (explicitly or, for the main table, implicitly). */
  readonly subnets: string[];
}

export function buildRouteTables(
  ctx: BuildContext,
  vpcs: Map<string, Vpc>,
  subnets: Map<string, Subnet>,
): Map<string, RouteTable> {
  const tables = new Map<string, RouteTable>();
  for (const vpc of vpcs.values()) {
    tables.set(vpc.mainRouteTable, {
      logicalId: vpc.mainRouteTable,
      physicalId: syntheticId('rtb', vpc.mainRouteTable),
      vpc: { kind: 'resource', logicalId: vpc.logicalId, physicalId: vpc.physicalId },
      isMain: true,
      routes: [],
      subnets: [],
    });
  }
  for (const resource of ctx.ofType('AWS::EC2::RouteTable')) {
    tables.set(resource.logicalId, {
      logicalId: resource.logicalId,
      physicalId: resource.physicalId,
      vpc: ctx.index('vpc').ref(resource.properties.VpcId, 'VpcId'),
      isMain: false,
      routes: [],
      subnets: [],
    });
    ctx.index('routeTable').add(resource.logicalId, ...idsOf(resource));
  }

  for (const resource of ctx.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
    const subnet = subnets.get(
      logicalIdOf(ctx.index('subnet').ref(resource.properties.SubnetId, 'SubnetId')) ?? '',
    );
    const table = tables.get(
      logicalIdOf(ctx.index('routeTable').ref(resource.properties.RouteTableId, 'RouteTableId')) ?? '',
    );
    if (!subnet || !table) {
      ctx.issue(resource.logicalId, 'association of an unknown subnet or route table: ignored');
      continue;
    }
    subnet.routeTable = table.logicalId;
    subnet.routeTableImplicit = false;
    table.subnets.push(subnet.logicalId);
  }
  // A subnet without an explicit association uses its VPC's main route table.
  for (const subnet of subnets.values()) {
    if (subnet.routeTable) continue;
    const vpc = vpcs.get(logicalIdOf(subnet.vpc) ?? '');
    if (!vpc) continue;
    subnet.routeTable = vpc.mainRouteTable;
    tables.get(vpc.mainRouteTable)?.subnets.push(subnet.logicalId);
  }

  // The local route: one per VPC CIDR, in every route table of the VPC.
  for (const table of tables.values()) {
    const vpc = vpcs.get(logicalIdOf(table.vpc) ?? '');
    for (const cidr of vpc?.cidrs ?? []) {
      table.routes.push({
        logicalId: `${table.logicalId}/local`,
        destination: { kind: 'cidr', cidr },
        target: { kind: 'local' },
      });
    }
  }

  for (const resource of ctx.ofType('AWS::EC2::Route')) {
    const table = tables.get(
      logicalIdOf(ctx.index('routeTable').ref(resource.properties.RouteTableId, 'RouteTableId')) ?? '',
    );
    if (!table) {
      ctx.issue(resource.logicalId, 'route in an unknown route table: ignored');
      continue;
    }
    table.routes.push({
      logicalId: resource.logicalId,
      destination: routeDestination(resource.properties),
      target: routeTarget(ctx, resource.properties),
    });
  }
  return tables;
}

function routeDestination(props: Readonly<Record<string, unknown>>): RouteDestination {
  const cidr = str(props.DestinationCidrBlock);
  if (cidr) return { kind: 'cidr', cidr };
  const prefixList = str(props.DestinationPrefixListId);
  if (prefixList) return { kind: 'prefix-list', prefixListId: prefixList };
  const ipv6 = str(props.DestinationIpv6CidrBlock);
  if (ipv6) return { kind: 'ipv6', cidr: ipv6 };
  return { kind: 'unresolved', reason: 'no resolvable DestinationCidrBlock / DestinationPrefixListId' };
}

/** GatewayId may name an internet gateway, a gateway endpoint or a VPN gateway: decided by the resource, else by the id's prefix. */
function routeTarget(ctx: BuildContext, props: Readonly<Record<string, unknown>>): RouteTarget {
  if (props.GatewayId !== undefined) {
    const asIgw = ctx.index('internetGateway').ref(props.GatewayId, 'GatewayId');
    if (asIgw.kind === 'resource') return { kind: 'internet-gateway', ref: asIgw };
    const asEndpoint = ctx.index('vpcEndpoint').ref(props.GatewayId, 'GatewayId');
    if (asEndpoint.kind === 'resource') return { kind: 'gateway-endpoint', ref: asEndpoint };
    if (asIgw.kind === 'unresolved') return { kind: 'unresolved', reason: asIgw.reason };
    const id = asIgw.physicalId;
    if (id === 'local') return { kind: 'local' };
    if (id.startsWith('vpce-')) return { kind: 'gateway-endpoint', ref: asIgw };
    if (id.startsWith('vgw-')) return { kind: 'vpn-gateway', ref: asIgw };
    return { kind: 'internet-gateway', ref: asIgw };
  }
  const families = [
    ['NatGatewayId', 'natGateway', 'nat-gateway'],
    ['EgressOnlyInternetGatewayId', 'internetGateway', 'egress-only-internet-gateway'],
    ['NetworkInterfaceId', 'networkInterface', 'network-interface'],
    ['InstanceId', 'instance', 'instance'],
    ['VpcPeeringConnectionId', 'vpcPeering', 'vpc-peering'],
    ['TransitGatewayId', 'transitGateway', 'transit-gateway'],
    ['VpcEndpointId', 'vpcEndpoint', 'gateway-endpoint'],
    ['CarrierGatewayId', 'internetGateway', 'carrier-gateway'],
    ['LocalGatewayId', 'internetGateway', 'local-gateway'],
    ['CoreNetworkArn', 'internetGateway', 'core-network'],
  ] as const;
  for (const [property, family, kind] of families) {
    if (props[property] === undefined) continue;
    const ref = ctx.index(family).ref(props[property], property);
    if (ref.kind === 'unresolved') return { kind: 'unresolved', reason: ref.reason };
    return { kind, ref };
  }
  return { kind: 'unresolved', reason: unresolvedRef('route has no target').reason };
}
