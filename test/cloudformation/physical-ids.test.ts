/** Physical ids, names, ARNs and attributes in AWS's shapes; stable across loads. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eniId } from '../../src/cloudformation/load.ts';
import type { Template } from '../../src/cloudformation/types.ts';
import { load } from './load-helpers.ts';

const TEMPLATE = `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}
  SubnetA: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.0.0/24, AvailabilityZone: us-east-1a}}
  SubnetB: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: us-east-1b, MapPublicIpOnLaunch: true}}
  RouteTable: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  Igw: {Type: AWS::EC2::InternetGateway}
  Eip: {Type: AWS::EC2::EIP}
  Nat: {Type: AWS::EC2::NatGateway, Properties: {SubnetId: !Ref SubnetB, AllocationId: !GetAtt Eip.AllocationId}}
  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: d, VpcId: !Ref Vpc}}
  ClassicSg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: d}}
  Acl: {Type: AWS::EC2::NetworkAcl, Properties: {VpcId: !Ref Vpc}}
  PrefixList: {Type: AWS::EC2::ManagedPrefixList, Properties: {AddressFamily: IPv4, MaxEntries: 5, PrefixListName: pl}}
  GatewayEndpoint: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: !Ref Vpc, ServiceName: com.amazonaws.us-east-1.s3, RouteTableIds: [!Ref RouteTable]}}
  SecretsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: {VpcEndpointType: Interface, VpcId: !Ref Vpc, ServiceName: com.amazonaws.us-east-1.secretsmanager, SubnetIds: [!Ref SubnetA, !Ref SubnetB], PrivateDnsEnabled: true}
  S3InterfaceEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: {VpcEndpointType: Interface, VpcId: !Ref Vpc, ServiceName: com.amazonaws.us-east-1.s3, SubnetIds: [!Ref SubnetA, subnet-0123456789abcdef0]}
  PublicInstance: {Type: AWS::EC2::Instance, Properties: {SubnetId: !Ref SubnetB, ImageId: ami-1}}
  PrivateInstance: {Type: AWS::EC2::Instance, Properties: {SubnetId: !Ref SubnetA, ImageId: ami-1}}
  Bucket: {Type: AWS::S3::Bucket}
  NamedBucket: {Type: AWS::S3::Bucket, Properties: {BucketName: my-explicit-bucket}}
  Table: {Type: AWS::DynamoDB::Table, Properties: {KeySchema: []}}
  NamedTable: {Type: AWS::DynamoDB::Table, Properties: {TableName: Orders}}
  Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}
  PathRole: {Type: AWS::IAM::Role, Properties: {RoleName: app, Path: /service/, AssumeRolePolicyDocument: {}}}
  Profile: {Type: AWS::IAM::InstanceProfile, Properties: {Roles: [!Ref Role]}}
  Managed: {Type: AWS::IAM::ManagedPolicy, Properties: {PolicyDocument: {}}}
  Secret: {Type: AWS::SecretsManager::Secret}
  NamedSecret: {Type: AWS::SecretsManager::Secret, Properties: {Name: prod/db}}
  Key: {Type: AWS::KMS::Key, Properties: {KeyPolicy: {}}}
  Fn: {Type: AWS::Lambda::Function, Properties: {Code: {}, Role: !GetAtt Role.Arn}}
  SamFn: {Type: AWS::Serverless::Function, Properties: {FunctionName: orders}}
  Api: {Type: AWS::ApiGateway::RestApi}
  ApiResource: {Type: AWS::ApiGateway::Resource, Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: x}}
  Db: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql, ManageMasterUserPassword: true}}
  Cluster: {Type: AWS::RDS::DBCluster, Properties: {Engine: aurora-postgresql}}
  Logs: {Type: AWS::Logs::LogGroup}
  EcsCluster: {Type: AWS::ECS::Cluster}
  Service: {Type: AWS::ECS::Service, Properties: {Cluster: !Ref EcsCluster, ServiceName: web}}
  Alb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {Scheme: internal, Subnets: [!Ref SubnetA]}}
  Topic: {Type: AWS::SNS::Topic}
  Queue: {Type: AWS::SQS::Queue}
  Custom: {Type: Custom::Thing, Properties: {ServiceToken: !GetAtt Fn.Arn}}
`;

const STACK = 'SecureCart';
const template = load(TEMPLATE, 'ids.yaml', { stackName: STACK });
const r = template.resources;

const HEX17 = '0[0-9a-f]{16}';
const shapes: ReadonlyArray<readonly [string, RegExp]> = [
  ['Vpc', new RegExp(`^vpc-${HEX17}$`)],
  ['SubnetA', new RegExp(`^subnet-${HEX17}$`)],
  ['RouteTable', new RegExp(`^rtb-${HEX17}$`)],
  ['Igw', new RegExp(`^igw-${HEX17}$`)],
  ['Nat', new RegExp(`^nat-${HEX17}$`)],
  ['GatewayEndpoint', new RegExp(`^vpce-${HEX17}$`)],
  ['Sg', new RegExp(`^sg-${HEX17}$`)],
  ['Acl', new RegExp(`^acl-${HEX17}$`)],
  ['PrefixList', new RegExp(`^pl-${HEX17}$`)],
  ['PublicInstance', new RegExp(`^i-${HEX17}$`)],
  ['Eip', /^3\.\d{1,3}\.\d{1,3}\.\d{1,3}$/],
  ['Bucket', /^securecart-bucket-[a-z0-9]{12}$/],
  ['NamedBucket', /^my-explicit-bucket$/],
  ['Table', /^SecureCart-Table-[A-Z0-9]{13}$/],
  ['NamedTable', /^Orders$/],
  ['Role', /^SecureCart-Role-[A-Z0-9]{13}$/],
  ['Fn', /^SecureCart-Fn-[A-Z0-9]{13}$/],
  ['SamFn', /^orders$/],
  ['Logs', /^SecureCart-Logs-[A-Z0-9]{13}$/],
  ['Key', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/],
  ['Api', /^[a-z0-9]{10}$/],
  ['ApiResource', /^[a-z0-9]{6}$/],
  ['Db', /^securecart-db-[a-z0-9]{12}$/],
  // Ref returns an ARN for these types.
  ['Managed', /^arn:aws:iam::123456789012:policy\/SecureCart-Managed-[A-Z0-9]{13}$/],
  ['Secret', /^arn:aws:secretsmanager:us-east-1:123456789012:secret:Secret-[A-Za-z0-9]{12}-[A-Za-z0-9]{6}$/],
  ['NamedSecret', /^arn:aws:secretsmanager:us-east-1:123456789012:secret:prod\/db-[A-Za-z0-9]{6}$/],
  ['Topic', /^arn:aws:sns:us-east-1:123456789012:SecureCart-Topic-[A-Z0-9]{13}$/],
  ['Service', /^arn:aws:ecs:us-east-1:123456789012:service\/SecureCart-EcsCluster-[A-Z0-9]{13}\/web$/],
  [
    'Alb',
    /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/,
  ],
  ['Queue', /^https:\/\/sqs\.us-east-1\.amazonaws\.com\/123456789012\/SecureCart-Queue-[A-Z0-9]{13}$/],
  // A security group outside a VPC is referred to by name.
  ['ClassicSg', /^SecureCart-ClassicSg-[A-Z0-9]{13}$/],
];

for (const [logicalId, shape] of shapes) {
  test(`${logicalId} (${r[logicalId].type}) has AWS's id shape`, () => {
    assert.match(r[logicalId].physicalId, shape);
  });
}

const attributes: ReadonlyArray<readonly [string, string, (t: Template) => unknown]> = [
  ['Vpc', 'CidrBlock', () => '10.1.0.0/16'],
  ['Vpc', 'VpcId', (t) => t.resources.Vpc.physicalId],
  ['SubnetB', 'AvailabilityZone', () => 'us-east-1b'],
  ['SubnetB', 'VpcId', (t) => t.resources.Vpc.physicalId],
  ['Sg', 'GroupId', (t) => t.resources.Sg.physicalId],
  ['Sg', 'VpcId', (t) => t.resources.Vpc.physicalId],
  ['Eip', 'PublicIp', (t) => t.resources.Eip.physicalId],
  ['NamedBucket', 'Arn', () => 'arn:aws:s3:::my-explicit-bucket'],
  ['NamedBucket', 'DomainName', () => 'my-explicit-bucket.s3.amazonaws.com'],
  ['NamedBucket', 'RegionalDomainName', () => 'my-explicit-bucket.s3.us-east-1.amazonaws.com'],
  ['NamedBucket', 'WebsiteURL', () => 'http://my-explicit-bucket.s3-website-us-east-1.amazonaws.com'],
  ['NamedTable', 'Arn', () => 'arn:aws:dynamodb:us-east-1:123456789012:table/Orders'],
  ['PathRole', 'Arn', () => 'arn:aws:iam::123456789012:role/service/app'],
  ['Profile', 'Arn', (t) => `arn:aws:iam::123456789012:instance-profile/${t.resources.Profile.physicalId}`],
  ['Secret', 'Id', (t) => t.resources.Secret.physicalId],
  ['Key', 'Arn', (t) => `arn:aws:kms:us-east-1:123456789012:key/${t.resources.Key.physicalId}`],
  ['Key', 'KeyId', (t) => t.resources.Key.physicalId],
  ['SamFn', 'Arn', () => 'arn:aws:lambda:us-east-1:123456789012:function:orders'],
  ['Api', 'RestApiId', (t) => t.resources.Api.physicalId],
  ['ApiResource', 'ResourceId', (t) => t.resources.ApiResource.physicalId],
  ['Db', 'Endpoint.Port', () => '3306'],
  ['Cluster', 'Endpoint.Port', () => '5432'],
  ['Logs', 'Arn', (t) => `arn:aws:logs:us-east-1:123456789012:log-group:${t.resources.Logs.physicalId}:*`],
  ['PublicInstance', 'AvailabilityZone', () => 'us-east-1b'],
  ['Service', 'Name', () => 'web'],
  ['PrefixList', 'PrefixListId', (t) => t.resources.PrefixList.physicalId],
  ['GatewayEndpoint', 'DnsEntries', () => []],
  ['GatewayEndpoint', 'NetworkInterfaceIds', () => []],
];

for (const [logicalId, attribute, expected] of attributes) {
  test(`GetAtt ${logicalId}.${attribute}`, () => {
    assert.deepEqual(r[logicalId].attributes[attribute], expected(template));
  });
}

test('Ref inside properties becomes the referenced physical id', () => {
  assert.equal(r.SubnetA.properties.VpcId, r.Vpc.physicalId);
  assert.equal(r.Nat.properties.AllocationId, r.Eip.attributes.AllocationId);
  assert.equal(r.ApiResource.properties.ParentId, r.Api.attributes.RootResourceId);
});

test('RDS endpoints look like RDS host names', () => {
  assert.match(
    r.Db.attributes['Endpoint.Address'] as string,
    /^securecart-db-[a-z0-9]{12}\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/,
  );
  assert.match(
    r.Cluster.attributes['Endpoint.Address'] as string,
    /\.cluster-[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/,
  );
  assert.match(
    r.Cluster.attributes['ReadEndpoint.Address'] as string,
    /\.cluster-ro-[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/,
  );
  assert.match(
    r.Db.attributes['MasterUserSecret.SecretArn'] as string,
    /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/,
  );
});

test('internal ALB DNS name', () => {
  assert.match(
    r.Alb.attributes.DNSName as string,
    /^internal-[A-Za-z0-9-]+-\d{10}\.us-east-1\.elb\.amazonaws\.com$/,
  );
  assert.equal(r.Alb.attributes.LoadBalancerArn, r.Alb.physicalId);
});

test('interface endpoint: one ENI per subnet via eniId, DNS entries "<zone>:<name>"', () => {
  const enis = r.SecretsEndpoint.attributes.NetworkInterfaceIds;
  assert.deepEqual(enis, [eniId('SecretsEndpoint', 'SubnetA'), eniId('SecretsEndpoint', 'SubnetB')]);
  for (const eni of enis as string[]) assert.match(eni, new RegExp(`^eni-${HEX17}$`));
  const dns = r.SecretsEndpoint.attributes.DnsEntries as string[];
  const id = r.SecretsEndpoint.physicalId;
  assert.equal(dns.length, 4);
  assert.match(
    dns[0],
    new RegExp(`^Z7HUB22UULQXV:${id}-[a-z0-9]{8}\\.secretsmanager\\.us-east-1\\.vpce\\.amazonaws\\.com$`),
  );
  assert.match(dns[1], /-us-east-1a\.secretsmanager\.us-east-1\.vpce\.amazonaws\.com$/);
  assert.match(dns[2], /-us-east-1b\.secretsmanager\.us-east-1\.vpce\.amazonaws\.com$/);
  assert.match(dns[3], /^Z[A-Z0-9]+:secretsmanager\.us-east-1\.amazonaws\.com$/);
});

test('S3 interface endpoint: wildcard names; a subnet given as an id keys its ENI by that id', () => {
  const dns = r.S3InterfaceEndpoint.attributes.DnsEntries as string[];
  assert.match(
    dns[0],
    /^Z7HUB22UULQXV:\*\.vpce-0[0-9a-f]{16}-[a-z0-9]{8}\.s3\.us-east-1\.vpce\.amazonaws\.com$/,
  );
  assert.equal(dns.length, 2, 'regional + the one AZ known (the id-only subnet has no known AZ)');
  assert.deepEqual(r.S3InterfaceEndpoint.attributes.NetworkInterfaceIds, [
    eniId('S3InterfaceEndpoint', 'SubnetA'),
    eniId('S3InterfaceEndpoint', 'subnet-0123456789abcdef0'),
  ]);
});

test('instance public IP only in a public-IP subnet; private IP left to the model', () => {
  assert.match(r.PublicInstance.attributes.PublicIp as string, /^3\./);
  assert.match(
    r.PublicInstance.attributes.PublicDnsName as string,
    /^ec2-3-\d+-\d+-\d+\.compute-1\.amazonaws\.com$/,
  );
  assert.equal((r.PrivateInstance.attributes.PublicIp as { __unresolved?: boolean }).__unresolved, true);
  assert.equal((r.PrivateInstance.attributes.PrivateIp as { __unresolved?: boolean }).__unresolved, true);
});

test('byPhysicalId maps ids and ARNs back to logical ids', () => {
  assert.equal(template.byPhysicalId.get(r.Vpc.physicalId), 'Vpc');
  assert.equal(template.byPhysicalId.get(r.Role.attributes.Arn as string), 'Role');
  assert.equal(template.byPhysicalId.get('arn:aws:s3:::my-explicit-bucket'), 'NamedBucket');
  assert.equal(template.byPhysicalId.get(r.Secret.physicalId), 'Secret');
  assert.equal(template.byPhysicalId.get(r.Db.attributes.DBInstanceArn as string), 'Db');
  assert.equal(template.byPhysicalId.get(r.Db.attributes['MasterUserSecret.SecretArn'] as string), undefined);
});

test('loading twice gives the same ids; another stack name gives other ids', () => {
  const again = load(TEMPLATE, 'ids.yaml', { stackName: STACK });
  const other = load(TEMPLATE, 'ids.yaml', { stackName: 'Staging' });
  for (const logicalId of Object.keys(r)) {
    assert.deepEqual(again.resources[logicalId].physicalId, r[logicalId].physicalId);
    assert.deepEqual(again.resources[logicalId].attributes, r[logicalId].attributes);
  }
  for (const logicalId of ['Vpc', 'SubnetA', 'Bucket', 'Role', 'SecretsEndpoint']) {
    assert.notEqual(other.resources[logicalId].physicalId, r[logicalId].physicalId, logicalId);
  }
  assert.equal(
    other.resources.NamedBucket.physicalId,
    'my-explicit-bucket',
    'explicit names do not depend on the stack',
  );
});

test('generated names respect the service limits, keeping the random suffix', () => {
  const longStack = 'a-very-long-stack-name-for-an-enterprise-application-in-production';
  const t = load(
    `Resources:\n  ThisIsAVeryLongLogicalIdForTheOrdersServiceBucket: {Type: AWS::S3::Bucket}\n  ThisIsAVeryLongLogicalIdForTheOrdersServiceRole: {Type: AWS::IAM::Role}\n`,
    'long.yaml',
    { stackName: longStack },
  );
  const bucketName = t.resources.ThisIsAVeryLongLogicalIdForTheOrdersServiceBucket.physicalId;
  const roleName = t.resources.ThisIsAVeryLongLogicalIdForTheOrdersServiceRole.physicalId;
  assert.ok(bucketName.length <= 63, bucketName);
  assert.equal(bucketName, bucketName.toLowerCase());
  assert.match(bucketName, /^a-very-long-stack-name-[a-z-]*-[a-z0-9]{12}$/);
  assert.ok(roleName.length <= 64, roleName);
  assert.match(roleName, /^a-very-long-stack-name[A-Za-z-]*-ThisIsAVery[A-Za-z]*-[A-Z0-9]{13}$/);
});

// The twin creates resources under these stand-ins, so they must obey the same naming rules.
const UNRESOLVED_NAME_STAND_INS: Array<[string, string, RegExp]> = [
  ['S3 bucket', 'AWS::S3::Bucket, Properties: {BucketName: !Ref Name}', /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/],
  [
    'RDS instance',
    'AWS::RDS::DBInstance, Properties: {DBInstanceIdentifier: !Ref Name}',
    /^[a-z][a-z0-9-]{0,62}$/,
  ],
  [
    'RDS cluster',
    'AWS::RDS::DBCluster, Properties: {DBClusterIdentifier: !Ref Name}',
    /^[a-z][a-z0-9-]{0,62}$/,
  ],
  ['IAM role', 'AWS::IAM::Role, Properties: {RoleName: !Ref Name}', /^[\w+=,.@-]{1,64}$/],
];

for (const [what, resource, valid] of UNRESOLVED_NAME_STAND_INS) {
  test(`${what} named by a parameter with no value: the stand-in physical id is a valid name`, () => {
    const t = load(
      `Parameters:\n  Name: {Type: String}\nResources:\n  ThePrivateWebsiteResource: {Type: ${resource}}\n`,
      'unresolved-name.yaml',
    );
    assert.match(t.resources.ThePrivateWebsiteResource.physicalId, valid);
  });
}

test('every resource records the line of its logical id', () => {
  const lines = TEMPLATE.split('\n');
  for (const [logicalId, resource] of Object.entries(r)) {
    assert.ok(resource.line !== undefined, `${logicalId} has a line`);
    assert.ok(
      lines[resource.line - 1].trimStart().startsWith(`${logicalId}:`),
      `${logicalId} at line ${resource.line}`,
    );
  }
});

test('unsupported types are listed, not fatal', () => {
  assert.ok(template.unsupportedTypes.includes('Custom::Thing'), template.unsupportedTypes.join());
  assert.ok(!template.unsupportedTypes.includes('AWS::EC2::VPC'), 'VPC is modelled');
  assert.equal(r.Custom.properties.ServiceToken, r.Fn.attributes.Arn);
});
