/**
 * Identity rules (what Ref and Fn::GetAtt return): Lambda, API Gateway, RDS, CloudWatch Logs, ECS, load balancers,
 * SNS and SQS.
 */
import type { Unresolved } from './types.ts';
import type { IdentityContext, IdentityRule } from './identity-helpers.ts';
import {
  id,
  nameOf,
  named,
  arn,
  text,
  lower,
  upper,
  mixed,
  hex,
  pending,
  lastSegment,
} from './identity-helpers.ts';
import { digest, generatedName, uuidFor } from './physical-ids.ts';
import { isUnresolved } from './unresolved.ts';

export const lambdaFunction: IdentityRule = (c) =>
  named(c, nameOf(c, 'FunctionName', 64), (name) => ({ Arn: arn(c, 'lambda', `function:${name}`) }));

export const restApi: IdentityRule = (c) => {
  const apiId = lower(c, 'rest-api', 10);
  return id(apiId, { RestApiId: apiId, RootResourceId: lower(c, 'root-resource', 10) });
};

export const apiResource: IdentityRule = (c) => {
  const resourceId = lower(c, 'api-resource', 6);
  return id(resourceId, { ResourceId: resourceId });
};

export const apiDeployment: IdentityRule = (c) => {
  const deploymentId = lower(c, 'deployment', 6);
  return id(deploymentId, { DeploymentId: deploymentId });
};

export const apiStage: IdentityRule = (c) => named(c, nameOf(c, 'StageName', 128), () => ({}));

/** An API key's id: 10 lower-case alphanumerics, like `ru3mpjgse6`. */
export const apiKey: IdentityRule = (c) => {
  const keyId = lower(c, 'api-key', 10);
  return id(keyId, { APIKeyId: keyId });
};

/** A usage plan's id: 6 lower-case alphanumerics, like `c7y23b`. */
export const usagePlan: IdentityRule = (c) => {
  const planId = lower(c, 'usage-plan', 6);
  return id(planId, { Id: planId });
};

export const vpcLink: IdentityRule = (c) => {
  const linkId = lower(c, 'vpc-link', 6);
  return id(linkId, { VpcLinkId: linkId });
};

export const httpApi: IdentityRule = (c) => {
  const apiId = lower(c, 'http-api', 10);
  return id(apiId, { ApiId: apiId, ApiEndpoint: `https://${apiId}.execute-api.${c.region}.${c.urlSuffix}` });
};

const DEFAULT_PORT: Readonly<Record<string, string>> = {
  postgres: '5432',
  'aurora-postgresql': '5432',
  mysql: '3306',
  mariadb: '3306',
  aurora: '3306',
  'aurora-mysql': '3306',
  oracle: '1521',
  sqlserver: '1433',
};

function portOf(c: IdentityContext): string | Unresolved {
  const port = text(c.properties.Port);
  if (port !== undefined) return port;
  const engine = text(c.properties.Engine)?.toLowerCase() ?? '';
  const family = Object.keys(DEFAULT_PORT).find((key) => engine === key || engine.startsWith(`${key}-`));
  return family
    ? DEFAULT_PORT[family]
    : pending(c, 'Endpoint.Port', `no default port known for engine "${engine}"`);
}

function masterUserSecret(c: IdentityContext, kind: 'db' | 'cluster'): Record<string, unknown> {
  if (String(c.properties.ManageMasterUserPassword) !== 'true') return {};
  const secretArn = arn(
    c,
    'secretsmanager',
    `secret:rds!${kind}-${uuidFor(c.stackName, c.logicalId, 'rds-secret')}-${mixed(c, 'rds-secret', 6)}`,
  );
  return { 'MasterUserSecret.SecretArn': secretArn };
}

const RDS_IDENTIFIER = { maxLength: 63, lowercase: true } as const;

/** RDS stores identifiers in lowercase, explicit ones included. */
function rdsIdentifier(c: IdentityContext, property: string): string | Unresolved {
  const name = nameOf(c, property, RDS_IDENTIFIER.maxLength, RDS_IDENTIFIER.lowercase);
  return isUnresolved(name) ? name : name.toLowerCase();
}

export const dbInstance: IdentityRule = (c) =>
  named(
    c,
    rdsIdentifier(c, 'DBInstanceIdentifier'),
    (name) => ({
      DBInstanceIdentifier: name,
      'Endpoint.Address': `${name}.${lower(c, 'rds-host', 12)}.${c.region}.rds.${c.urlSuffix}`,
      'Endpoint.Port': portOf(c),
      DBInstanceArn: arn(c, 'rds', `db:${name}`),
      DbiResourceId: `db-${upper(c, 'dbi', 26)}`,
      ...masterUserSecret(c, 'db'),
    }),
    RDS_IDENTIFIER,
  );

export const dbCluster: IdentityRule = (c) =>
  named(
    c,
    rdsIdentifier(c, 'DBClusterIdentifier'),
    (name) => {
      const host = lower(c, 'rds-host', 12);
      return {
        DBClusterIdentifier: name,
        'Endpoint.Address': `${name}.cluster-${host}.${c.region}.rds.${c.urlSuffix}`,
        'Endpoint.Port': portOf(c),
        'ReadEndpoint.Address': `${name}.cluster-ro-${host}.${c.region}.rds.${c.urlSuffix}`,
        DBClusterArn: arn(c, 'rds', `cluster:${name}`),
        DBClusterResourceId: `cluster-${upper(c, 'cluster-resource', 26)}`,
        ...masterUserSecret(c, 'cluster'),
      };
    },
    RDS_IDENTIFIER,
  );

