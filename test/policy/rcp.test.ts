/**
 * Resource control policies: a gate on the resources of the services they cover, for every
 * caller (service principals and anonymous ones included) except service-linked roles. Sources:
 * docs/policy-semantics.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DecisionKind, PolicyKind, PolicySets } from '../../src/policy/index.ts';
import { compilePolicy, evaluate, PolicyValidationError } from '../../src/policy/index.ts';
import { parseCase } from '../../src/policy/simulation-case.ts';
import { denialMessage } from '../../src/twin/denial-message.ts';

const A = '111122223333';
const ROLE = `arn:aws:sts::${A}:assumed-role/orders/fn`;
const SERVICE_LINKED = `arn:aws:sts::${A}:assumed-role/AWSServiceRoleForECS/ecs-session`;
const BUCKET_OBJECT = 'arn:aws:s3:::orders-bucket/a.json';
const TABLE = `arn:aws:dynamodb:us-east-1:${A}:table/orders`;

const rcp = (statements: Record<string, unknown>[]) =>
  compilePolicy({ Version: '2012-10-17', Statement: statements }, 'rcp', 'rcp');
const FULL_ACCESS = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };
const ORG_PERIMETER = {
  Effect: 'Deny',
  Principal: '*',
  Action: '*',
  Resource: '*',
  Condition: {
    StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-mine' },
    Bool: { 'aws:PrincipalIsAWSService': 'false' },
  },
};
const perimeter = [rcp([FULL_ACCESS]), rcp([ORG_PERIMETER])];
const denyEverything = [rcp([{ Effect: 'Deny', Principal: '*', Action: '*', Resource: '*' }])];
const onlyDenies = [rcp([ORG_PERIMETER])];

const allowAll = [
  compilePolicy(
    { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    'id',
    'identity',
  ),
];
const bucketGrantsService = compilePolicy(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: '*',
      },
    ],
  },
  'bucket',
  'resource',
);

const cases: {
  name: string;
  principal: string;
  action: string;
  resource: string;
  context?: Record<string, string>;
  sets: PolicySets;
  expected: DecisionKind;
  blockedBy?: PolicyKind[];
}[] = [
  {
    name: 'a caller from another organization is stopped by the perimeter RCP on S3',
    principal: ROLE,
    action: 's3:GetObject',
    resource: BUCKET_OBJECT,
    context: { 'aws:PrincipalOrgID': 'o-other', 'aws:PrincipalIsAWSService': 'false' },
    sets: { identity: allowAll, rcps: perimeter },
    expected: 'explicit-deny',
    blockedBy: ['rcp'],
  },
  {
    name: 'a caller from the organization passes the same RCP',
    principal: ROLE,
    action: 's3:GetObject',
    resource: BUCKET_OBJECT,
    context: { 'aws:PrincipalOrgID': 'o-mine', 'aws:PrincipalIsAWSService': 'false' },
    sets: { identity: allowAll, rcps: perimeter },
    expected: 'allowed',
  },
  {
    name: 'RCPs do not cover DynamoDB: the same RCP leaves a table alone',
    principal: ROLE,
    action: 'dynamodb:GetItem',
    resource: TABLE,
    context: { 'aws:PrincipalOrgID': 'o-other', 'aws:PrincipalIsAWSService': 'false' },
    sets: { identity: allowAll, rcps: denyEverything },
    expected: 'allowed',
  },
  {
    name: 'without RCPFullAWSAccess nothing passes the RCP gate on S3 (implicit deny)',
    principal: ROLE,
    action: 's3:GetObject',
    resource: BUCKET_OBJECT,
    context: { 'aws:PrincipalOrgID': 'o-mine', 'aws:PrincipalIsAWSService': 'false' },
    sets: { identity: allowAll, rcps: onlyDenies },
    expected: 'implicit-deny',
    blockedBy: ['rcp'],
  },
  {
    name: 'RCPs restrict service principals, unlike SCPs',
    principal: 'cloudtrail.amazonaws.com',
    action: 's3:PutObject',
    resource: BUCKET_OBJECT,
    sets: { resource: bucketGrantsService, rcps: denyEverything, scps: [] },
    expected: 'explicit-deny',
    blockedBy: ['rcp'],
  },
  {
    name: 'RCPs do not restrict service-linked roles',
    principal: SERVICE_LINKED,
    action: 's3:GetObject',
    resource: BUCKET_OBJECT,
    sets: { identity: allowAll, rcps: denyEverything },
    expected: 'allowed',
  },
  {
    name: 'a KMS key is covered',
    principal: ROLE,
    action: 'kms:Decrypt',
    resource: `arn:aws:kms:us-east-1:${A}:key/k1`,
    sets: {
      identity: allowAll,
      resource: compilePolicy(
        {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:root` }, Action: 'kms:*', Resource: '*' },
          ],
        },
        'key',
        'resource',
      ),
      rcps: denyEverything,
    },
    expected: 'explicit-deny',
    blockedBy: ['rcp'],
  },
];

for (const c of cases) {
  test(`RCP: ${c.name}`, () => {
    const d = evaluate(
      { principal: c.principal, action: c.action, resource: c.resource, context: c.context },
      c.sets,
    );
    assert.equal(d.decision, c.expected);
    if (c.blockedBy) assert.deepEqual(d.blockedBy, c.blockedBy);
  });
}

test('RCP: the denial names a resource control policy, as AWS words it', () => {
  const d = evaluate(
    { principal: ROLE, action: 's3:GetObject', resource: BUCKET_OBJECT },
    { identity: allowAll, rcps: denyEverything },
  );
  assert.match(
    denialMessage(ROLE, 's3:GetObject', BUCKET_OBJECT, d, 's3'),
    /with an explicit deny in a resource control policy$/,
  );
});

const invalid: [what: string, statement: Record<string, unknown>, pointer: string][] = [
  [
    'an Allow other than RCPFullAWSAccess',
    { ...FULL_ACCESS, Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
    '/Statement/0/Effect',
  ],
  ['an Allow on one action', { ...FULL_ACCESS, Action: 's3:GetObject' }, '/Statement/0/Effect'],
  [
    'NotAction',
    { Effect: 'Deny', Principal: '*', NotAction: 's3:GetObject', Resource: '*' },
    '/Statement/0/NotAction',
  ],
  [
    'NotPrincipal',
    { Effect: 'Deny', NotPrincipal: { AWS: A }, Action: '*', Resource: '*' },
    '/Statement/0/NotPrincipal',
  ],
  ['no Principal', { Effect: 'Deny', Action: '*', Resource: '*' }, '/Statement/0/Principal'],
];
for (const [what, statement, pointer] of invalid) {
  test(`RCP: ${what} is refused, naming the field`, () => {
    assert.throws(
      () => compilePolicy({ Version: '2012-10-17', Statement: [statement] }, 'rcp', 'rcp'),
      (e: unknown) => e instanceof PolicyValidationError && e.pointer === pointer,
    );
  });
}

test('RCP: a simulation case takes resourceControlPolicies', () => {
  const { request, sets } = parseCase({
    request: { principal: ROLE, action: 's3:GetObject', resource: BUCKET_OBJECT },
    identityPolicies: [
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    ],
    resourceControlPolicies: [
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }],
      },
    ],
  });
  assert.equal(evaluate(request, sets).decision, 'explicit-deny');
});
