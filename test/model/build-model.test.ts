import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/model/index.ts';
import { parseServiceName } from '../../src/model/vpc-endpoint.ts';
import { UNRESOLVED, handTemplate } from './hand-template.ts';

const vpc = { type: 'AWS::EC2::VPC', physicalId: 'vpc-1', properties: { CidrBlock: '10.0.0.0/16' } };
const subnet = (cidr: string, az = 'us-east-1a') => ({
  type: 'AWS::EC2::Subnet',
  properties: { VpcId: 'vpc-1', CidrBlock: cidr, AvailabilityZone: az },
});

describe('model: VPC defaults and implicit resources', () => {
  const model = buildModel(
    handTemplate({
      Vpc: vpc,
      Extra: { type: 'AWS::EC2::VPCCidrBlock', properties: { VpcId: 'vpc-1', CidrBlock: '100.64.0.0/16' } },
      SubnetA: { ...subnet('10.0.1.0/24'), physicalId: 'subnet-a' },
      SubnetB: { ...subnet('10.0.2.0/24'), physicalId: 'subnet-b' },
      Rt: { type: 'AWS::EC2::RouteTable', physicalId: 'rtb-1', properties: { VpcId: 'vpc-1' } },
      Assoc: {
        type: 'AWS::EC2::SubnetRouteTableAssociation',
        properties: { SubnetId: 'subnet-a', RouteTableId: 'rtb-1' },
      },
      Sg: {
        type: 'AWS::EC2::SecurityGroup',
        physicalId: 'sg-1',
        properties: { VpcId: 'vpc-1', GroupDescription: 'x' },
      },
      Restricted: {
        type: 'AWS::EC2::SecurityGroup',
        physicalId: 'sg-2',
        properties: {
          VpcId: 'vpc-1',
          SecurityGroupEgress: [
            { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, DestinationSecurityGroupId: 'sg-1' },
          ],
        },
      },
      Untouched: { type: 'AWS::EC2::SecurityGroup', physicalId: 'sg-3', properties: { VpcId: 'vpc-1' } },
      StandaloneEgress: {
        type: 'AWS::EC2::SecurityGroupEgress',
        properties: {
          GroupId: 'sg-1',
          IpProtocol: 'tcp',
          FromPort: 5432,
          ToPort: 5432,
          CidrIp: '10.0.0.0/16',
        },
      },
    }),
  );

  it('DNS attributes default to support on, hostnames off', () => {
    assert.equal(model.vpcs.get('Vpc')?.enableDnsSupport, true);
    assert.equal(model.vpcs.get('Vpc')?.enableDnsHostnames, false);
  });

  it('additional CIDR blocks join the VPC and get a local route in every route table', () => {
    assert.deepEqual(model.vpcs.get('Vpc')?.cidrs, ['10.0.0.0/16', '100.64.0.0/16']);
    for (const key of ['Rt', 'Vpc/MainRouteTable']) {
      const local = model.routeTables.get(key)?.routes.filter((route) => route.target.kind === 'local');
      assert.deepEqual(
        local?.map((route) => (route.destination.kind === 'cidr' ? route.destination.cidr : '')),
        ['10.0.0.0/16', '100.64.0.0/16'],
      );
    }
  });

  it('a subnet without an explicit association uses the main route table', () => {
    assert.equal(model.subnets.get('SubnetA')?.routeTable, 'Rt');
    assert.equal(model.subnets.get('SubnetA')?.routeTableImplicit, false);
    assert.equal(model.subnets.get('SubnetB')?.routeTable, 'Vpc/MainRouteTable');
    assert.deepEqual(model.routeTables.get('Vpc/MainRouteTable')?.subnets, ['SubnetB']);
  });

  it('every subnet without an association uses the default NACL, which allows everything', () => {
    assert.equal(model.subnets.get('SubnetA')?.networkAcl, 'Vpc/DefaultNetworkAcl');
    const acl = model.networkAcls.get('Vpc/DefaultNetworkAcl');
    assert.equal(acl?.isDefault, true);
    assert.deepEqual(
      acl?.entries.map((entry) => [entry.egress, entry.action, entry.cidr]),
      [
        [false, 'allow', '0.0.0.0/0'],
        [true, 'allow', '0.0.0.0/0'],
      ],
    );
  });

  it('the default SG admits its own members and allows all egress', () => {
    const group = model.securityGroups.get('Vpc/DefaultSecurityGroup');
    assert.equal(group?.ingress[0].peer.kind, 'security-group');
    assert.deepEqual(
      group?.egress.map((rule) => rule.peer),
      [{ kind: 'cidr', cidr: '0.0.0.0/0' }],
    );
  });

  it('the allow-all egress rule exists only without SecurityGroupEgress and without standalone egress rules', () => {
    const open = model.securityGroups.get('Sg');
    assert.equal(open?.egressDefaulted, false, 'a standalone egress rule revokes the default rule');
    assert.deepEqual(
      open?.egress.map((rule) => rule.source),
      ['StandaloneEgress'],
    );
    const restricted = model.securityGroups.get('Restricted');
    assert.equal(restricted?.egressDefaulted, false);
    assert.deepEqual(
      restricted?.egress.map((rule) => rule.peer),
      [{ kind: 'security-group', group: { kind: 'resource', logicalId: 'Sg', physicalId: 'sg-1' } }],
    );
    const untouched = model.securityGroups.get('Untouched');
    assert.equal(untouched?.egressDefaulted, true);
    assert.deepEqual(
      untouched?.egress.map((rule) => rule.source),
      ['Untouched/default-egress'],
    );
  });
});

