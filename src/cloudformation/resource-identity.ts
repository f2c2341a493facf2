/**
 * What `Ref` and `Fn::GetAtt` return for each resource type, in AWS's shapes. One rule per type;
 * the sources for each return value are listed in docs/cloudformation-semantics.md.
 * Types without a rule get a CloudFormation-style generated name and no attributes, so a GetAtt on
 * them stays an explicit unresolved token.
 */
import type { ResourceInstance, Unresolved } from './types.ts';
import {
  alphabets,
  charsFrom,
  digest,
  ec2Id,
  eniId,
  generatedName,
  publicIpFor,
  uuidFor,
} from './physical-ids.ts';
import { isUnresolved, unresolved } from './unresolved.ts';

export interface IdentityContext {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly logicalId: string;
  readonly type: string;
  /** Resolved properties (may hold unresolved tokens). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** A resource resolved earlier, by the value its Ref returned (for a subnet's AZ, an LB's ARN…). */
  readonly resourceByPhysicalId: (physicalId: string) => ResourceInstance | undefined;
}

export interface Identity {
  /** What Ref returns; a token when it is built from an unresolved name. */
  readonly ref: string | Unresolved;
  readonly physicalId: string;
  readonly attributes: Record<string, unknown>;
}

type IdentityRule = (c: IdentityContext) => Identity;

/** The fixed creation time used wherever AWS reports one (deterministic output). */
export const CREATION_TIMESTAMP = '2024-01-01T00:00:00.000Z';

// ---------- small helpers ----------

function id(ref: string, attributes: Record<string, unknown> = {}): Identity {
  return { ref, physicalId: ref, attributes };
}

/** The explicit name property when given, else CloudFormation's generated name. */
function nameOf(
  c: IdentityContext,
  property: string | undefined,
  maxLength: number,
  lowercase = false,
): string | Unresolved {
  const given = property === undefined ? undefined : c.properties[property];
  if (typeof given === 'string' || typeof given === 'number') return String(given);
  if (isUnresolved(given)) return given;
  return generatedName(c.stackName, c.logicalId, { maxLength, lowercase });
}

/** An identity whose Ref is a name; ARN-like attributes built from it (tokens propagate). */
function named(
  c: IdentityContext,
  name: string | Unresolved,
  attributes: (name: string) => Record<string, unknown>,
): Identity {
  if (isUnresolved(name)) {
    const fallback = generatedName(c.stackName, c.logicalId, { maxLength: 64 });
    const derived = Object.fromEntries(
      Object.keys(attributes(fallback)).map((key) => [
        key,
        unresolved('Fn::GetAtt', [c.logicalId, key], `built from an unresolved name (${name.reason})`),
      ]),
    );
    return { ref: name, physicalId: fallback, attributes: derived };
  }
  return { ref: name, physicalId: name, attributes: attributes(name) };
}

