/**
 * NAT gateways (+ the Elastic IP that makes a public NAT gateway reachable from the internet).
 */
import { type BuildContext, idsOf } from './context.ts';
import { type Ref, str } from './refs.ts';

export interface NatGateway {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly subnet: Ref;
  /** @default 'public' */
  readonly connectivityType: 'public' | 'private';
  readonly allocation?: Ref;
  /** The Elastic IP's address when the loader knows it (AWS::EC2::EIP PublicIp). */
  readonly publicIp?: string;
  /** Assigned by the model inside its subnet. */
  privateIp?: string;
}

export function buildNatGateways(ctx: BuildContext): Map<string, NatGateway> {
  const publicIpByEip = new Map<string, string>();
  for (const resource of ctx.ofType('AWS::EC2::EIP')) {
    ctx.index('eip').add(resource.logicalId, ...idsOf(resource));
    const address =
      str(resource.attributes.PublicIp) ??
      (/^\d+\.\d+\.\d+\.\d+$/.test(resource.physicalId) ? resource.physicalId : undefined);
    if (address) publicIpByEip.set(resource.logicalId, address);
  }
  const gateways = new Map<string, NatGateway>();
  for (const resource of ctx.ofType('AWS::EC2::NatGateway')) {
    const props = resource.properties;
    const allocation =
      props.AllocationId !== undefined ? ctx.index('eip').ref(props.AllocationId, 'AllocationId') : undefined;
    gateways.set(resource.logicalId, {
      logicalId: resource.logicalId,
      physicalId: resource.physicalId,
      subnet: ctx.index('subnet').ref(props.SubnetId, 'SubnetId'),
      connectivityType: str(props.ConnectivityType) === 'private' ? 'private' : 'public',
      allocation,
      publicIp: allocation?.kind === 'resource' ? publicIpByEip.get(allocation.logicalId) : undefined,
    });
    ctx.index('natGateway').add(resource.logicalId, ...idsOf(resource));
  }
  return gateways;
}