describe('model: endpoints', () => {
  const model = buildModel(
    handTemplate({
      Vpc: vpc,
      SubnetA: { ...subnet('10.0.1.0/24', 'us-east-1a'), physicalId: 'subnet-a' },
      SubnetB: { ...subnet('10.0.2.0/24', 'us-east-1b'), physicalId: 'subnet-b' },
      Rt: { type: 'AWS::EC2::RouteTable', physicalId: 'rtb-1', properties: { VpcId: 'vpc-1' } },
      S3: {
        type: 'AWS::EC2::VPCEndpoint',
        physicalId: 'vpce-s3',
        properties: { VpcId: 'vpc-1', ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: ['rtb-1'] },
      },
      Sm: {
        type: 'AWS::EC2::VPCEndpoint',
        physicalId: 'vpce-sm',
        properties: {
          VpcId: 'vpc-1',
          VpcEndpointType: 'Interface',
          ServiceName: 'com.amazonaws.us-east-1.secretsmanager',
          SubnetIds: ['subnet-a', 'subnet-b'],
          PolicyDocument: '{"Statement":[]}',
        },
      },
    }),
  );

  it('a gateway endpoint (the default type) adds a route to its prefix list', () => {
    const endpoint = model.vpcEndpoints.get('S3');
    assert.equal(endpoint?.type, 'Gateway');
    assert.equal(endpoint?.prefixListId, 'pl-63a5400a');
    const route = model.routeTables.get('Rt')?.routes.find((r) => r.logicalId === 'S3');
    assert.deepEqual(route?.destination, { kind: 'prefix-list', prefixListId: 'pl-63a5400a' });
    assert.equal(route?.target.kind, 'gateway-endpoint');
    assert.equal(endpoint?.policyDocument, undefined, 'absent policy = AWS default full access');
  });

  it('an interface endpoint: one ENI per subnet, the default SG when none, private DNS off by default, JSON-string policy parsed', () => {
    const endpoint = model.vpcEndpoints.get('Sm');
    assert.equal(endpoint?.privateDnsEnabled, false);
    assert.equal(endpoint?.securityGroupsDefaulted, true);
    assert.deepEqual(
      endpoint?.securityGroups.map((ref) => (ref.kind === 'resource' ? ref.logicalId : ref.kind)),
      ['Vpc/DefaultSecurityGroup'],
    );
    assert.deepEqual(
      endpoint?.enis.map((eni) => [eni.subnet, eni.availabilityZone, eni.privateIp]),
      [
        ['SubnetA', 'us-east-1a', '10.0.1.4'],
        ['SubnetB', 'us-east-1b', '10.0.2.4'],
      ],
    );
    assert.match(endpoint?.enis[0].id ?? '', /^eni-0[0-9a-f]{16}$/);
    assert.deepEqual(endpoint?.policyDocument, { Statement: [] });
  });

  it('parses service names', () => {
    assert.deepEqual(parseServiceName('com.amazonaws.eu-west-1.execute-api'), {
      region: 'eu-west-1',
      service: 'execute-api',
      isAws: true,
    });
    assert.deepEqual(parseServiceName('com.amazonaws.us-east-1.ecr.dkr'), {
      region: 'us-east-1',
      service: 'ecr.dkr',
      isAws: true,
    });
    assert.deepEqual(parseServiceName('com.amazonaws.vpce.us-east-1.vpce-svc-0abc'), {
      region: 'us-east-1',
      service: 'vpce-svc-0abc',
      isAws: false,
    });
    assert.equal(parseServiceName('not-a-service'), undefined);
  });
});

