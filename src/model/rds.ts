/**
 * RDS DB instances and clusters: where they sit (subnet group), who may connect (VPC security
 * groups) and on which port.
 */
import type { BuildContext } from './context.ts';
import { type Ref, logicalIdOf, num, str } from './refs.ts';

export interface Database {
  readonly logicalId: string;
  readonly kind: 'instance' | 'cluster';
  readonly engine?: string;
  readonly port: number;
  readonly subnets: Ref[];
  readonly securityGroups: Ref[];
  /** Endpoint.Address from the loader (a DNS name), when known. */
  readonly address?: string;
  /** Assigned by the model inside its first subnet. */
  privateIp?: string;
  subnet?: string;
}

const DEFAULT_PORTS: ReadonlyArray<[RegExp, number]> = [
  [/postgres/, 5432],
  [/mysql|mariadb|aurora$/, 3306],
  [/sqlserver/, 1433],
  [/oracle/, 1521],
  [/db2/, 50000],
];

export function defaultPort(engine: string | undefined): number {
  return DEFAULT_PORTS.find(([pattern]) => pattern.test(engine ?? ''))?.[1] ?? 5432;
}

export function buildDatabases(ctx: BuildContext): Map<string, Database> {
  const groups = new Map<string, Ref[]>();
  for (const resource of ctx.ofType('AWS::RDS::DBSubnetGroup')) {
    groups.set(resource.logicalId, ctx.index('subnet').refs(resource.properties.SubnetIds, 'SubnetIds'));
  }
  const subnetsOf = (value: unknown, logicalId: string): Ref[] => {
    if (value === undefined) {
      ctx.issue(logicalId, 'no DBSubnetGroupName: the database is in the default VPC, outside the template');
      return [];
    }
    const group = logicalIdOf(ctx.index('dbSubnetGroup').ref(value, 'DBSubnetGroupName'));
    return group
      ? (groups.get(group) ?? [])
      : [{ kind: 'unresolved', reason: 'DB subnet group outside the template' }];
  };

  const databases = new Map<string, Database>();
  for (const resource of ctx.ofType('AWS::RDS::DBCluster')) {
    const props = resource.properties;
    databases.set(resource.logicalId, {
      logicalId: resource.logicalId,
      kind: 'cluster',
      engine: str(props.Engine),
      port: num(props.Port) ?? num(resource.attributes['Endpoint.Port']) ?? defaultPort(str(props.Engine)),
      subnets: subnetsOf(props.DBSubnetGroupName, resource.logicalId),
      securityGroups: ctx.index('securityGroup').refs(props.VpcSecurityGroupIds, 'VpcSecurityGroupIds'),
      address: str(resource.attributes['Endpoint.Address']),
    });
  }
  for (const resource of ctx.ofType('AWS::RDS::DBInstance')) {
    const props = resource.properties;
    const cluster = databases.get(
      logicalIdOf(ctx.index('dbCluster').ref(props.DBClusterIdentifier, 'DBClusterIdentifier')) ?? '',
    );
    const engine = str(props.Engine) ?? cluster?.engine;
    databases.set(resource.logicalId, {
      logicalId: resource.logicalId,
      kind: 'instance',
      engine,
      port:
        num(props.Port) ?? num(resource.attributes['Endpoint.Port']) ?? cluster?.port ?? defaultPort(engine),
      subnets:
        cluster && props.DBSubnetGroupName === undefined
          ? cluster.subnets
          : subnetsOf(props.DBSubnetGroupName, resource.logicalId),
      securityGroups: cluster
        ? cluster.securityGroups
        : ctx.index('securityGroup').refs(props.VPCSecurityGroups, 'VPCSecurityGroups'),
      address: str(resource.attributes['Endpoint.Address']),
    });
  }
  return databases;
}
