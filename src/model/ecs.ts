/**
 * ECS services with awsvpc networking (each task gets its own ENI in the chosen subnets) and the
 * task role from their task definition.
 */
import type { BuildContext } from './context.ts';
import { type Ref, logicalIdOf, obj, str } from './refs.ts';

export interface TaskDefinition {
  readonly logicalId: string;
  readonly taskRole?: Ref;
  readonly executionRole?: Ref;
  readonly networkMode?: string;
}

export interface EcsService {
  readonly logicalId: string;
  readonly taskDefinition?: TaskDefinition;
  /** Undefined unless NetworkConfiguration.AwsvpcConfiguration is given. */
  readonly awsvpc?: {
    readonly subnets: Ref[];
    readonly securityGroups: Ref[];
    readonly assignPublicIp: boolean;
  };
  readonly launchType?: string;
}

export function buildEcsServices(ctx: BuildContext): Map<string, EcsService> {
  const taskDefinitions = new Map<string, TaskDefinition>();
  for (const resource of ctx.ofType('AWS::ECS::TaskDefinition')) {
    const props = resource.properties;
    taskDefinitions.set(resource.logicalId, {
      logicalId: resource.logicalId,
      taskRole:
        props.TaskRoleArn === undefined ? undefined : ctx.index('role').ref(props.TaskRoleArn, 'TaskRoleArn'),
      executionRole:
        props.ExecutionRoleArn === undefined
          ? undefined
          : ctx.index('role').ref(props.ExecutionRoleArn, 'ExecutionRoleArn'),
      networkMode: str(props.NetworkMode),
    });
  }
  const services = new Map<string, EcsService>();
  for (const resource of ctx.ofType('AWS::ECS::Service')) {
    const props = resource.properties;
    const config = obj(obj(props.NetworkConfiguration)?.AwsvpcConfiguration);
    const taskDefinition = taskDefinitions.get(
      logicalIdOf(ctx.index('taskDefinition').ref(props.TaskDefinition, 'TaskDefinition')) ?? '',
    );
    services.set(resource.logicalId, {
      logicalId: resource.logicalId,
      taskDefinition,
      awsvpc: config
        ? {
            subnets: ctx.index('subnet').refs(config.Subnets, 'AwsvpcConfiguration.Subnets'),
            securityGroups: ctx
              .index('securityGroup')
              .refs(config.SecurityGroups, 'AwsvpcConfiguration.SecurityGroups'),
            assignPublicIp: str(config.AssignPublicIp) === 'ENABLED',
          }
        : undefined,
      launchType: str(props.LaunchType),
    });
  }
  return services;
}