describe('model: workloads', () => {
  const model = buildModel(
    handTemplate({
      Vpc: vpc,
      Public: {
        ...subnet('10.0.0.0/24'),
        physicalId: 'subnet-pub',
        properties: {
          VpcId: 'vpc-1',
          CidrBlock: '10.0.0.0/24',
          MapPublicIpOnLaunch: 'true',
          AvailabilityZone: 'us-east-1a',
        },
      },
      Sg: { type: 'AWS::EC2::SecurityGroup', physicalId: 'sg-1', properties: { VpcId: 'vpc-1' } },
      Role: {
        type: 'AWS::IAM::Role',
        physicalId: 'Hand-Role-ABC',
        attributes: { Arn: 'arn:aws:iam::123456789012:role/Hand-Role-ABC' },
      },
      Profile: {
        type: 'AWS::IAM::InstanceProfile',
        physicalId: 'Hand-Profile',
        properties: { Roles: ['Hand-Role-ABC'] },
      },
      InVpc: {
        type: 'AWS::Lambda::Function',
        properties: {
          Role: 'arn:aws:iam::123456789012:role/Hand-Role-ABC',
          VpcConfig: { SubnetIds: ['subnet-pub'], SecurityGroupIds: ['sg-1'] },
        },
      },
      Outside: {
        type: 'AWS::Lambda::Function',
        properties: { Role: 'arn:aws:iam::123456789012:role/Hand-Role-ABC' },
        metadata: { 'aws:asset:path': 'asset.abc' },
      },
      Imported: {
        type: 'AWS::Lambda::Function',
        properties: { Role: UNRESOLVED, VpcConfig: { SubnetIds: UNRESOLVED, SecurityGroupIds: ['sg-1'] } },
      },
      Sam: { type: 'AWS::Serverless::Function', properties: { Policies: ['AWSLambdaBasicExecutionRole'] } },
      Server: {
        type: 'AWS::EC2::Instance',
        properties: { SubnetId: 'subnet-pub', IamInstanceProfile: 'Hand-Profile' },
      },
      Task: {
        type: 'AWS::ECS::TaskDefinition',
        physicalId: 'arn:aws:ecs:us-east-1:123456789012:task-definition/t:1',
        properties: { TaskRoleArn: 'arn:aws:iam::123456789012:role/Hand-Role-ABC' },
      },
      Service: {
        type: 'AWS::ECS::Service',
        properties: {
          TaskDefinition: 'arn:aws:ecs:us-east-1:123456789012:task-definition/t:1',
          NetworkConfiguration: {
            AwsvpcConfiguration: { Subnets: ['subnet-pub'], AssignPublicIp: 'ENABLED' },
          },
        },
      },
    }),
  );
  const byId = (id: string) => model.workloadsById.get(id);

  it('lists every kind in template order', () => {
    assert.deepEqual(
      model.workloads.map((w) => [w.logicalId, w.kind]),
      [
        ['InVpc', 'lambda'],
        ['Outside', 'lambda'],
        ['Imported', 'lambda'],
        ['Sam', 'sam-function'],
        ['Server', 'ec2'],
        ['Service', 'ecs'],
      ],
    );
  });

  it('a VPC Lambda never has a public IP, even in a MapPublicIpOnLaunch subnet; EC2 and ECS follow their settings', () => {
    assert.equal(byId('InVpc')?.publicIp, false);
    assert.equal(byId('Server')?.publicIp, true);
    assert.equal(byId('Service')?.publicIp, true);
  });

  it('resolves roles by ARN, through instance profiles and task definitions', () => {
    assert.equal(byId('InVpc')?.roleLogicalId, 'Role');
    assert.equal(byId('Server')?.roleLogicalId, 'Role');
    assert.equal(byId('Service')?.roleLogicalId, 'Role');
    assert.equal(byId('Service')?.roleArn, 'arn:aws:iam::123456789012:role/Hand-Role-ABC');
  });

  it('EC2 and ECS without security groups get the VPC default SG', () => {
    assert.deepEqual(byId('Server')?.securityGroups, ['Vpc/DefaultSecurityGroup']);
    assert.deepEqual(byId('Service')?.securityGroups, ['Vpc/DefaultSecurityGroup']);
  });

  it('deterministic private IPs inside the subnet, skipping the 4 reserved addresses', () => {
    assert.deepEqual(
      ['InVpc', 'Server', 'Service'].map((id) => byId(id)?.privateIp),
      ['10.0.0.4', '10.0.0.5', '10.0.0.6'],
    );
    assert.equal(model.addresses.holderOf('10.0.0.5')?.kind, 'workload');
  });

  it('outside-VPC and unresolved workloads are explicit, never crashes', () => {
    assert.equal(byId('Outside')?.outsideVpc, true);
    assert.equal(byId('Outside')?.privateIp, undefined);
    const imported = byId('Imported');
    assert.equal(imported?.outsideVpc, false);
    assert.deepEqual(imported?.subnets, []);
    assert.match(imported?.unresolved.join(' ') ?? '', /VpcConfig.SubnetIds.*unresolved/);
    assert.match(byId('Sam')?.unresolved.join(' ') ?? '', /SamRole/);
  });

  it('keeps Lambda code facts, including the CDK asset path', () => {
    assert.equal(model.functions.get('Outside')?.code.assetPath, 'asset.abc');
    assert.equal(model.functions.get('Outside')?.memorySize, 128);
    assert.equal(model.functions.get('Outside')?.timeout, 3);
  });
});

