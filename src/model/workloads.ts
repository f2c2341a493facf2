/**
 * Workloads: the uniform view of everything that sends traffic — Lambda functions (in or outside
 * a VPC), SAM functions, EC2 instances and awsvpc ECS services.
 */
import type { Ref } from './refs.ts';
import { logicalIdOf } from './refs.ts';
import type { Model } from './model.ts';
import type { LambdaFunction } from './lambda.ts';
import type { Instance } from './ec2-instance.ts';
import type { EcsService } from './ecs.ts';
import type { InstanceProfile, Role } from './iam.ts';
import { syntheticId } from './ids.ts';

export type WorkloadKind = 'lambda' | 'ec2' | 'ecs' | 'sam-function';

export interface Workload {
  readonly logicalId: string;
  readonly kind: WorkloadKind;
  /** True for a Lambda function without VpcConfig: it runs outside every VPC. */
  readonly outsideVpc: boolean;
  /** Key of its VPC; undefined outside any VPC (or when its subnets are unresolved). */
  readonly vpc?: string;
  /** Subnet keys; the first is where the tracer starts. */
  readonly subnets: string[];
  /** Security group keys (or external sg- ids). */
  readonly securityGroups: string[];
  readonly roleLogicalId?: string;
  readonly roleArn?: string;
  /** Whether its network interface has a public IPv4 address (never for a VPC Lambda). */
  readonly publicIp: boolean;
  /** The public address when it has one and it is known. */
  publicAddress?: string;
  /** Its private address in its first subnet (assigned by the model). */
  privateIp?: string;
  availabilityZone?: string;
  /** The network interface the flow logs name. */
  readonly eniId: string;
  /** Why parts of it are unknown (unresolved subnet, SG, role…). */
  readonly unresolved: string[];
}

function keysOf(refs: Ref[], unresolved: string[], what: string): string[] {
  const keys: string[] = [];
  for (const ref of refs) {
    if (ref.kind === 'resource') keys.push(ref.logicalId);
    else if (ref.kind === 'external') keys.push(ref.physicalId);
    else unresolved.push(`${what}: ${ref.reason}`);
  }
  return keys;
}

function roleOf(
  ref: Ref | undefined,
  roles: Map<string, Role>,
): { roleLogicalId?: string; roleArn?: string } {
  if (!ref) return {};
  if (ref.kind === 'resource')
    return {
      roleLogicalId: ref.logicalId,
      roleArn:
        roles.get(ref.logicalId)?.arn ?? (ref.physicalId.startsWith('arn:') ? ref.physicalId : undefined),
    };
  if (ref.kind === 'external') return { roleArn: ref.physicalId };
  return {};
}

export function buildWorkloads(
  ec2: Pick<Model, 'subnets' | 'vpcs'>,
  functions: Map<string, LambdaFunction>,
  instances: Map<string, Instance>,
  ecsServices: Map<string, EcsService>,
  roles: Map<string, Role>,
  instanceProfiles: Map<string, InstanceProfile>,
): Workload[] {
  const workloads: Workload[] = [];
  // EC2 instances and awsvpc tasks launched without security groups get their VPC's default group.
  const orDefaultGroup = (groups: string[], vpc: string | undefined): string[] => {
    const fallback = vpc ? ec2.vpcs.get(vpc)?.defaultSecurityGroup : undefined;
    return groups.length === 0 && fallback ? [fallback] : groups;
  };
  const vpcOfSubnets = (subnets: string[]): string | undefined => {
    for (const key of subnets) {
      const vpc = logicalIdOf(ec2.subnets.get(key)?.vpc);
      if (vpc) return vpc;
    }
    return undefined;
  };

  for (const fn of functions.values()) {
    const unresolved: string[] = [];
    const subnets = keysOf(fn.vpcConfig?.subnets ?? [], unresolved, 'VpcConfig.SubnetIds');
    const role = roleOf(fn.role, roles);
    if (fn.role?.kind === 'unresolved') unresolved.push(`Role: ${fn.role.reason}`);
    workloads.push({
      logicalId: fn.logicalId,
      kind: fn.kind,
      outsideVpc: fn.vpcConfig === undefined,
      vpc: fn.vpcConfig ? vpcOfSubnets(subnets) : undefined,
      subnets,
      securityGroups: keysOf(fn.vpcConfig?.securityGroups ?? [], unresolved, 'VpcConfig.SecurityGroupIds'),
      ...role,
      roleArn: role.roleArn ?? fn.roleArn,
      publicIp: false, // Lambda ENIs never get public IPs.
      eniId: syntheticId('eni', `${fn.logicalId}/eni`),
      unresolved,
    });
  }

  for (const instance of instances.values()) {
    const unresolved: string[] = [];
    const subnets = keysOf(instance.subnet ? [instance.subnet] : [], unresolved, 'SubnetId');
    if (!instance.subnet)
      unresolved.push('no SubnetId: the instance is in the default VPC, outside the template');
    const subnet = ec2.subnets.get(subnets[0] ?? '');
    const profile = instanceProfiles.get(logicalIdOf(instance.instanceProfile) ?? '');
    const roleRef = profile?.roles[0];
    const vpc = vpcOfSubnets(subnets);
    workloads.push({
      logicalId: instance.logicalId,
      kind: 'ec2',
      outsideVpc: false,
      vpc,
      subnets,
      securityGroups: orDefaultGroup(keysOf(instance.securityGroups, unresolved, 'SecurityGroupIds'), vpc),
      ...roleOf(roleRef, roles),
      publicIp: instance.associatePublicIp ?? subnet?.mapPublicIpOnLaunch ?? false,
      publicAddress: instance.publicIp,
      privateIp: instance.privateIp,
      eniId: syntheticId('eni', `${instance.logicalId}/eth0`),
      unresolved,
    });
  }

  for (const service of ecsServices.values()) {
    if (!service.awsvpc) continue; // bridge/host networking shares the container instance's ENI
    const unresolved: string[] = [];
    const subnets = keysOf(service.awsvpc.subnets, unresolved, 'AwsvpcConfiguration.Subnets');
    const vpc = vpcOfSubnets(subnets);
    workloads.push({
      logicalId: service.logicalId,
      kind: 'ecs',
      outsideVpc: false,
      vpc,
      subnets,
      securityGroups: orDefaultGroup(
        keysOf(service.awsvpc.securityGroups, unresolved, 'AwsvpcConfiguration.SecurityGroups'),
        vpc,
      ),
      ...roleOf(service.taskDefinition?.taskRole, roles),
      publicIp: service.awsvpc.assignPublicIp,
      eniId: syntheticId('eni', `${service.logicalId}/task`),
      unresolved,
    });
  }
  return workloads;
}
