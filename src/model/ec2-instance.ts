/**
 * EC2 instances: subnet and security groups (directly or through the primary NetworkInterfaces
 * entry), public IP, instance profile.
 */
import type { BuildContext } from './context.ts';
import { type Ref, bool, list, num, obj, str } from './refs.ts';

export interface Instance {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly subnet?: Ref;
  readonly securityGroups: Ref[];
  /** AssociatePublicIpAddress of the primary interface; undefined = the subnet's MapPublicIpOnLaunch decides. */
  readonly associatePublicIp?: boolean;
  readonly privateIp?: string;
  readonly instanceProfile?: Ref;
  readonly publicIp?: string;
}

export function buildInstances(ctx: BuildContext): Map<string, Instance> {
  const instances = new Map<string, Instance>();
  for (const resource of ctx.ofType('AWS::EC2::Instance')) {
    const props = resource.properties;
    const primary = list(props.NetworkInterfaces)
      .map((entry) => obj(entry))
      .find((entry) => entry !== undefined && (num(entry.DeviceIndex) ?? 0) === 0);
    const subnetValue = primary?.SubnetId ?? props.SubnetId;
    const groups = primary
      ? ctx.index('securityGroup').refs(primary.GroupSet, 'NetworkInterfaces[0].GroupSet')
      : ctx.index('securityGroup').refs(props.SecurityGroupIds, 'SecurityGroupIds');
    if (!primary && props.SecurityGroups !== undefined)
      groups.push(...ctx.index('securityGroup').refs(props.SecurityGroups, 'SecurityGroups'));
    instances.set(resource.logicalId, {
      logicalId: resource.logicalId,
      physicalId: resource.physicalId,
      subnet: subnetValue === undefined ? undefined : ctx.index('subnet').ref(subnetValue, 'SubnetId'),
      securityGroups: groups,
      associatePublicIp: bool(primary?.AssociatePublicIpAddress),
      privateIp: str(primary?.PrivateIpAddress) ?? str(props.PrivateIpAddress),
      instanceProfile:
        props.IamInstanceProfile === undefined
          ? undefined
          : ctx.index('instanceProfile').ref(props.IamInstanceProfile, 'IamInstanceProfile'),
      publicIp: str(resource.attributes.PublicIp),
    });
  }
  return instances;
}