function arn(
  c: IdentityContext,
  service: string,
  resource: string,
  region = c.region,
  account = c.accountId,
): string {
  return `arn:${c.partition}:${service}:${region}:${account}:${resource}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function lower(c: IdentityContext, purpose: string, length: number): string {
  return charsFrom(digest(c.stackName, c.logicalId, purpose), length, alphabets.LOWER_ALNUM);
}

function upper(c: IdentityContext, purpose: string, length: number): string {
  return charsFrom(digest(c.stackName, c.logicalId, purpose), length, alphabets.UPPER_ALNUM);
}

function mixed(c: IdentityContext, purpose: string, length: number): string {
  return charsFrom(digest(c.stackName, c.logicalId, purpose), length, alphabets.MIXED_ALNUM);
}

function hex(c: IdentityContext, purpose: string, length: number): string {
  return digest(c.stackName, c.logicalId, purpose).slice(0, length);
}

function pending(c: IdentityContext, attribute: string, reason: string): Unresolved {
  return unresolved('Fn::GetAtt', [c.logicalId, attribute], reason);
}

/** The value of a property, passing tokens through, or `fallback` when absent. */
function prop(c: IdentityContext, key: string, fallback: unknown): unknown {
  const value = c.properties[key];
  return value === undefined ? fallback : value;
}

/** The last path segment of a name-or-ARN value (`arn:…:cluster/prod` → `prod`). */
function lastSegment(value: string): string {
  return value.slice(value.lastIndexOf('/') + 1);
}

// ---------- EC2 / VPC ----------

const vpc: IdentityRule = (c) => {
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

const subnet: IdentityRule = (c) => {
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

function ec2Simple(prefix: string, attribute: string): IdentityRule {
  return (c) => {
    const value = ec2Id(prefix, c.stackName, c.logicalId);
    return id(value, { [attribute]: value });
  };
}

const eip: IdentityRule = (c) => {
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

const vpcEndpoint: IdentityRule = (c) => {
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

const securityGroup: IdentityRule = (c) => {
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

const managedPrefixList: IdentityRule = (c) => {
  const plId = ec2Id('pl', c.stackName, c.logicalId);
  return id(plId, {
    PrefixListId: plId,
    Arn: arn(c, 'ec2', `prefix-list/${plId}`),
    OwnerId: c.accountId,
    Version: 1,
  });
};

const instance: IdentityRule = (c) => {
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

const launchTemplate: IdentityRule = (c) => {
  const ltId = ec2Id('lt', c.stackName, c.logicalId);
  return id(ltId, { LaunchTemplateId: ltId, LatestVersionNumber: '1', DefaultVersionNumber: '1' });
};

// ---------- IAM ----------

function iamPath(c: IdentityContext): string {
  return text(c.properties.Path) ?? '/';
}

const role: IdentityRule = (c) =>
  named(c, nameOf(c, 'RoleName', 64), (name) => ({
    Arn: arn(c, 'iam', `role${iamPath(c)}${name}`, ''),
    RoleId: `AROA${upper(c, 'role-id', 17)}`,
  }));

const instanceProfile: IdentityRule = (c) =>
  named(c, nameOf(c, 'InstanceProfileName', 128), (name) => ({
    Arn: arn(c, 'iam', `instance-profile${iamPath(c)}${name}`, ''),
  }));

const managedPolicy: IdentityRule = (c) => {
  const name = nameOf(c, 'ManagedPolicyName', 128);
  if (isUnresolved(name)) return named(c, name, () => ({ PolicyArn: '', PolicyId: '' }));
  const policyArn = arn(c, 'iam', `policy${iamPath(c)}${name}`, '');
  return id(policyArn, {
    PolicyArn: policyArn,
    PolicyId: `ANPA${upper(c, 'policy-id', 17)}`,
    DefaultVersionId: 'v1',
  });
};

const user: IdentityRule = (c) =>
  named(c, nameOf(c, 'UserName', 64), (name) => ({ Arn: arn(c, 'iam', `user${iamPath(c)}${name}`, '') }));

const group: IdentityRule = (c) =>
  named(c, nameOf(c, 'GroupName', 128), (name) => ({ Arn: arn(c, 'iam', `group${iamPath(c)}${name}`, '') }));

const iamPolicy: IdentityRule = (c) => {
  const policyId = generatedName(c.stackName, c.logicalId, { maxLength: 128 });
  return id(policyId, { Id: policyId });
};

// ---------- S3, DynamoDB, Secrets Manager, KMS ----------

/** Regions whose website endpoints use `s3-website-<region>` (dash); newer ones use a dot. */
const S3_WEBSITE_DASH_REGIONS = new Set([
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'eu-west-1',
  'sa-east-1',
  'us-gov-west-1',
]);

const bucket: IdentityRule = (c) =>
  named(c, nameOf(c, 'BucketName', 63, true), (name) => ({
    Arn: `arn:${c.partition}:s3:::${name}`,
    DomainName: `${name}.s3.${c.urlSuffix}`,
    RegionalDomainName: `${name}.s3.${c.region}.${c.urlSuffix}`,
    DualStackDomainName: `${name}.s3.dualstack.${c.region}.${c.urlSuffix}`,
    WebsiteURL: `http://${name}.s3-website${S3_WEBSITE_DASH_REGIONS.has(c.region) ? '-' : '.'}${c.region}.${c.urlSuffix}`,
  }));

const table: IdentityRule = (c) =>
  named(c, nameOf(c, 'TableName', 255), (name) => {
    const tableArn = arn(c, 'dynamodb', `table/${name}`);
    const attributes: Record<string, unknown> = { Arn: tableArn };
    // StreamArn exists only when the table has a stream.
    if (c.properties.StreamSpecification !== undefined) {
      attributes.StreamArn = `${tableArn}/stream/${CREATION_TIMESTAMP.slice(0, 23)}`;
    }
    return attributes;
  });

