/** Issue 2, items 6 (APIs) and 7 (services), and the least-privilege absences across every role. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allStatements,
  arnOf,
  groupIdOf,
  list,
  ref,
  synthesizeStack,
  type Resource,
  type Statement,
} from './synth-stack.ts';

const { stack, template, resources, id, ofType } = synthesizeStack();
const services = ['product', 'order', 'payment', 'database'] as const;
type ServiceName = (typeof services)[number];
const fn = (service: ServiceName) => resources[id(stack.services[service].function)].Properties ?? {};

function methods(api: 'storefront' | 'internal'): Record<string, Record<string, unknown>> {
  const apiRef = JSON.stringify(ref(id(stack.apis[api])));
  const byKey: Record<string, Record<string, unknown>> = {};
  const pathOf = (resourceId: unknown): string => {
    const logicalId = (resourceId as { Ref?: string }).Ref;
    if (!logicalId) return '';
    const resource = resources[logicalId].Properties ?? {};
    return `${pathOf(resource.ParentId)}/${String(resource.PathPart)}`;
  };
  for (const [, method] of ofType('AWS::ApiGateway::Method')) {
    const properties = method.Properties ?? {};
    if (JSON.stringify(properties.RestApiId) !== apiRef) continue;
    byKey[`${String(properties.HttpMethod)} ${pathOf(properties.ResourceId)}`] = properties;
  }
  return byKey;
}

function integrationTarget(method: Record<string, unknown>): string {
  const text = JSON.stringify((method.Integration as { Uri: unknown }).Uri);
  const target = services.find((service) => text.includes(id(stack.services[service].function)));
  assert.equal((method.Integration as { Type: string }).Type, 'AWS_PROXY');
  return target ?? 'none';
}

describe('6. APIs', () => {
  test('StorefrontApi: REGIONAL, public methods for products, images and orders, each to its service', () => {
    const api = resources[id(stack.apis.storefront)].Properties ?? {};
    assert.equal(api.Name, 'StorefrontApi');
    assert.deepEqual(api.EndpointConfiguration, { Types: ['REGIONAL'] });
    const routes = Object.fromEntries(
      Object.entries(methods('storefront')).map(([key, m]) => [key, integrationTarget(m)]),
    );
    assert.deepEqual(routes, {
      'GET /products': 'product',
      'GET /products/{id}': 'product',
      'GET /products/{id}/image': 'product',
      'POST /orders': 'order',
      'GET /orders/{id}': 'order',
    });
  });

  test('StorefrontApi: image responses are binary (image/png, image/jpeg)', () => {
    assert.deepEqual(resources[id(stack.apis.storefront)].Properties?.BinaryMediaTypes, [
      'image/png',
      'image/jpeg',
    ]);
  });

  test('InternalApi: PRIVATE, bound to the execute-api endpoint', () => {
    const api = resources[id(stack.apis.internal)].Properties ?? {};
    assert.equal(api.Name, 'InternalApi');
    assert.deepEqual(api.EndpointConfiguration, {
      Types: ['PRIVATE'],
      VpcEndpointIds: [ref(id(stack.endpoints.executeApi))],
    });
  });

  test('InternalApi: resource policy allows the order role and denies anything not via the endpoint', () => {
    const policy = (resources[id(stack.apis.internal)].Properties?.Policy as { Statement: Statement[] })
      .Statement;
    assert.deepEqual(policy, [
      {
        Sid: 'AllowOrderServiceInvoke',
        Effect: 'Allow',
        Principal: { AWS: arnOf(id(stack.services.order.role)) },
        Action: 'execute-api:Invoke',
        Resource: ['execute-api:/prod/POST/payments', 'execute-api:/prod/GET/customers/*'],
      },
      {
        Sid: 'DenyOutsideExecuteApiEndpoint',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { StringNotEquals: { 'aws:SourceVpce': ref(id(stack.endpoints.executeApi)) } },
      },
    ]);
  });

  test('InternalApi: POST /payments -> payment, GET /customers/{id} -> database, both AWS_IAM', () => {
    const all = methods('internal');
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(all).map(([key, m]) => [key, [integrationTarget(m), m.AuthorizationType]]),
      ),
      { 'POST /payments': ['payment', 'AWS_IAM'], 'GET /customers/{id}': ['database', 'AWS_IAM'] },
    );
  });

  test('both stages are named prod and write JSON access logs to a log group kept one year', () => {
    for (const api of ['storefront', 'internal'] as const) {
      const stage = resources[id(stack.apis[api].deploymentStage)].Properties ?? {};
      assert.equal(stage.StageName, 'prod');
      const destination = (stage.AccessLogSetting as { DestinationArn: { 'Fn::GetAtt': [string, string] } })
        .DestinationArn;
      assert.equal(resources[destination['Fn::GetAtt'][0]].Properties?.RetentionInDays, 365);
    }
  });

  test('the storefront stage has a WAFv2 web ACL', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':apigateway:',
            { Ref: 'AWS::Region' },
            '::/restapis/',
            ref(id(stack.apis.storefront)),
            '/stages/',
            ref(id(stack.apis.storefront.deploymentStage)),
          ],
        ],
      },
    });
  });

  test('Lambda permissions let each API invoke only its own methods (no test-invoke wildcard)', () => {
    const permissions = ofType('AWS::Lambda::Permission').map(([, p]) =>
      JSON.stringify(p.Properties?.SourceArn),
    );
    assert.equal(permissions.length, 7);
    for (const sourceArn of permissions) {
      assert.match(sourceArn, /"\/",\{"Ref":"Apis\w+DeploymentStageprod\w+"\},"\/(GET|POST)\//);
      assert.doesNotMatch(sourceArn, /test-invoke-stage/);
    }
  });
});

describe('7. services', () => {
  for (const service of services) {
    test(`${service}: Node.js 24 Lambda, ESM bundle, in both isolated subnets with its own security group`, () => {
      const properties = fn(service);
      assert.equal(properties.Runtime, 'nodejs24.x');
      assert.equal(properties.Handler, 'index.handler');
      assert.deepEqual(properties.VpcConfig, {
        SecurityGroupIds: [groupIdOf(id(stack.services[service].securityGroup))],
        SubnetIds: ofType('AWS::EC2::Subnet').map(([logicalId]) => ref(logicalId)),
      });
    });

    test(`${service}: its own role, assumable only by Lambda, with no managed policies`, () => {
      const roleId = id(stack.services[service].role);
      assert.deepEqual(fn(service).Role, arnOf(roleId));
      const role = resources[roleId].Properties ?? {};
      assert.equal(role.ManagedPolicyArns, undefined);
      assert.deepEqual((role.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement, [
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
      ]);
    });
  }

  test('four distinct roles and four distinct security groups', () => {
    assert.equal(new Set(services.map((s) => JSON.stringify(fn(s).Role))).size, 4);
    assert.equal(new Set(services.map((s) => JSON.stringify(fn(s).VpcConfig))).size, 4);
  });

  /** The service role's grants besides logging and ENI management: [sorted actions, resource]. */
  const grants = (service: ServiceName): [string[], unknown][] => {
    const roleRef = JSON.stringify([ref(id(stack.services[service].role))]);
    const policy = ofType('AWS::IAM::Policy').find(
      ([, r]) => JSON.stringify(r.Properties?.Roles) === roleRef,
    );
    assert.ok(policy, `no policy for the ${service} role`);
    const { Statement } = policy[1].Properties?.PolicyDocument as { Statement: Statement[] };
    const infrastructure = ['WriteOwnLogs', 'ManageVpcEnis', 'DiscoverDynamoDbEndpoints'];
    return Statement.filter((s) => !infrastructure.includes(s.Sid ?? '')).map((s) => [
      list(s.Action).sort(),
      s.Resource,
    ]);
  };
  const products = arnOf(id(stack.data.productsTable));
  const orders = arnOf(id(stack.data.ordersTable));

  test('product role: Scan/GetItem on products, GetObject on the images bucket objects — nothing else', () => {
    assert.deepEqual(grants('product'), [
      [['dynamodb:GetItem', 'dynamodb:Scan'], products],
      [['s3:GetObject'], { 'Fn::Join': ['', [arnOf(id(stack.data.imagesBucket)), '/*']] }],
    ]);
  });

  test('order role: GetItem/PutItem on orders, GetItem on products, Invoke on the two private methods', () => {
    const [ordersGrant, productsGrant, invoke, ...rest] = grants('order');
    assert.deepEqual(rest, []);
    assert.deepEqual(ordersGrant, [['dynamodb:GetItem', 'dynamodb:PutItem'], orders]);
    assert.deepEqual(productsGrant, [['dynamodb:GetItem'], products]);
    assert.deepEqual(invoke[0], ['execute-api:Invoke']);
    const arns = JSON.stringify(invoke[1]);
    assert.match(arns, new RegExp(`${id(stack.apis.internal)}"},"/prod/POST/payments"`));
    assert.match(arns, new RegExp(`${id(stack.apis.internal)}"},"/prod/GET/customers/\\*"`));
  });

  test('payment role: GetSecretValue on the provider key only; database role: on the DB credentials only', () => {
    assert.deepEqual(grants('payment'), [
      [['secretsmanager:GetSecretValue'], ref(id(stack.secrets.paymentProviderKey))],
    ]);
    assert.deepEqual(grants('database'), [
      [['secretsmanager:GetSecretValue'], ref(id(stack.secrets.databaseCredentials))],
    ]);
  });

  test('environment variables carry the resource names the handlers read', () => {
    const env = (service: ServiceName) =>
      (fn(service).Environment as { Variables: Record<string, unknown> }).Variables;
    assert.deepEqual(env('product'), {
      TABLE_NAME: ref(id(stack.data.productsTable)),
      BUCKET_NAME: ref(id(stack.data.imagesBucket)),
    });
    assert.deepEqual(Object.keys(env('order')).sort(), [
      'PRIVATE_API_URL',
      'PRODUCTS_TABLE_NAME',
      'TABLE_NAME',
    ]);
    assert.deepEqual(env('order').TABLE_NAME, ref(id(stack.data.ordersTable)));
    assert.match(
      JSON.stringify(env('order').PRIVATE_API_URL),
      new RegExp(`"https://",\\{"Ref":"${id(stack.apis.internal)}"\\},".execute-api."`),
    );
    assert.deepEqual(env('payment'), { SECRET_ARN: ref(id(stack.secrets.paymentProviderKey)) });
    assert.deepEqual(env('database').SECRET_ARN, ref(id(stack.secrets.databaseCredentials)));
    assert.deepEqual(env('database').DB_HOST, {
      'Fn::GetAtt': [id(stack.data.database), 'Endpoint.Address'],
    });
  });

  test('each function logs to its own log group (one year) and may write only there', () => {
    for (const service of services) {
      const logGroupId = id(stack.services[service].logGroup);
      assert.deepEqual(fn(service).LoggingConfig, { LogGroup: ref(logGroupId) });
      assert.equal(resources[logGroupId].Properties?.RetentionInDays, 365);
    }
  });
});

