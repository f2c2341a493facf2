/** Issue 2, items 4 (data) and 5 (secrets). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Match } from 'aws-cdk-lib/assertions';
import { DYNAMODB_DATA_PLANE_ACTIONS } from '../../infra/lib/data.ts';
import { dependencyOrder } from '../../src/cloudformation/dependency-order.ts';
import { collectReferences } from '../../src/cloudformation/references.ts';
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
/** `arn:<partition>:dynamodb:<region>:<account>:table/<stack name>-<suffix>`, as Fn::Join. */
const builtTableArn = (suffix: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':dynamodb:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':table/',
      { Ref: 'AWS::StackName' },
      `-${suffix}`,
    ],
  ],
});

/** What each resource needs first: the resources its properties name (Ref, GetAtt, Sub) and DependsOn. */
function dependenciesOf(all: Record<string, Resource>): Map<string, Set<string>> {
  const dependencies = new Map<string, Set<string>>();
  for (const [logicalId, resource] of Object.entries(all)) {
    const needs = new Set(list(resource.DependsOn));
    collectReferences(
      resource.Properties,
      '',
      (name) => {
        if (name in all) needs.add(name);
      },
      () => true,
    );
    dependencies.set(logicalId, needs);
  }
  return dependencies;
}

function dependsOn(dependencies: Map<string, Set<string>>, from: string, target: string): boolean {
  const seen = new Set<string>();
  const pending = [from];
  while (pending.length > 0) {
    const next = pending.pop() ?? '';
    if (next === target) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...(dependencies.get(next) ?? []));
  }
  return false;
}

const deployRoles = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/cdk-*']],
};