const secret: IdentityRule = (c) => {
  const given = c.properties.Name;
  if (isUnresolved(given)) return named(c, given, () => ({ Id: '' }));
  // CloudFormation names an unnamed secret `<LogicalId>-<12 mixed-case characters>`.
  const name = text(given) ?? `${c.logicalId}-${mixed(c, 'secret-name', 12)}`;
  const secretArn = arn(c, 'secretsmanager', `secret:${name}-${mixed(c, 'secret-arn', 6)}`);
  return id(secretArn, { Id: secretArn });
};

const kmsKey: IdentityRule = (c) => {
  const keyId = uuidFor(c.stackName, c.logicalId, 'kms');
  return id(keyId, { KeyId: keyId, Arn: arn(c, 'kms', `key/${keyId}`) });
};

const kmsAlias: IdentityRule = (c) => {
  const name = nameOf(c, 'AliasName', 256);
  return named(c, name, () => ({}));
};

// ---------- Lambda, API Gateway ----------

const lambdaFunction: IdentityRule = (c) =>
  named(c, nameOf(c, 'FunctionName', 64), (name) => ({ Arn: arn(c, 'lambda', `function:${name}`) }));

const restApi: IdentityRule = (c) => {
  const apiId = lower(c, 'rest-api', 10);
  return id(apiId, { RestApiId: apiId, RootResourceId: lower(c, 'root-resource', 10) });
};

const apiResource: IdentityRule = (c) => {
  const resourceId = lower(c, 'api-resource', 6);
  return id(resourceId, { ResourceId: resourceId });
};

const apiDeployment: IdentityRule = (c) => {
  const deploymentId = lower(c, 'deployment', 6);
  return id(deploymentId, { DeploymentId: deploymentId });
};

const apiStage: IdentityRule = (c) => named(c, nameOf(c, 'StageName', 128), () => ({}));

const vpcLink: IdentityRule = (c) => {
  const linkId = lower(c, 'vpc-link', 6);
  return id(linkId, { VpcLinkId: linkId });
};

const httpApi: IdentityRule = (c) => {
  const apiId = lower(c, 'http-api', 10);
  return id(apiId, { ApiId: apiId, ApiEndpoint: `https://${apiId}.execute-api.${c.region}.${c.urlSuffix}` });
};

// ---------- RDS, Logs, ECS, ELB, messaging ----------

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

/** RDS stores identifiers in lowercase, explicit ones included. */
function rdsIdentifier(c: IdentityContext, property: string): string | Unresolved {
  const name = nameOf(c, property, 63, true);
  return isUnresolved(name) ? name : name.toLowerCase();
}

const dbInstance: IdentityRule = (c) =>
  named(c, rdsIdentifier(c, 'DBInstanceIdentifier'), (name) => ({
    DBInstanceIdentifier: name,
    'Endpoint.Address': `${name}.${lower(c, 'rds-host', 12)}.${c.region}.rds.${c.urlSuffix}`,
    'Endpoint.Port': portOf(c),
    DBInstanceArn: arn(c, 'rds', `db:${name}`),
    DbiResourceId: `db-${upper(c, 'dbi', 26)}`,
    ...masterUserSecret(c, 'db'),
  }));

const dbCluster: IdentityRule = (c) =>
  named(c, rdsIdentifier(c, 'DBClusterIdentifier'), (name) => {
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
  });

const logGroup: IdentityRule = (c) =>
  named(c, nameOf(c, 'LogGroupName', 512), (name) => ({ Arn: arn(c, 'logs', `log-group:${name}:*`) }));

const ecsCluster: IdentityRule = (c) =>
  named(c, nameOf(c, 'ClusterName', 255), (name) => ({ Arn: arn(c, 'ecs', `cluster/${name}`) }));

const ecsService: IdentityRule = (c) => {
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

const taskDefinition: IdentityRule = (c) => {
  const family = text(c.properties.Family) ?? generatedName(c.stackName, c.logicalId, { maxLength: 255 });
  const taskArn = arn(c, 'ecs', `task-definition/${family}:1`);
  return id(taskArn, { TaskDefinitionArn: taskArn });
};

const LB_KIND: Readonly<Record<string, string>> = { application: 'app', network: 'net', gateway: 'gwy' };
/** Canonical hosted zones of ALB/NLB DNS names in us-east-1 (see docs for the source). */
const LB_HOSTED_ZONE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'us-east-1': { app: 'Z35SXDOTRQ7X7K', net: 'Z26RNL4JYFTOTI' },
};