describe('least privilege across every role and policy in the template', () => {
  const statements = allStatements(resources);
  const identityStatements = statements.filter(({ type }) =>
    ['AWS::IAM::Policy', 'AWS::IAM::Role', 'AWS::IAM::ManagedPolicy'].includes(type),
  );
  const dataPlane = /^(s3|dynamodb|secretsmanager|kms|execute-api|sqs|sns|lambda):/;

  test('no statement anywhere has Action "*"', () => {
    for (const { logicalId, statement } of statements) {
      assert.ok(!list(statement.Action).includes('*'), `${logicalId}: Action "*"`);
    }
  });

  test('no endpoint or identity policy pairs a wildcard action with Resource "*"', () => {
    for (const { logicalId, type, statement } of statements) {
      if (type === 'AWS::KMS::Key') continue; // in a key policy, "*" means this key
      if (list(statement.Resource).includes('*') && statement.Effect === 'Allow') {
        for (const action of list(statement.Action))
          assert.ok(!action.endsWith('*'), `${logicalId}: ${action} on "*"`);
      }
    }
  });

  // DescribeEndpoints reads no data (it returns the regional endpoint address), has no resource-level
  // permissions, and through a VPC endpoint must be allowed in the identity policy as well.
  const noResourceLevel = ['dynamodb:DescribeEndpoints'];

  test('no role grants a data-plane action on Resource "*"', () => {
    assert.ok(identityStatements.length >= 5);
    for (const { logicalId, statement } of identityStatements) {
      if (statement.Effect !== 'Allow' || !list(statement.Resource).includes('*')) continue;
      const offending = list(statement.Action).filter(
        (action) => dataPlane.test(action) && !noResourceLevel.includes(action),
      );
      assert.deepEqual(offending, [], `${logicalId} grants ${offending.join(', ')} on "*"`);
    }
  });

  test('the only Resource "*" grants in roles are VPC ENI management and DynamoDB endpoint discovery', () => {
    const starActions = identityStatements
      .filter(({ statement }) => statement.Effect === 'Allow' && list(statement.Resource).includes('*'))
      .flatMap(({ statement }) => list(statement.Action));
    assert.ok(starActions.length > 0);
    for (const action of starActions) {
      assert.match(action, /^(ec2:(Create|Describe|Delete|Assign|Unassign)\w+|dynamodb:DescribeEndpoints)$/);
    }
  });

  test('DescribeEndpoints: granted in identity policies exactly to the DynamoDB callers (product, order)', () => {
    const holders = identityStatements
      .filter(({ statement }) => list(statement.Action).includes('dynamodb:DescribeEndpoints'))
      .map(({ logicalId }) => logicalId.replace(/RoleDefaultPolicy\w+$/, ''));
    assert.deepEqual(holders, ['ServicesProduct', 'ServicesOrder']);
  });

  test('no IAM users, no managed policies, no inline role policies with wildcards on data', () => {
    template.resourceCountIs('AWS::IAM::User', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
    for (const [logicalId, role] of ofType('AWS::IAM::Role') as [string, Resource][]) {
      assert.equal(role.Properties?.ManagedPolicyArns, undefined, `${logicalId} has managed policies`);
    }
  });
});