describe('4. data: product images bucket', () => {
  const bucketId = id(stack.data.imagesBucket);
  const bucket = resources[bucketId].Properties ?? {};
  const policy = ofType('AWS::S3::BucketPolicy').find(
    ([, p]) => JSON.stringify(p.Properties?.Bucket) === JSON.stringify(ref(bucketId)),
  );
  const statements =
    (policy?.[1].Properties?.PolicyDocument as { Statement: Statement[] } | undefined)?.Statement ?? [];
  const objectsAndBucket = [arnOf(bucketId), { 'Fn::Join': ['', [arnOf(bucketId), '/*']] }];

  test('encrypted at rest (SSE), versioned, all public access blocked, bucket-owner-enforced', () => {
    assert.deepEqual(bucket.BucketEncryption, {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    assert.deepEqual(bucket.VersioningConfiguration, { Status: 'Enabled' });
    assert.deepEqual(bucket.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    assert.deepEqual(bucket.OwnershipControls, { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  test('not deleted with the stack (no auto-delete custom resource)', () => {
    assert.equal(resources[bucketId].DeletionPolicy, 'Retain');
    assert.equal(ofType('Custom::S3AutoDeleteObjects').length, 0);
  });

  test('TLS only: deny s3:* when aws:SecureTransport is false', () => {
    const tls = statements.find((s) => s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
    assert.ok(tls);
    assert.equal(tls.Effect, 'Deny');
    assert.equal(tls.Action, 's3:*');
    assert.deepEqual(tls.Resource, objectsAndBucket);
  });

  test('deny every request not through the S3 gateway endpoint, except the CDK deploy roles', () => {
    const vpce = statements.find((s) => s.Sid === 'DenyOutsideS3GatewayEndpoint');
    assert.ok(vpce);
    assert.deepEqual(vpce, {
      Sid: 'DenyOutsideS3GatewayEndpoint',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: objectsAndBucket,
      Condition: {
        StringNotEquals: { 'aws:SourceVpce': ref(id(stack.endpoints.s3)) },
        ArnNotLike: { 'aws:PrincipalArn': deployRoles },
      },
    });
  });

  test('the bucket policy allows nothing', () => {
    assert.deepEqual(
      statements.filter((s) => s.Effect === 'Allow'),
      [],
    );
  });

  test('server access logs go to a separate, private, TLS-only bucket', () => {
    const logsId = id(stack.data.accessLogsBucket);
    assert.deepEqual(bucket.LoggingConfiguration, {
      DestinationBucketName: ref(logsId),
      LogFilePrefix: 'product-images/',
    });
    assert.equal(
      (resources[logsId].Properties?.PublicAccessBlockConfiguration as Record<string, boolean>)
        .BlockPublicPolicy,
      true,
    );
  });
});

describe('4. data: DynamoDB tables', () => {
  const dynamodbEndpoint = id(stack.endpoints.dynamodb);

  for (const [name, key, suffix] of [
    ['productsTable', 'productId', 'products'],
    ['ordersTable', 'orderId', 'orders'],
  ] as const) {
    const tableId = id(stack.data[name]);
    const { ResourcePolicy, ...properties } = resources[tableId].Properties ?? {};
    const statements = (ResourcePolicy as { PolicyDocument: { Statement: Statement[] } } | undefined)
      ?.PolicyDocument.Statement;

    test(`${name}: partition key ${key}, on-demand, PITR on, SSE on, named <stack>-${suffix}`, () => {
      assert.deepEqual(properties, {
        AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TableName: { 'Fn::Join': ['', [{ Ref: 'AWS::StackName' }, `-${suffix}`]] },
      });
    });

    test(`${name}: its policy denies every item read/write not through the DynamoDB endpoint, except the CDK deploy roles`, () => {
      assert.deepEqual(statements, [
        {
          Sid: 'DenyOutsideDynamoDBGatewayEndpoint',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: [...DYNAMODB_DATA_PLANE_ACTIONS],
          Resource: [builtTableArn(suffix), builtTableArn(`${suffix}/index/*`)],
          Condition: {
            StringNotEquals: { 'aws:SourceVpce': ref(dynamodbEndpoint) },
            ArnNotLike: { 'aws:PrincipalArn': deployRoles },
          },
        },
      ]);
    });

    test(`${name}: its policy allows nothing and leaves CloudFormation's control-plane calls to IAM`, () => {
      const actions = (statements ?? []).flatMap((s) => list(s.Action));
      assert.deepEqual(
        (statements ?? []).filter((s) => s.Effect === 'Allow'),
        [],
      );
      for (const controlPlane of [
        'dynamodb:CreateTable',
        'dynamodb:DescribeTable',
        'dynamodb:UpdateTable',
        'dynamodb:DeleteTable',
        'dynamodb:PutResourcePolicy',
        'dynamodb:GetResourcePolicy',
        'dynamodb:UpdateContinuousBackups',
        'dynamodb:TagResource',
      ])
        assert.ok(!actions.includes(controlPlane), controlPlane);
      assert.ok(
        actions.every((action) => !action.includes('*')),
        'no wildcard action (dynamodb:* would cover PutResourcePolicy)',
      );
    });
  }

  test('the data-plane list covers every action the services are granted on a table', () => {
    const granted = allStatements(resources)
      .filter(({ type }) => type === 'AWS::IAM::Policy' || type === 'AWS::EC2::VPCEndpoint')
      .flatMap(({ statement }) => list(statement.Action))
      .filter((action) => action.startsWith('dynamodb:') && action !== 'dynamodb:DescribeEndpoints');
    assert.ok(granted.length > 0);
    for (const action of granted)
      assert.ok((DYNAMODB_DATA_PLANE_ACTIONS as readonly string[]).includes(action), action);
  });

  test('the built ARNs name the very tables: same stack-scoped name as TableName', () => {
    for (const [name, suffix] of [
      ['productsTable', 'products'],
      ['ordersTable', 'orders'],
    ] as const) {
      assert.deepEqual(stack.resolve(stack.data[`${name}Arn`]), builtTableArn(suffix));
      assert.deepEqual(stack.resolve(stack.data[name].tableName), ref(id(stack.data[name])));
    }
  });

  test('no dependency cycle: the tables depend on the DynamoDB endpoint, the endpoint on no table', () => {
    const dependencies = dependenciesOf(resources);
    const tables = [id(stack.data.productsTable), id(stack.data.ordersTable)];
    for (const table of tables) assert.ok(dependencies.get(table)?.has(dynamodbEndpoint), table);
    for (const table of tables) assert.ok(!dependsOn(dependencies, dynamodbEndpoint, table), table);
    const order = dependencyOrder(Object.keys(resources), dependencies, 'SecureCart.template.json');
    assert.equal(order.length, Object.keys(resources).length);
  });
});

describe('4. data: customers database (RDS PostgreSQL)', () => {
  const database = resources[id(stack.data.database)].Properties ?? {};

  test('PostgreSQL, encrypted storage, not public, multi-AZ, backups, deletion protection', () => {
    assert.equal(database.Engine, 'postgres');
    assert.equal(database.StorageEncrypted, true);
    assert.equal(database.PubliclyAccessible, false);
    assert.equal(database.MultiAZ, true);
    assert.equal(database.DeletionProtection, true);
    assert.equal(database.BackupRetentionPeriod, 7);
    assert.equal(database.Port, '5432');
  });

  test('in the isolated subnets', () => {
    const [[, group]] = ofType('AWS::RDS::DBSubnetGroup');
    assert.deepEqual(
      group.Properties?.SubnetIds,
      ofType('AWS::EC2::Subnet').map(([logicalId]) => ref(logicalId)),
    );
  });

  test('credentials come from the generated secret (dynamic references)', () => {
    const secretId = id(stack.secrets.databaseCredentials);
    assert.match(
      JSON.stringify(database.MasterUserPassword),
      new RegExp(`resolve:secretsmanager:.*${secretId}.*SecretString:password`),
    );
    assert.match(JSON.stringify(database.MasterUsername), /SecretString:username/);
  });

  test('its security group admits only 5432 from the database service, and nothing inline', () => {
    const groupId = id(stack.data.databaseSecurityGroup);
    assert.deepEqual(database.VPCSecurityGroups, [groupIdOf(groupId)]);
    assert.equal(resources[groupId].Properties?.SecurityGroupIngress, undefined);
    const ingress = ofType('AWS::EC2::SecurityGroupIngress')
      .map(([, rule]) => rule.Properties ?? {})
      .filter((rule) => JSON.stringify(rule.GroupId) === JSON.stringify(groupIdOf(groupId)));
    assert.deepEqual(
      ingress.map((rule) => [rule.IpProtocol, rule.FromPort, rule.ToPort, rule.SourceSecurityGroupId]),
      [['tcp', 5432, 5432, groupIdOf(id(stack.services.database.securityGroup))]],
    );
  });
});

describe('5. secrets: customer-managed key, endpoint-only GetSecretValue', () => {
  const keyId = id(stack.secrets.key);
  const key = resources[keyId].Properties ?? {};
  const keyStatements = (key.KeyPolicy as { Statement: Statement[] }).Statement;
  const viaSecretsManager = {
    'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
  };

  test('the key rotates automatically', () => {
    assert.equal(key.EnableKeyRotation, true);
  });

  for (const name of ['paymentProviderKey', 'databaseCredentials'] as const) {
    test(`${name}: encrypted with the customer-managed key, value generated`, () => {
      const secret = resources[id(stack.secrets[name])].Properties ?? {};
      assert.deepEqual(secret.KmsKeyId, arnOf(keyId));
      assert.ok(secret.GenerateSecretString, 'value is generated, never in the template');
      assert.equal(secret.SecretString, undefined);
    });

    test(`${name}: resource policy denies GetSecretValue unless via the Secrets Manager endpoint`, () => {
      const secretRef = ref(id(stack.secrets[name]));
      const policies = ofType('AWS::SecretsManager::ResourcePolicy').filter(
        ([, p]) => JSON.stringify(p.Properties?.SecretId) === JSON.stringify(secretRef),
      );
      assert.equal(policies.length, 1);
      assert.deepEqual((policies[0][1].Properties?.ResourcePolicy as { Statement: Statement[] }).Statement, [
        {
          Sid: 'DenyGetSecretValueOutsideSecretsManagerEndpoint',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
          Condition: {
            StringNotEquals: { 'aws:SourceVpce': ref(id(stack.endpoints.secretsManager)) },
            ArnNotLike: { 'aws:PrincipalArn': deployRoles },
          },
        },
      ]);
    });
  }

  test('key policy: account root delegation, and Decrypt for exactly the two reader roles via Secrets Manager', () => {
    const root = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
    };
    assert.ok(
      keyStatements.some(
        (s) => s.Action === 'kms:*' && JSON.stringify(s.Principal) === JSON.stringify({ AWS: root }),
      ),
    );
    const toRoles = keyStatements.filter(
      (s) => JSON.stringify(s.Principal) !== JSON.stringify({ AWS: root }),
    );
    assert.deepEqual(
      toRoles.map((s) => [s.Principal, s.Action, s.Condition]),
      ['payment', 'database'].map((service) => [
        { AWS: arnOf(id(stack.services[service as 'payment' | 'database'].role)) },
        'kms:Decrypt',
        { StringEquals: { 'kms:ViaService': viaSecretsManager } },
      ]),
    );
  });

  test('only the payment and database roles may read a secret, each only its own', () => {
    const readers = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .flatMap(([logicalId, r]) =>
        ((r.Properties?.PolicyDocument as { Statement: Statement[] }).Statement ?? [])
          .filter((s) => list(s.Action).some((a) => a.startsWith('secretsmanager:')))
          .map((s) => [logicalId.replace(/DefaultPolicy.*/, ''), s.Action, s.Resource]),
      );
    assert.deepEqual(readers, [
      ['ServicesPaymentRole', 'secretsmanager:GetSecretValue', ref(id(stack.secrets.paymentProviderKey))],
      ['ServicesDatabaseRole', 'secretsmanager:GetSecretValue', ref(id(stack.secrets.databaseCredentials))],
    ]);
  });

  test('the template carries no secret value', () => {
    template.resourcePropertiesCountIs('AWS::SecretsManager::Secret', { SecretString: Match.absent() }, 2);
  });
});