const loadBalancer: IdentityRule = (c) =>
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
function refIsArn(rule: IdentityRule, arnAttribute: string): IdentityRule {
  return (c) => {
    const base = rule(c);
    const value = base.attributes[arnAttribute];
    if (typeof value !== 'string') return base;
    return { ref: value, physicalId: value, attributes: base.attributes };
  };
}

const targetGroup: IdentityRule = (c) =>
  named(c, nameOf(c, 'Name', 32), (name) => {
    const fullName = `targetgroup/${name}/${hex(c, 'tg', 16)}`;
    return {
      TargetGroupArn: arn(c, 'elasticloadbalancing', fullName),
      TargetGroupFullName: fullName,
      TargetGroupName: name,
    };
  });

const listener: IdentityRule = (c) => {
  const lbArn = text(c.properties.LoadBalancerArn);
  const lbPart = lbArn?.split(':loadbalancer/')[1] ?? `app/unknown/${hex(c, 'lb', 16)}`;
  const listenerArn = arn(c, 'elasticloadbalancing', `listener/${lbPart}/${hex(c, 'listener', 16)}`);
  return id(listenerArn, { ListenerArn: listenerArn });
};

const topic: IdentityRule = (c) => {
  const name = nameOf(c, 'TopicName', 256);
  if (isUnresolved(name)) return named(c, name, () => ({ TopicArn: '', TopicName: '' }));
  const topicArn = arn(c, 'sns', name);
  return id(topicArn, { TopicArn: topicArn, TopicName: name });
};

const queue: IdentityRule = (c) => {
  const fifo = String(c.properties.FifoQueue) === 'true';
  const given = nameOf(c, 'QueueName', fifo ? 75 : 80);
  if (isUnresolved(given)) return named(c, given, () => ({ Arn: '', QueueName: '', QueueUrl: '' }));
  const name = fifo && !given.endsWith('.fifo') ? `${given}.fifo` : given;
  const url = `https://sqs.${c.region}.${c.urlSuffix}/${c.accountId}/${name}`;
  return id(url, { Arn: arn(c, 'sqs', name), QueueName: name, QueueUrl: url });
};

// ---------- the rest ----------

const hostedZone: IdentityRule = (c) => {
  const zoneId = `Z${upper(c, 'hosted-zone', 20)}`;
  return id(zoneId, {
    Id: zoneId,
    NameServers: pending(c, 'NameServers', 'assigned by Route 53 at creation'),
  });
};

function arnWithUuid(service: string, resource: string, ...attributeNames: string[]): IdentityRule {
  return (c) => {
    const value = arn(c, service, `${resource}/${uuidFor(c.stackName, c.logicalId, service)}`);
    return id(value, Object.fromEntries(attributeNames.map((name) => [name, value])));
  };
}

const ssmParameter: IdentityRule = (c) =>
  named(c, nameOf(c, 'Name', 2048), () => ({ Type: prop(c, 'Type', 'String'), Value: prop(c, 'Value', '') }));

const waitConditionHandle: IdentityRule = (c) =>
  id(
    `https://cloudformation-waitcondition-${c.region}.s3.${c.region}.${c.urlSuffix}/${encodeURIComponent(
      `arn:${c.partition}:cloudformation:${c.region}:${c.accountId}:stack/${c.stackName}`,
    )}/${c.logicalId}`,
  );

const distribution: IdentityRule = (c) => {
  const distributionId = `E${upper(c, 'cloudfront', 13)}`;
  return id(distributionId, {
    Id: distributionId,
    DomainName: `d${lower(c, 'cloudfront-dns', 13)}.cloudfront.net`,
  });
};

const stateMachine: IdentityRule = (c) => {
  const name = nameOf(c, 'StateMachineName', 80);
  if (isUnresolved(name)) return named(c, name, () => ({ Arn: '', Name: '' }));
  const value = arn(c, 'states', `stateMachine:${name}`);
  return id(value, { Arn: value, Name: name });
};

const eventRule: IdentityRule = (c) =>
  named(c, nameOf(c, 'Name', 64), (name) => ({ Arn: arn(c, 'events', `rule/${name}`) }));

