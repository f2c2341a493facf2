/** Issue 2, items 1 (network), 2 (gateway endpoints), 3 (interface endpoints), 8 (flow logs). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Match } from 'aws-cdk-lib/assertions';
import { FLOW_LOG_FIELDS } from '../../src/network/flow-logs.ts';
import {
  allStatements,
  arnOf,
  groupIdOf,
  list,
  ref,
  synthesizeStack,
  type Statement,
} from './synth-stack.ts';

const synth = synthesizeStack();
const { stack, template, resources, id, ofType } = synth;
const roleArn = (service: 'product' | 'order' | 'payment' | 'database') =>
  arnOf(id(stack.services[service].role));

describe('1. network: 2 AZs, isolated subnets only', () => {
  test('one VPC with DNS support and DNS hostnames on', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.hasResourceProperties('AWS::EC2::VPC', { EnableDnsSupport: true, EnableDnsHostnames: true });
  });

  test('two subnets, in two different AZs, none mapping public IPs', () => {
    const subnets = ofType('AWS::EC2::Subnet');
    assert.equal(subnets.length, 2);
    const azs = subnets.map(([, subnet]) => JSON.stringify(subnet.Properties?.AvailabilityZone));
    assert.equal(new Set(azs).size, 2);
    for (const [logicalId, subnet] of subnets) {
      assert.equal(subnet.Properties?.MapPublicIpOnLaunch, false, `${logicalId} maps public IPs`);
      assert.match(logicalId, /isolated/i);
    }
  });

  for (const type of [
    'AWS::EC2::InternetGateway',
    'AWS::EC2::VPCGatewayAttachment',
    'AWS::EC2::NatGateway',
    'AWS::EC2::EIP',
    'AWS::EC2::EgressOnlyInternetGateway',
    'AWS::EC2::TransitGatewayAttachment',
    'AWS::EC2::VPNGateway',
  ]) {
    test(`no ${type} anywhere in the template`, () => template.resourceCountIs(type, 0));
  }

  test('no route at all besides the implicit local route and the gateway endpoints (no 0.0.0.0/0)', () => {
    template.resourceCountIs('AWS::EC2::Route', 0);
  });

  test('every subnet is associated with its own route table', () => {
    const tables = ofType('AWS::EC2::RouteTable').map(([logicalId]) => logicalId);
    assert.equal(tables.length, 2);
    const associated = ofType('AWS::EC2::SubnetRouteTableAssociation').map(
      ([, a]) => a.Properties?.RouteTableId,
    );
    assert.deepEqual(
      new Set(associated.map((x) => JSON.stringify(x))),
      new Set(tables.map((t) => JSON.stringify(ref(t)))),
    );
  });
});

function endpointOf(service: string): [string, Record<string, unknown>] {
  const matches = ofType('AWS::EC2::VPCEndpoint').filter(([, e]) =>
    JSON.stringify(e.Properties?.ServiceName).endsWith(`.${service}"]]}`),
  );
  assert.equal(matches.length, 1, `expected one ${service} endpoint`);
  return [matches[0][0], matches[0][1].Properties ?? {}];
}

function statementsOf(properties: Record<string, unknown>): Statement[] {
  return (properties.PolicyDocument as { Statement: Statement[] }).Statement;
}

describe('2. gateway endpoints for S3 and DynamoDB', () => {
  const routeTables = ofType('AWS::EC2::RouteTable').map(([logicalId]) => ref(logicalId));

  for (const service of ['s3', 'dynamodb']) {
    test(`${service}: a Gateway endpoint on every workload route table`, () => {
      const [, endpoint] = endpointOf(service);
      assert.equal(endpoint.VpcEndpointType, 'Gateway');
      assert.deepEqual(endpoint.RouteTableIds, routeTables);
    });

    test(`${service}: the endpoint policy allows only named SecureCart roles, no "*" action or resource pairs`, () => {
      const [, endpoint] = endpointOf(service);
      for (const statement of statementsOf(endpoint)) {
        assert.equal(statement.Effect, 'Allow');
        assert.notDeepEqual(statement.Principal, '*');
        assert.notDeepEqual(statement.Principal, { AWS: '*' });
        for (const action of list(statement.Action))
          assert.ok(!action.includes('*'), `wildcard action ${action}`);
      }
    });
  }

  test('s3: only the product role, only s3:GetObject, only the images bucket objects', () => {
    const [, endpoint] = endpointOf('s3');
    assert.deepEqual(statementsOf(endpoint), [
      {
        Sid: 'ProductServiceReadsImages',
        Effect: 'Allow',
        Principal: { AWS: roleArn('product') },
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [arnOf(id(stack.data.imagesBucket)), '/*']] },
      },
    ]);
  });

  test('dynamodb: exactly the actions the services use, on their tables, plus DescribeEndpoints', () => {
    const [, endpoint] = endpointOf('dynamodb');
    // Named by ARNs built from the stack-scoped table names (no GetAtt: the tables' policies name this endpoint).
    const products = stack.resolve(stack.data.productsTableArn) as unknown;
    const orders = stack.resolve(stack.data.ordersTableArn) as unknown;
    assert.match(JSON.stringify(products), /":table\/",\{"Ref":"AWS::StackName"\},"-products"\]/);
    assert.match(JSON.stringify(orders), /":table\/",\{"Ref":"AWS::StackName"\},"-orders"\]/);
    const grants = statementsOf(endpoint).map((s) => [s.Principal, list(s.Action).sort(), s.Resource]);
    assert.deepEqual(grants, [
      [{ AWS: roleArn('product') }, ['dynamodb:GetItem', 'dynamodb:Scan'], products],
      [{ AWS: roleArn('order') }, ['dynamodb:GetItem', 'dynamodb:PutItem'], orders],
      [{ AWS: roleArn('order') }, ['dynamodb:GetItem'], products],
      [{ AWS: [roleArn('product'), roleArn('order')] }, ['dynamodb:DescribeEndpoints'], '*'],
    ]);
  });
});

describe('3. interface endpoints for Secrets Manager and execute-api', () => {
  const endpointGroups = {
    secretsmanager: {
      group: stack.endpoints.secretsManagerSecurityGroup,
      callers: ['payment', 'database'] as const,
    },
    'execute-api': { group: stack.endpoints.executeApiSecurityGroup, callers: ['order'] as const },
  };

  for (const [service, { group, callers }] of Object.entries(endpointGroups)) {
    test(`${service}: Interface endpoint, private DNS on, one subnet per AZ, its own security group only`, () => {
      const [, endpoint] = endpointOf(service);
      assert.equal(endpoint.VpcEndpointType, 'Interface');
      assert.equal(endpoint.PrivateDnsEnabled, true);
      const subnets = ofType('AWS::EC2::Subnet').map(([logicalId]) => ref(logicalId));
      assert.deepEqual(endpoint.SubnetIds, subnets);
      assert.deepEqual(endpoint.SecurityGroupIds, [groupIdOf(id(group))]);
    });

    test(`${service}: its security group admits TCP 443 only from ${callers.join(' and ')}, never from a CIDR`, () => {
      const groupId = id(group);
      const inline = resources[groupId].Properties ?? {};
      assert.equal(
        inline.SecurityGroupIngress,
        undefined,
        'no inline ingress (CDK open:true would add the VPC CIDR)',
      );
      const ingress = ofType('AWS::EC2::SecurityGroupIngress')
        .map(([, rule]) => rule.Properties ?? {})
        .filter((rule) => JSON.stringify(rule.GroupId) === JSON.stringify(groupIdOf(groupId)));
      assert.deepEqual(
        ingress.map((rule) => [rule.IpProtocol, rule.FromPort, rule.ToPort, rule.SourceSecurityGroupId]),
        callers.map((caller) => ['tcp', 443, 443, groupIdOf(id(stack.services[caller].securityGroup))]),
      );
      for (const rule of ingress) {
        assert.equal(rule.CidrIp, undefined);
        assert.equal(rule.CidrIpv6, undefined);
        assert.equal(rule.SourcePrefixListId, undefined);
      }
    });
  }

  test('secretsmanager: endpoint policy names each service role and only its own secret', () => {
    const [, endpoint] = endpointOf('secretsmanager');
    assert.deepEqual(
      statementsOf(endpoint).map((s) => [s.Principal, s.Action, s.Resource]),
      [
        [
          { AWS: roleArn('payment') },
          'secretsmanager:GetSecretValue',
          ref(id(stack.secrets.paymentProviderKey)),
        ],
        [
          { AWS: roleArn('database') },
          'secretsmanager:GetSecretValue',
          ref(id(stack.secrets.databaseCredentials)),
        ],
      ],
    );
  });

  test('execute-api: endpoint policy names the order role and only the two private methods', () => {
    const [, endpoint] = endpointOf('execute-api');
    const [statement, ...rest] = statementsOf(endpoint);
    assert.deepEqual(rest, []);
    assert.deepEqual(statement.Principal, { AWS: roleArn('order') });
    assert.equal(statement.Action, 'execute-api:Invoke');
    const resourcesText = JSON.stringify(statement.Resource);
    assert.match(resourcesText, /\/prod\/POST\/payments"/);
    assert.match(resourcesText, /\/prod\/GET\/customers\/\*"/);
    assert.equal(list(statement.Resource).length, 2);
  });

  test('no security group anywhere admits ingress from a CIDR', () => {
    const inline = ofType('AWS::EC2::SecurityGroup').flatMap(([, g]) =>
      list(g.Properties?.SecurityGroupIngress),
    );
    const separate = ofType('AWS::EC2::SecurityGroupIngress').map(([, rule]) => rule.Properties);
    for (const rule of [...inline, ...separate] as Record<string, unknown>[]) {
      assert.equal(rule.CidrIp, undefined, JSON.stringify(rule));
      assert.equal(rule.CidrIpv6, undefined, JSON.stringify(rule));
    }
  });
});

describe('service security groups: explicit egress only', () => {
  const egressOf = (service: 'product' | 'order' | 'payment' | 'database') => {
    const groupId = id(stack.services[service].securityGroup);
    const inline = list(resources[groupId].Properties?.SecurityGroupEgress) as Record<string, unknown>[];
    const separate = ofType('AWS::EC2::SecurityGroupEgress')
      .map(([, rule]) => rule.Properties ?? {})
      .filter((rule) => JSON.stringify(rule.GroupId) === JSON.stringify(groupIdOf(groupId)));
    return [...inline, ...separate].map((rule) => [
      rule.IpProtocol,
      rule.FromPort,
      rule.ToPort,
      rule.CidrIp ?? rule.DestinationSecurityGroupId,
    ]);
  };
  const noTraffic = ['icmp', 252, 86, '255.255.255.255/32'];
  const endpointGroup = (name: 'secretsManagerSecurityGroup' | 'executeApiSecurityGroup') =>
    groupIdOf(id(stack.endpoints[name]));

  test('product: 443 to 0.0.0.0/0 only (gateway endpoints; no IGW/NAT exists)', () => {
    assert.deepEqual(egressOf('product'), [['tcp', 443, 443, '0.0.0.0/0']]);
  });
  test('order: 443 to 0.0.0.0/0 (DynamoDB gateway endpoint) and 443 to the execute-api endpoint', () => {
    assert.deepEqual(egressOf('order'), [
      ['tcp', 443, 443, '0.0.0.0/0'],
      ['tcp', 443, 443, endpointGroup('executeApiSecurityGroup')],
    ]);
  });
  test('payment: 443 to the Secrets Manager endpoint only (inline rule matches no traffic)', () => {
    assert.deepEqual(egressOf('payment'), [
      noTraffic,
      ['tcp', 443, 443, endpointGroup('secretsManagerSecurityGroup')],
    ]);
  });
  test('database: 443 to the Secrets Manager endpoint and 5432 to the database only', () => {
    assert.deepEqual(egressOf('database'), [
      noTraffic,
      ['tcp', 5432, 5432, groupIdOf(id(stack.data.databaseSecurityGroup))],
      ['tcp', 443, 443, endpointGroup('secretsManagerSecurityGroup')],
    ]);
  });
  test('no security group allows all outbound traffic', () => {
    for (const [logicalId, group] of ofType('AWS::EC2::SecurityGroup')) {
      for (const rule of list(group.Properties?.SecurityGroupEgress) as Record<string, unknown>[]) {
        assert.notEqual(rule.IpProtocol, '-1', `${logicalId} allows all protocols out`);
      }
    }
  });
});

describe('8. audit: VPC flow logs', () => {
  test('one flow log for the VPC, ALL traffic, to CloudWatch Logs via its own role', () => {
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceId: ref(id(stack.network.vpc)),
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: ref(id(stack.audit.flowLogGroup)),
      DeliverLogsPermissionArn: Match.anyValue(),
    });
  });

  test('custom log format with every v5 field, in order, space-separated', () => {
    const [[, flowLog]] = ofType('AWS::EC2::FlowLog');
    const format = flowLog.Properties?.LogFormat as string;
    assert.deepEqual(
      format.split(' '),
      FLOW_LOG_FIELDS.map((field) => `\${${field}}`),
    );
    for (const field of [
      'vpc-id',
      'subnet-id',
      'interface-id',
      'pkt-dst-aws-service',
      'flow-direction',
      'traffic-path',
    ]) {
      assert.ok(format.includes(`\${${field}}`), field);
    }
  });

  test('the flow log group keeps logs for one year', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    assert.equal(resources[id(stack.audit.flowLogGroup)].Properties?.RetentionInDays, 365);
  });

  test('the delivery role can write only to the flow log group', () => {
    const statements = allStatements(resources).filter(({ logicalId }) =>
      logicalId.startsWith('AuditFlowLogDeliveryRole'),
    );
    const writes = statements.filter(({ statement }) => list(statement.Action).includes('logs:PutLogEvents'));
    assert.ok(writes.length > 0);
    for (const { statement } of writes)
      assert.deepEqual(statement.Resource, arnOf(id(stack.audit.flowLogGroup)));
  });
});
