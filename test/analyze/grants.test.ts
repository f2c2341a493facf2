/** Wildcard grants expanded against the template's own resources and the action catalogue. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expandGrants, type TemplateResource } from '../../src/analyze/grants.ts';

const RESOURCES: TemplateResource[] = [
  { logicalId: 'Images', kind: 's3-bucket', arn: 'arn:aws:s3:::shop-images' },
  { logicalId: 'Logs', kind: 's3-bucket', arn: 'arn:aws:s3:::shop-logs' },
  {
    logicalId: 'Orders',
    kind: 'dynamodb-table',
    arn: 'arn:aws:dynamodb:us-east-1:111122223333:table/orders',
  },
  {
    logicalId: 'ApiKey',
    kind: 'secret',
    arn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-key-AbCdEf',
  },
];

const policy = (statement: object) => ({ Version: '2012-10-17', Statement: [statement] });
const pairs = (documents: unknown[]) =>
  expandGrants(documents, RESOURCES).map((g) => `${g.action} ${g.resource} ${g.resourceLogicalId ?? '-'}`);

describe('grant expansion', () => {
  const cases: [string, object, string[]][] = [
    [
      'an object wildcard on one bucket',
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shop-images/*' },
      ['s3:GetObject arn:aws:s3:::shop-images/* Images'],
    ],
    [
      'a prefix inside a bucket stays as written',
      { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::shop-images/uploads/*' },
      ['s3:PutObject arn:aws:s3:::shop-images/uploads/* Images'],
    ],
    [
      's3:Get* on * expands to every bucket of the template',
      { Effect: 'Allow', Action: 's3:Get*', Resource: '*' },
      ['s3:GetObject arn:aws:s3:::shop-images/* Images', 's3:GetObject arn:aws:s3:::shop-logs/* Logs'],
    ],
    [
      'bucket-level actions name the bucket ARN',
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::shop-*' },
      ['s3:ListBucket arn:aws:s3:::shop-images Images', 's3:ListBucket arn:aws:s3:::shop-logs Logs'],
    ],
    [
      'a secret ARN pattern with the random suffix',
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-key-??????',
      },
      [
        'secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:111122223333:secret:api-key-AbCdEf ApiKey',
      ],
    ],
    [
      'an external table stays as written',
      {
        Effect: 'Allow',
        Action: 'dynamodb:GetItem',
        Resource: 'arn:aws:dynamodb:us-east-1:999999999999:table/other',
      },
      ['dynamodb:GetItem arn:aws:dynamodb:us-east-1:999999999999:table/other -'],
    ],
    [
      'an uncatalogued service keeps the pattern',
      { Effect: 'Allow', Action: 'sqs:Send*', Resource: 'arn:aws:sqs:us-east-1:111122223333:queue' },
      ['sqs:Send* arn:aws:sqs:us-east-1:111122223333:queue -'],
    ],
    ['a Deny grants nothing', { Effect: 'Deny', Action: 's3:*', Resource: '*' }, []],
  ];
  for (const [name, statement, expected] of cases) {
    it(name, () => assert.deepEqual(pairs([policy(statement)]), expected));
  }

  it('dynamodb:* on one table expands to the catalogued table actions', () => {
    const actions = expandGrants(
      [policy({ Effect: 'Allow', Action: 'dynamodb:*', Resource: RESOURCES[2].arn })],
      RESOURCES,
    ).map((g) => g.action);
    assert.ok(actions.includes('dynamodb:PutItem') && actions.includes('dynamodb:Query'));
    assert.ok(actions.every((action) => action.startsWith('dynamodb:')));
  });

  it('duplicates across statements and policies are merged', () => {
    const statement = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shop-images/*' };
    assert.equal(pairs([policy(statement), policy(statement)]).length, 1);
  });
});