const RULES: Readonly<Record<string, IdentityRule>> = {
  'AWS::EC2::VPC': vpc,
  'AWS::EC2::Subnet': subnet,
  'AWS::EC2::RouteTable': ec2Simple('rtb', 'RouteTableId'),
  'AWS::EC2::InternetGateway': ec2Simple('igw', 'InternetGatewayId'),
  'AWS::EC2::EgressOnlyInternetGateway': ec2Simple('eigw', 'Id'),
  'AWS::EC2::NatGateway': ec2Simple('nat', 'NatGatewayId'),
  'AWS::EC2::EIP': eip,
  'AWS::EC2::VPCEndpoint': vpcEndpoint,
  'AWS::EC2::SecurityGroup': securityGroup,
  'AWS::EC2::SecurityGroupIngress': ec2Simple('sgr', 'Id'),
  'AWS::EC2::SecurityGroupEgress': ec2Simple('sgr', 'Id'),
  'AWS::EC2::NetworkAcl': ec2Simple('acl', 'Id'),
  'AWS::EC2::SubnetNetworkAclAssociation': ec2Simple('aclassoc', 'AssociationId'),
  'AWS::EC2::SubnetRouteTableAssociation': ec2Simple('rtbassoc', 'Id'),
  'AWS::EC2::VPCCidrBlock': ec2Simple('vpc-cidr-assoc', 'Id'),
  'AWS::EC2::ManagedPrefixList': managedPrefixList,
  'AWS::EC2::NetworkInterface': ec2Simple('eni', 'Id'),
  'AWS::EC2::Instance': instance,
  'AWS::EC2::LaunchTemplate': launchTemplate,
  'AWS::EC2::FlowLog': ec2Simple('fl', 'Id'),
  'AWS::EC2::TransitGateway': ec2Simple('tgw', 'Id'),
  'AWS::EC2::TransitGatewayAttachment': ec2Simple('tgw-attach', 'Id'),
  'AWS::EC2::VPCPeeringConnection': ec2Simple('pcx', 'Id'),
  'AWS::IAM::Role': role,
  'AWS::IAM::InstanceProfile': instanceProfile,
  'AWS::IAM::ManagedPolicy': managedPolicy,
  'AWS::IAM::Policy': iamPolicy,
  'AWS::IAM::User': user,
  'AWS::IAM::Group': group,
  'AWS::S3::Bucket': bucket,
  'AWS::DynamoDB::Table': table,
  'AWS::DynamoDB::GlobalTable': table,
  'AWS::SecretsManager::Secret': secret,
  'AWS::KMS::Key': kmsKey,
  'AWS::KMS::Alias': kmsAlias,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Serverless::Function': lambdaFunction,
  'AWS::ApiGateway::RestApi': restApi,
  'AWS::Serverless::Api': restApi,
  'AWS::ApiGateway::Resource': apiResource,
  'AWS::ApiGateway::Deployment': apiDeployment,
  'AWS::ApiGateway::Stage': apiStage,
  'AWS::ApiGateway::VpcLink': vpcLink,
  'AWS::ApiGatewayV2::Api': httpApi,
  'AWS::Serverless::HttpApi': httpApi,
  'AWS::RDS::DBInstance': dbInstance,
  'AWS::RDS::DBCluster': dbCluster,
  'AWS::Logs::LogGroup': logGroup,
  'AWS::ECS::Cluster': ecsCluster,
  'AWS::ECS::Service': ecsService,
  'AWS::ECS::TaskDefinition': taskDefinition,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': refIsArn(loadBalancer, 'LoadBalancerArn'),
  'AWS::ElasticLoadBalancingV2::TargetGroup': refIsArn(targetGroup, 'TargetGroupArn'),
  'AWS::ElasticLoadBalancingV2::Listener': listener,
  'AWS::SNS::Topic': topic,
  'AWS::SQS::Queue': queue,
  'AWS::Route53::HostedZone': hostedZone,
  'AWS::CertificateManager::Certificate': arnWithUuid('acm', 'certificate'),
  'AWS::ACMPCA::CertificateAuthority': arnWithUuid('acm-pca', 'certificate-authority', 'Arn'),
  'AWS::SSM::Parameter': ssmParameter,
  'AWS::CloudFormation::WaitConditionHandle': waitConditionHandle,
  'AWS::CloudFront::Distribution': distribution,
  'AWS::StepFunctions::StateMachine': stateMachine,
  'AWS::Events::Rule': eventRule,
};

/** Types the loader knows how to name (the rest get a generic generated id). */
export const TYPES_WITH_IDENTITY: readonly string[] = Object.keys(RULES);

export function identityOf(c: IdentityContext): Identity {
  const rule = RULES[c.type];
  if (rule) return rule(c);
  return id(generatedName(c.stackName, c.logicalId, { maxLength: 255 }));
}
