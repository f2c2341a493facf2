/**
 * VPC endpoints: Gateway (a route to the service's prefix list in each chosen route table),
 * Interface (one ENI per chosen subnet, with security groups, optional private DNS) and
 * GatewayLoadBalancer.
 */
import { type BuildContext, idsOf } from './context.ts';
import { syntheticId } from './ids.ts';
import { type Ref, bool, list, logicalIdOf, str } from './refs.ts';
import type { RouteTable } from './route-table.ts';
import type { Vpc } from './vpc.ts';
import { awsPrefixList } from '../network/aws-prefixes.ts';
import { eniId } from '../cloudformation/load.ts';

export type EndpointType = 'Gateway' | 'Interface' | 'GatewayLoadBalancer';

/** One network interface of an interface endpoint. */
export interface EndpointEni {
  readonly id: string;
  readonly subnet: string;
  availabilityZone?: string;
  privateIp?: string;
}

export interface VpcEndpoint {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly vpc: Ref;
  /** @default 'Gateway' (CloudFormation's default VpcEndpointType) */
  readonly type: EndpointType;
  readonly serviceName?: string;
  /** Parsed from ServiceName `com.amazonaws.<region>.<service>`, e.g. 's3', 'execute-api'. */
  readonly service?: string;
  readonly serviceRegion?: string;
  readonly routeTables: Ref[];
  readonly subnets: Ref[];
  /** Its security groups; the VPC's default SG when the template names none. */
  readonly securityGroups: Ref[];
  readonly securityGroupsDefaulted: boolean;
  /** @default false (CloudFormation; the CDK sets true) */
  readonly privateDnsEnabled: boolean;
  /** The endpoint policy as raw JSON; undefined = AWS's default policy (full access). */
  readonly policyDocument?: unknown;
  readonly enis: EndpointEni[];
  /** For gateway endpoints: the prefix list its routes point at. */
  readonly prefixListId?: string;
}

/** `com.amazonaws.us-east-1.s3` → {region, service}; also `cn.com.amazonaws…` and `com.amazonaws.vpce.<region>.vpce-svc-…`. */
export function parseServiceName(
  serviceName: string,
): { region: string; service: string; isAws: boolean } | undefined {
  const match = /^(?:cn\.)?(com\.amazonaws|aws\.[a-z]+)\.(?:vpce\.)?([a-z]{2}(?:-[a-z]+)+-\d+)\.(.+)$/.exec(
    serviceName,
  );
  if (!match) return undefined;
  const service = match[3];
  return { region: match[2], service, isAws: !service.startsWith('vpce-svc-') };
}

export function buildVpcEndpoints(ctx: BuildContext, vpcs: Map<string, Vpc>): Map<string, VpcEndpoint> {
  const endpoints = new Map<string, VpcEndpoint>();
  for (const resource of ctx.ofType('AWS::EC2::VPCEndpoint'))
    ctx.index('vpcEndpoint').add(resource.logicalId, ...idsOf(resource));
  for (const resource of ctx.ofType('AWS::EC2::VPCEndpoint')) {
    const props = resource.properties;
    const id = resource.logicalId;
    const type = (str(props.VpcEndpointType) ?? 'Gateway') as EndpointType;
    const serviceName = str(props.ServiceName);
    const parsed = serviceName ? parseServiceName(serviceName) : undefined;
    if (!parsed)
      ctx.issue(
        id,
        `ServiceName ${serviceName ?? '(unresolved)'} is not an AWS service name: the service is unknown`,
      );
    const vpc = ctx.index('vpc').ref(props.VpcId, 'VpcId');
    const subnets = ctx.index('subnet').refs(props.SubnetIds, 'SubnetIds');
    let securityGroups = ctx.index('securityGroup').refs(props.SecurityGroupIds, 'SecurityGroupIds');
    const defaulted = type === 'Interface' && securityGroups.length === 0;
    if (defaulted) {
      const owner = vpcs.get(logicalIdOf(vpc) ?? '');
      securityGroups = owner
        ? [
            {
              kind: 'resource',
              logicalId: owner.defaultSecurityGroup,
              physicalId: syntheticId('sg', owner.defaultSecurityGroup),
            },
          ]
        : [
            {
              kind: 'unresolved',
              reason: 'no SecurityGroupIds and the VPC (hence its default SG) is unknown',
            },
          ];
    }
    const eniIds = list(resource.attributes.NetworkInterfaceIds);
    const enis: EndpointEni[] =
      type === 'GatewayLoadBalancer' || type === 'Interface'
        ? subnets.map((subnet, index) => ({
            id:
              str(eniIds[index]) ??
              eniId(
                id,
                logicalIdOf(subnet) ?? (subnet.kind === 'external' ? subnet.physicalId : String(index)),
              ),
            subnet: logicalIdOf(subnet) ?? '',
          }))
        : [];
    const prefixList =
      type === 'Gateway' && parsed ? awsPrefixList(parsed.service, parsed.region) : undefined;
    endpoints.set(id, {
      logicalId: id,
      physicalId: resource.physicalId,
      vpc,
      type,
      serviceName,
      service: parsed?.service,
      serviceRegion: parsed?.region,
      routeTables: ctx.index('routeTable').refs(props.RouteTableIds, 'RouteTableIds'),
      subnets,
      securityGroups,
      securityGroupsDefaulted: defaulted,
      privateDnsEnabled: bool(props.PrivateDnsEnabled) ?? false,
      policyDocument: parsePolicy(props.PolicyDocument),
      enis,
      prefixListId:
        type === 'Gateway' && parsed
          ? (prefixList?.id ?? syntheticId('pl', `com.amazonaws.${parsed.region}.${parsed.service}`))
          : undefined,
    });
    if (type === 'Gateway' && parsed && !prefixList)
      ctx.issue(
        id,
        `no shipped prefix list for ${parsed.service} in ${parsed.region}: its route matches no address`,
      );
  }
  return endpoints;
}

/** A gateway endpoint adds a route to its service's prefix list in every route table it names. */
export function addGatewayEndpointRoutes(
  endpoints: Map<string, VpcEndpoint>,
  tables: Map<string, RouteTable>,
): void {
  for (const endpoint of endpoints.values()) {
    if (endpoint.type !== 'Gateway' || !endpoint.prefixListId) continue;
    for (const ref of endpoint.routeTables) {
      const table = tables.get(logicalIdOf(ref) ?? '');
      table?.routes.push({
        logicalId: endpoint.logicalId,
        destination: { kind: 'prefix-list', prefixListId: endpoint.prefixListId },
        target: {
          kind: 'gateway-endpoint',
          ref: { kind: 'resource', logicalId: endpoint.logicalId, physicalId: endpoint.physicalId },
        },
      });
    }
  }
}

/** Policy documents may arrive as objects or as JSON strings. */
export function parsePolicy(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