describe('model: APIs, databases, policies', () => {
  const model = buildModel(
    handTemplate({
      Api: {
        type: 'AWS::ApiGateway::RestApi',
        physicalId: 'abc123',
        attributes: { RootResourceId: 'root1' },
        properties: { EndpointConfiguration: { Types: ['PRIVATE'] }, Policy: { Statement: [] } },
      },
      Products: {
        type: 'AWS::ApiGateway::Resource',
        physicalId: 'res1',
        properties: { RestApiId: 'abc123', ParentId: 'root1', PathPart: 'products' },
      },
      Product: {
        type: 'AWS::ApiGateway::Resource',
        physicalId: 'res2',
        properties: { RestApiId: 'abc123', ParentId: 'res1', PathPart: '{id}' },
      },
      Fn: {
        type: 'AWS::Lambda::Function',
        attributes: { Arn: 'arn:aws:lambda:us-east-1:123456789012:function:fn' },
      },
      Get: {
        type: 'AWS::ApiGateway::Method',
        properties: {
          RestApiId: 'abc123',
          ResourceId: 'res2',
          HttpMethod: 'GET',
          AuthorizationType: 'AWS_IAM',
          Integration: {
            Type: 'AWS_PROXY',
            Uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fn/invocations',
          },
        },
      },
      Bucket: { type: 'AWS::S3::Bucket', physicalId: 'hand-bucket-xyz' },
      BucketPolicy: {
        type: 'AWS::S3::BucketPolicy',
        properties: { Bucket: 'hand-bucket-xyz', PolicyDocument: { Statement: [{ Effect: 'Deny' }] } },
      },
      Cluster: {
        type: 'AWS::RDS::DBCluster',
        physicalId: 'cluster-1',
        properties: { Engine: 'aurora-postgresql' },
      },
      Db: { type: 'AWS::RDS::DBInstance', properties: { Engine: 'mysql' } },
    }),
  );

  it('builds the resource path tree and the Lambda proxy target', () => {
    assert.equal(model.apiResources.get('Product')?.path, '/products/{id}');
    const method = model.apiMethods.get('Get');
    assert.equal(method?.path, '/products/{id}');
    assert.equal(method?.authorizationType, 'AWS_IAM');
    assert.equal(method?.targetFunction?.kind === 'resource' && method.targetFunction.logicalId, 'Fn');
    assert.deepEqual(model.restApis.get('Api')?.endpointTypes, ['PRIVATE']);
  });

  it('attaches a bucket policy to its bucket', () => {
    assert.deepEqual(model.buckets.get('Bucket')?.policy, { Statement: [{ Effect: 'Deny' }] });
    assert.equal(model.buckets.get('Bucket')?.arn, 'arn:aws:s3:::hand-bucket-xyz');
  });

  it('database ports default by engine; no subnet group = outside the template (reported)', () => {
    assert.equal(model.databases.get('Cluster')?.port, 5432);
    assert.equal(model.databases.get('Db')?.port, 3306);
    assert.ok(model.issues.some((issue) => issue.logicalId === 'Db' && /default VPC/.test(issue.message)));
  });
});