export const logGroup: IdentityRule = (c) =>
  named(c, nameOf(c, 'LogGroupName', 512), (name) => ({ Arn: arn(c, 'logs', `log-group:${name}:*`) }));

export const ecsCluster: IdentityRule = (c) =>
  named(c, nameOf(c, 'ClusterName', 255), (name) => ({ Arn: arn(c, 'ecs', `cluster/${name}`) }));

export const ecsService: IdentityRule = (c) => {
  const name = nameOf(c, 'ServiceName', 255);
  const cluster = c.properties.Cluster;
  if (isUnresolved(name) || isUnresolved(cluster)) {
    return named(c, isUnresolved(name) ? name : (cluster as Unresolved), () => ({
      Name: '',
      ServiceArn: '',
    }));
  }
  const clusterName = cluster === undefined ? 'default' : lastSegment(String(cluster));
  const serviceArn = arn(c, 'ecs', `service/${clusterName}/${name}`);
  return id(serviceArn, { Name: name, ServiceArn: serviceArn });
};

export const taskDefinition: IdentityRule = (c) => {
  const family = text(c.properties.Family) ?? generatedName(c.stackName, c.logicalId, { maxLength: 255 });
  const taskArn = arn(c, 'ecs', `task-definition/${family}:1`);
  return id(taskArn, { TaskDefinitionArn: taskArn });
};

const LB_KIND: Readonly<Record<string, string>> = { application: 'app', network: 'net', gateway: 'gwy' };
/** Canonical hosted zones of ALB/NLB DNS names in us-east-1 (see docs for the source). */
const LB_HOSTED_ZONE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'us-east-1': { app: 'Z35SXDOTRQ7X7K', net: 'Z26RNL4JYFTOTI' },
};

export const loadBalancer: IdentityRule = (c) =>
  named(c, nameOf(c, 'Name', 32), (name) => {
    const kind = LB_KIND[text(c.properties.Type) ?? 'application'] ?? 'app';
    const fullName = `${kind}/${name}/${hex(c, 'elb', 16)}`;
    const internal = text(c.properties.Scheme) === 'internal' ? 'internal-' : '';
    const dnsName =
      kind === 'app'
        ? `${internal}${name}-${digest(c.stackName, c.logicalId, 'elb-dns').replace(/\D/g, '').slice(0, 10).padEnd(10, '0')}.${c.region}.elb.${c.urlSuffix}`
        : `${name}-${hex(c, 'elb-dns', 16)}.elb.${c.region}.${c.urlSuffix}`;
    const zone = LB_HOSTED_ZONE[c.region]?.[kind];
    return {
      LoadBalancerArn: arn(c, 'elasticloadbalancing', `loadbalancer/${fullName}`),
      LoadBalancerFullName: fullName,
      LoadBalancerName: name,
      DNSName: dnsName,
      CanonicalHostedZoneID:
        zone ?? pending(c, 'CanonicalHostedZoneID', `not in the loader's table for ${c.region}`),
      SecurityGroups: c.properties.SecurityGroups ?? [],
    };
  });

/** Ref of a load balancer is its ARN. */
export function refIsArn(rule: IdentityRule, arnAttribute: string): IdentityRule {
  return (c) => {
    const base = rule(c);
    const value = base.attributes[arnAttribute];
    if (typeof value !== 'string') return base;
    return { ref: value, physicalId: value, attributes: base.attributes };
  };
}

export const targetGroup: IdentityRule = (c) =>
  named(c, nameOf(c, 'Name', 32), (name) => {
    const fullName = `targetgroup/${name}/${hex(c, 'tg', 16)}`;
    return {
      TargetGroupArn: arn(c, 'elasticloadbalancing', fullName),
      TargetGroupFullName: fullName,
      TargetGroupName: name,
    };
  });

export const listener: IdentityRule = (c) => {
  const lbArn = text(c.properties.LoadBalancerArn);
  const lbPart = lbArn?.split(':loadbalancer/')[1] ?? `app/unknown/${hex(c, 'lb', 16)}`;
  const listenerArn = arn(c, 'elasticloadbalancing', `listener/${lbPart}/${hex(c, 'listener', 16)}`);
  return id(listenerArn, { ListenerArn: listenerArn });
};

export const topic: IdentityRule = (c) => {
  const name = nameOf(c, 'TopicName', 256);
  if (isUnresolved(name)) return named(c, name, () => ({ TopicArn: '', TopicName: '' }));
  const topicArn = arn(c, 'sns', name);
  return id(topicArn, { TopicArn: topicArn, TopicName: name });
};

export const queue: IdentityRule = (c) => {
  const fifo = String(c.properties.FifoQueue) === 'true';
  const given = nameOf(c, 'QueueName', fifo ? 75 : 80);
  if (isUnresolved(given)) return named(c, given, () => ({ Arn: '', QueueName: '', QueueUrl: '' }));
  const name = fifo && !given.endsWith('.fifo') ? `${given}.fifo` : given;
  const url = `https://sqs.${c.region}.${c.urlSuffix}/${c.accountId}/${name}`;
  return id(url, { Arn: arn(c, 'sqs', name), QueueName: name, QueueUrl: url });
};
