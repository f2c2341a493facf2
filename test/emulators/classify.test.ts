/** What each request IS, for the gateway: operation → IAM actions, resources and policy holders. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServiceRequest } from '../../src/emulators/plugin.ts';
import { serviceOfRequest } from '../../src/emulators/registry.ts';
import { ACCOUNT, startHarness, type Harness } from './helpers.ts';

let h: Harness;
let secretArn = '';
let keyArn = '';

before(async () => {
  h = await startHarness();
  keyArn = await h.emulators.kms.ensureKey({
    keyId: '11111111-2222-4333-8444-555555555555',
    alias: 'alias/payments',
  });
  secretArn = await h.emulators.secretsmanager.ensureSecret({
    name: 'prod/payments/api-key',
    secretString: 'x',
    tags: [{ Key: 'team', Value: 'payments' }],
  });
  await h.emulators.dynamodb.ensureTable({
    TableName: 'Orders',
    KeySchema: [{ AttributeName: 'customerId', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'customerId', AttributeType: 'S' }],
  });
});
after(() => h.close());

function s3(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  host = '127.0.0.1:4566',
): ServiceRequest {
  return {
    method,
    url: new URL(`http://${host}${path}`),
    headers: { host, ...headers },
    body: Buffer.alloc(0),
  };
}

function json(target: string, body: unknown): ServiceRequest {
  return {
    method: 'POST',
    url: new URL('http://127.0.0.1:4566/'),
    headers: { host: '127.0.0.1:4566', 'x-amz-target': target },
    body: Buffer.from(JSON.stringify(body)),
  };
}

interface Row {
  readonly request: () => ServiceRequest;
  readonly operation: string;
  readonly checks: ReadonlyArray<readonly [string, string]>;
  readonly policyArns?: readonly string[];
  readonly serviceKeys?: Readonly<Record<string, string | readonly string[]>>;
}

const classifyRow = (row: Row): void => {
  const request = row.request();
  const plugin = h.emulators.all.find((p) => p.service === serviceOfRequest(request));
  assert.ok(plugin, 'a plugin serves the request');
  const c = plugin.classify(request);
  assert.equal(c.operation, row.operation);
  assert.deepEqual(
    c.checks.map((k) => [k.action, k.resource]),
    row.checks.map((k) => [...k]),
  );
  assert.deepEqual(c.actions, [...new Set(row.checks.map((k) => k[0]))]);
  if (row.policyArns) assert.deepEqual(c.policyArns, row.policyArns);
  for (const [key, value] of Object.entries(row.serviceKeys ?? {}))
    assert.deepEqual(c.serviceKeys[key], value, key);
};

const s3Rows: Array<[string, Row]> = [
  [
    'ListBuckets',
    {
      request: () => s3('GET', '/'),
      operation: 'ListBuckets',
      checks: [['s3:ListAllMyBuckets', '*']],
      policyArns: [],
    },
  ],
  [
    'CreateBucket',
    {
      request: () => s3('PUT', '/images'),
      operation: 'CreateBucket',
      checks: [['s3:CreateBucket', 'arn:aws:s3:::images']],
    },
  ],
  [
    'HeadBucket',
    {
      request: () => s3('HEAD', '/images'),
      operation: 'HeadBucket',
      checks: [['s3:ListBucket', 'arn:aws:s3:::images']],
    },
  ],
  [
    'DeleteBucket',
    {
      request: () => s3('DELETE', '/images'),
      operation: 'DeleteBucket',
      checks: [['s3:DeleteBucket', 'arn:aws:s3:::images']],
    },
  ],
  [
    'PutBucketPolicy',
    {
      request: () => s3('PUT', '/images?policy'),
      operation: 'PutBucketPolicy',
      checks: [['s3:PutBucketPolicy', 'arn:aws:s3:::images']],
    },
  ],
  [
    'GetBucketPolicy',
    {
      request: () => s3('GET', '/images?policy'),
      operation: 'GetBucketPolicy',
      checks: [['s3:GetBucketPolicy', 'arn:aws:s3:::images']],
    },
  ],
  [
    'DeleteBucketPolicy',
    {
      request: () => s3('DELETE', '/images?policy'),
      operation: 'DeleteBucketPolicy',
      checks: [['s3:DeleteBucketPolicy', 'arn:aws:s3:::images']],
    },
  ],
  [
    'PutPublicAccessBlock',
    {
      request: () => s3('PUT', '/images?publicAccessBlock'),
      operation: 'PutPublicAccessBlock',
      checks: [['s3:PutBucketPublicAccessBlock', 'arn:aws:s3:::images']],
    },
  ],
  [
    'GetPublicAccessBlock',
    {
      request: () => s3('GET', '/images?publicAccessBlock'),
      operation: 'GetPublicAccessBlock',
      checks: [['s3:GetBucketPublicAccessBlock', 'arn:aws:s3:::images']],
    },
  ],
  [
    'DeletePublicAccessBlock: authorized as s3:PutBucketPublicAccessBlock',
    {
      request: () => s3('DELETE', '/images?publicAccessBlock'),
      operation: 'DeletePublicAccessBlock',
      checks: [['s3:PutBucketPublicAccessBlock', 'arn:aws:s3:::images']],
    },
  ],
  [
    'ListObjectsV2 with s3:prefix/delimiter/max-keys',
    {
      request: () => s3('GET', '/images?list-type=2&prefix=products%2F&delimiter=%2F&max-keys=10'),
      operation: 'ListObjectsV2',
      checks: [['s3:ListBucket', 'arn:aws:s3:::images']],
      serviceKeys: { 's3:prefix': 'products/', 's3:delimiter': '/', 's3:max-keys': '10' },
    },
  ],
  [
    'PutObject (path style, key decoded)',
    {
      request: () => s3('PUT', '/images/a%20b/c%2Bd.png', { 'x-amz-server-side-encryption': 'aws:kms' }),
      operation: 'PutObject',
      checks: [['s3:PutObject', 'arn:aws:s3:::images/a b/c+d.png']],
      policyArns: ['arn:aws:s3:::images'],
      serviceKeys: { 's3:x-amz-server-side-encryption': 'aws:kms' },
    },
  ],
  [
    'PutObject signed in the Authorization header, with an ACL grant: how it was signed, what it grants',
    {
      request: () =>
        s3('PUT', '/images/a.png', {
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKID/20261126/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00',
          'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
          'x-amz-grant-full-control': 'id=owner',
        }),
      operation: 'PutObject',
      checks: [['s3:PutObject', 'arn:aws:s3:::images/a.png']],
      serviceKeys: {
        's3:authType': 'REST-HEADER',
        's3:signatureversion': 'AWS4-HMAC-SHA256',
        's3:x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
        's3:x-amz-grant-full-control': 'id=owner',
      },
    },
  ],
  [
    'GetObject by a presigned URL: REST-QUERY-STRING',
    {
      request: () =>
        s3(
          'GET',
          '/images/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261126T040000Z&X-Amz-Expires=60',
        ),
      operation: 'GetObject',
      checks: [['s3:GetObject', 'arn:aws:s3:::images/a.png']],
      serviceKeys: { 's3:authType': 'REST-QUERY-STRING', 's3:signatureversion': 'AWS4-HMAC-SHA256' },
    },
  ],
  [
    'GetObject (virtual-hosted)',
    {
      request: () => s3('GET', '/p/1.png', {}, 'images.s3.us-east-1.amazonaws.com'),
      operation: 'GetObject',
      checks: [['s3:GetObject', 'arn:aws:s3:::images/p/1.png']],
      policyArns: ['arn:aws:s3:::images'],
    },
  ],
  [
    'GetObject (path style on the regional endpoint)',
    {
      request: () => s3('GET', '/images/p/1.png', {}, 's3.us-east-1.amazonaws.com'),
      operation: 'GetObject',
      checks: [['s3:GetObject', 'arn:aws:s3:::images/p/1.png']],
    },
  ],
  [
    'HeadObject is s3:GetObject',
    {
      request: () => s3('HEAD', '/images/k'),
      operation: 'HeadObject',
      checks: [['s3:GetObject', 'arn:aws:s3:::images/k']],
    },
  ],
  [
    'DeleteObject',
    {
      request: () => s3('DELETE', '/images/k'),
      operation: 'DeleteObject',
      checks: [['s3:DeleteObject', 'arn:aws:s3:::images/k']],
    },
  ],
  [
    'CopyObject needs PutObject on the target and GetObject on the source',
    {
      request: () => s3('PUT', '/backup/k2', { 'x-amz-copy-source': '/images/k%201' }),
      operation: 'CopyObject',
      checks: [
        ['s3:PutObject', 'arn:aws:s3:::backup/k2'],
        ['s3:GetObject', 'arn:aws:s3:::images/k 1'],
      ],
      policyArns: ['arn:aws:s3:::backup', 'arn:aws:s3:::images'],
    },
  ],
  [
    'CreateMultipartUpload',
    {
      request: () => s3('POST', '/images/big?uploads'),
      operation: 'CreateMultipartUpload',
      checks: [['s3:PutObject', 'arn:aws:s3:::images/big']],
    },
  ],
  [
    'UploadPart',
    {
      request: () => s3('PUT', '/images/big?partNumber=1&uploadId=u1'),
      operation: 'UploadPart',
      checks: [['s3:PutObject', 'arn:aws:s3:::images/big']],
    },
  ],
  [
    'CompleteMultipartUpload',
    {
      request: () => s3('POST', '/images/big?uploadId=u1'),
      operation: 'CompleteMultipartUpload',
      checks: [['s3:PutObject', 'arn:aws:s3:::images/big']],
    },
  ],
  [
    'AbortMultipartUpload',
    {
      request: () => s3('DELETE', '/images/big?uploadId=u1'),
      operation: 'AbortMultipartUpload',
      checks: [['s3:AbortMultipartUpload', 'arn:aws:s3:::images/big']],
    },
  ],
  [
    'ListParts',
    {
      request: () => s3('GET', '/images/big?uploadId=u1'),
      operation: 'ListParts',
      checks: [['s3:ListMultipartUploadParts', 'arn:aws:s3:::images/big']],
    },
  ],
  [
    'ListMultipartUploads',
    {
      request: () => s3('GET', '/images?uploads'),
      operation: 'ListMultipartUploads',
      checks: [['s3:ListBucketMultipartUploads', 'arn:aws:s3:::images']],
    },
  ],
  [
    'presigned PutObject (X-Amz-* query parameters are authentication, not a sub-resource)',
    {
      request: () =>
        s3(
          'PUT',
          '/images/up.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a&X-Amz-Date=b&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=c&x-id=PutObject',
        ),
      operation: 'PutObject',
      checks: [['s3:PutObject', 'arn:aws:s3:::images/up.png']],
    },
  ],
  [
    'presigned ListObjects (v1)',
    {
      request: () => s3('GET', '/images?prefix=a&X-Amz-Signature=c&X-Amz-Expires=60'),
      operation: 'ListObjects',
      checks: [['s3:ListBucket', 'arn:aws:s3:::images']],
    },
  ],
  [
    'unsupported sub-resource',
    { request: () => s3('GET', '/images/k?acl'), operation: 'Unknown', checks: [] },
  ],
];

const table = (name: string): string => `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${name}`;
const ddb = (op: string, body: unknown): ServiceRequest => json(`DynamoDB_20120810.${op}`, body);
const dynamoRows: Array<[string, Row]> = [
  [
    'GetItem with dynamodb:LeadingKeys',
    {
      request: () => ddb('GetItem', { TableName: 'Orders', Key: { customerId: { S: 'c1' } } }),
      operation: 'GetItem',
      checks: [['dynamodb:GetItem', table('Orders')]],
      policyArns: [table('Orders')],
      serviceKeys: { 'dynamodb:LeadingKeys': ['c1'] },
    },
  ],
  [
    'PutItem',
    {
      request: () =>
        ddb('PutItem', { TableName: 'Orders', Item: { customerId: { S: 'c2' } }, ReturnValues: 'ALL_OLD' }),
      operation: 'PutItem',
      checks: [['dynamodb:PutItem', table('Orders')]],
      serviceKeys: { 'dynamodb:ReturnValues': 'ALL_OLD' },
    },
  ],
  [
    'Query on an index names the index ARN',
    {
      request: () => ddb('Query', { TableName: 'Orders', IndexName: 'byStatus' }),
      operation: 'Query',
      checks: [['dynamodb:Query', `${table('Orders')}/index/byStatus`]],
      policyArns: [table('Orders')],
    },
  ],
  [
    'BatchWriteItem names every table',
    {
      request: () =>
        ddb('BatchWriteItem', {
          RequestItems: {
            Orders: [{ PutRequest: { Item: { customerId: { S: 'a' } } } }],
            Audit: [{ DeleteRequest: { Key: { id: { S: 'b' } } } }],
          },
        }),
      operation: 'BatchWriteItem',
      checks: [
        ['dynamodb:BatchWriteItem', table('Orders')],
        ['dynamodb:BatchWriteItem', table('Audit')],
      ],
      policyArns: [table('Orders'), table('Audit')],
    },
  ],
  [
    'BatchGetItem names every table',
    {
      request: () => ddb('BatchGetItem', { RequestItems: { Orders: { Keys: [] }, Products: { Keys: [] } } }),
      operation: 'BatchGetItem',
      checks: [
        ['dynamodb:BatchGetItem', table('Orders')],
        ['dynamodb:BatchGetItem', table('Products')],
      ],
    },
  ],
  [
    'TransactWriteItems is authorized item by item',
    {
      request: () =>
        ddb('TransactWriteItems', {
          TransactItems: [
            { Put: { TableName: 'Orders', Item: {} } },
            { Update: { TableName: 'Stock', Key: {} } },
            { ConditionCheck: { TableName: 'Customers', Key: {} } },
            { Delete: { TableName: 'Carts', Key: {} } },
          ],
        }),
      operation: 'TransactWriteItems',
      checks: [
        ['dynamodb:PutItem', table('Orders')],
        ['dynamodb:UpdateItem', table('Stock')],
        ['dynamodb:ConditionCheckItem', table('Customers')],
        ['dynamodb:DeleteItem', table('Carts')],
      ],
    },
  ],
  [
    'DescribeEndpoints is account-level',
    {
      request: () => ddb('DescribeEndpoints', {}),
      operation: 'DescribeEndpoints',
      checks: [['dynamodb:DescribeEndpoints', '*']],
      policyArns: [],
    },
  ],
  [
    'ListTables is account-level',
    { request: () => ddb('ListTables', {}), operation: 'ListTables', checks: [['dynamodb:ListTables', '*']] },
  ],
  [
    'GetResourcePolicy uses ResourceArn',
    {
      request: () => ddb('GetResourcePolicy', { ResourceArn: table('Orders') }),
      operation: 'GetResourcePolicy',
      checks: [['dynamodb:GetResourcePolicy', table('Orders')]],
    },
  ],
];

const sm = (op: string, body: unknown): ServiceRequest => json(`secretsmanager.${op}`, body);
const secretRows = (): Array<[string, Row]> => [
  [
    'GetSecretValue by name resolves the full ARN, with resource tags',
    {
      request: () => sm('GetSecretValue', { SecretId: 'prod/payments/api-key', VersionStage: 'AWSCURRENT' }),
      operation: 'GetSecretValue',
      checks: [['secretsmanager:GetSecretValue', secretArn]],
      policyArns: [secretArn],
      serviceKeys: {
        'secretsmanager:SecretId': 'prod/payments/api-key',
        'secretsmanager:VersionStage': 'AWSCURRENT',
        'secretsmanager:ResourceTag/team': 'payments',
      },
    },
  ],
  [
    'GetSecretValue by partial ARN',
    {
      request: () => sm('GetSecretValue', { SecretId: secretArn.slice(0, -7) }),
      operation: 'GetSecretValue',
      checks: [['secretsmanager:GetSecretValue', secretArn]],
    },
  ],
  [
    'CreateSecret names the secret-to-be with a wildcard suffix, and request tags',
    {
      request: () => sm('CreateSecret', { Name: 'new/secret', Tags: [{ Key: 'env', Value: 'prod' }] }),
      operation: 'CreateSecret',
      checks: [
        [
          'secretsmanager:CreateSecret',
          `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:new/secret-??????`,
        ],
      ],
      serviceKeys: {
        'secretsmanager:Name': 'new/secret',
        'aws:TagKeys': ['env'],
        'aws:RequestTag/env': 'prod',
      },
    },
  ],
  [
    'ListSecrets is account-level',
    {
      request: () => sm('ListSecrets', {}),
      operation: 'ListSecrets',
      checks: [['secretsmanager:ListSecrets', '*']],
      policyArns: [],
    },
  ],
  [
    'PutResourcePolicy',
    {
      request: () =>
        sm('PutResourcePolicy', { SecretId: secretArn, ResourcePolicy: '{}', BlockPublicPolicy: true }),
      operation: 'PutResourcePolicy',
      checks: [['secretsmanager:PutResourcePolicy', secretArn]],
      serviceKeys: { 'secretsmanager:BlockPublicPolicy': 'true' },
    },
  ],
  [
    'DeleteSecret',
    {
      request: () => sm('DeleteSecret', { SecretId: secretArn, RecoveryWindowInDays: 7 }),
      operation: 'DeleteSecret',
      checks: [['secretsmanager:DeleteSecret', secretArn]],
      serviceKeys: { 'secretsmanager:RecoveryWindowInDays': '7' },
    },
  ],
];

const kms = (op: string, body: unknown): ServiceRequest => json(`TrentService.${op}`, body);
const kmsRows = (): Array<[string, Row]> => [
  [
    'Encrypt through an alias is authorized on the key',
    {
      request: () =>
        kms('Encrypt', { KeyId: 'alias/payments', Plaintext: 'eA==', EncryptionContext: { order: 'o1' } }),
      operation: 'Encrypt',
      checks: [['kms:Encrypt', keyArn]],
      policyArns: [keyArn],
      serviceKeys: {
        'kms:RequestAlias': 'alias/payments',
        'kms:EncryptionContext:order': 'o1',
        'kms:EncryptionContextKeys': ['order'],
      },
    },
  ],
  [
    'DescribeKey by id',
    {
      request: () => kms('DescribeKey', { KeyId: '11111111-2222-4333-8444-555555555555' }),
      operation: 'DescribeKey',
      checks: [['kms:DescribeKey', keyArn]],
    },
  ],
  [
    'Decrypt without KeyId finds the key in the ciphertext blob',
    {
      request: () =>
        kms('Decrypt', {
          CiphertextBlob: h.emulators.kms.generateDataKey('alias/payments').ciphertextBlob.toString('base64'),
        }),
      operation: 'Decrypt',
      checks: [['kms:Decrypt', keyArn]],
    },
  ],
  [
    'CreateKey is account-level',
    {
      request: () => kms('CreateKey', {}),
      operation: 'CreateKey',
      checks: [['kms:CreateKey', '*']],
      policyArns: [],
    },
  ],
  [
    'CreateAlias needs the alias and the key',
    {
      request: () => kms('CreateAlias', { AliasName: 'alias/new', TargetKeyId: keyArn }),
      operation: 'CreateAlias',
      checks: [
        ['kms:CreateAlias', `arn:aws:kms:us-east-1:${ACCOUNT}:alias/new`],
        ['kms:CreateAlias', keyArn],
      ],
    },
  ],
];

describe('classification: S3', () => {
  for (const [name, row] of s3Rows) it(name, () => classifyRow(row));
});
describe('S3 signature condition keys: only where AWS sets them', () => {
  it('s3:signatureAge (ms since X-Amz-Date) for a presigned URL; no s3:x-amz-content-sha256 there', () => {
    const signedAt = new Date(Date.now() - 11 * 60_000);
    const amzDate = signedAt
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const request = s3('GET', `/images/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=${amzDate}`, {
      'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    });
    const keys = h.emulators.s3.classify(request).serviceKeys;
    const age = Number(keys['s3:signatureAge']);
    assert.ok(age >= 11 * 60_000 - 1000 && age < 12 * 60_000, `age ${age}`);
    assert.equal('s3:x-amz-content-sha256' in keys, false);
  });
  it('no s3:signatureAge for the Authorization header form; nothing for an anonymous request', () => {
    const header = h.emulators.s3.classify(
      s3('GET', '/images/a.png', {
        authorization: 'AWS4-HMAC-SHA256 Credential=x, SignedHeaders=host, Signature=0',
      }),
    ).serviceKeys;
    assert.equal('s3:signatureAge' in header, false);
    const anonymous = h.emulators.s3.classify(s3('GET', '/images/a.png')).serviceKeys;
    assert.equal('s3:authType' in anonymous || 's3:signatureversion' in anonymous, false);
  });
});
describe('classification: DynamoDB', () => {
  for (const [name, row] of dynamoRows) it(name, () => classifyRow(row));
});
describe('classification: Secrets Manager', () => {
  it('every row', () => {
    for (const [name, row] of secretRows()) {
      try {
        classifyRow(row);
      } catch (err) {
        assert.fail(`${name}: ${String(err)}`);
      }
    }
  });
});
describe('classification: KMS', () => {
  it('every row', () => {
    for (const [name, row] of kmsRows()) {
      try {
        classifyRow(row);
      } catch (err) {
        assert.fail(`${name}: ${String(err)}`);
      }
    }
  });
});
