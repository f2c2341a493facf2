import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompiledPolicy, PolicyKind, PolicySets } from '../../src/policy/index.ts';
import { compilePolicy, defaultEndpointPolicy, evaluate } from '../../src/policy/index.ts';

const A = '111122223333';
const B = '444455556666';
const ROLE = `arn:aws:iam::${A}:role/app/order`;
const SESSION = `arn:aws:sts::${A}:assumed-role/order/order-fn`;
const USER = `arn:aws:iam::${A}:user/alice`;
const TABLE = `arn:aws:dynamodb:us-east-1:${A}:table/orders`;
const BUCKET_OBJ = 'arn:aws:s3:::securecart-images/p/1.jpg';

type Stmt = Record<string, unknown>;
let n = 0;
function pol(kind: PolicyKind, ...statements: Stmt[]): CompiledPolicy {
  return compilePolicy({ Version: '2012-10-17', Statement: statements }, `${kind}-${n++}`, kind);
}
const allow = (action: string, resource = '*', extra: Stmt = {}): Stmt => ({
  Effect: 'Allow',
  Action: action,
  Resource: resource,
  ...extra,
});
const deny = (action: string, resource = '*', extra: Stmt = {}): Stmt => ({
  Effect: 'Deny',
  Action: action,
  Resource: resource,
  ...extra,
});
const AWS = (...arns: string[]): Stmt => ({ Principal: { AWS: arns } });

function decide(
  principal: string,
  action: string,
  resource: string,
  sets: PolicySets,
  context = {},
  resourceAccount?: string,
) {
  return evaluate({ principal, action, resource, context, resourceAccount }, sets);
}

test('identity allow alone grants in the same account', () => {
  const d = decide(SESSION, 'dynamodb:PutItem', TABLE, {
    identity: [pol('identity', allow('dynamodb:PutItem', TABLE))],
  });
  assert.equal(d.decision, 'allowed');
  assert.deepEqual(d.blockedBy, []);
  assert.equal(d.matched.length, 1);
});

test('nothing allows: implicit deny blamed on identity', () => {
  const d = decide(SESSION, 'dynamodb:PutItem', TABLE, {
    identity: [pol('identity', allow('dynamodb:GetItem', TABLE))],
  });
  assert.deepEqual([d.decision, d.blockedBy, d.matched], ['implicit-deny', ['identity'], []]);
});

test('actions are case-insensitive, resources are not', () => {
  const id = pol('identity', allow('DynamoDB:putitem', TABLE));
  assert.equal(decide(SESSION, 'dynamodb:PutItem', TABLE, { identity: [id] }).decision, 'allowed');
  assert.equal(
    decide(SESSION, 'dynamodb:PutItem', TABLE.toUpperCase(), { identity: [id] }).decision,
    'implicit-deny',
  );
});

test('explicit deny in any policy wins, and says which', () => {
  const id = pol('identity', allow('s3:*'));
  const bucket = pol(
    'resource',
    deny('s3:GetObject', 'arn:aws:s3:::securecart-images/*', { Principal: '*', Sid: 'NoReads' }),
  );
  const d = decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [id], resource: bucket }, {}, A);
  assert.equal(d.decision, 'explicit-deny');
  assert.deepEqual(d.blockedBy, ['resource']);
  assert.deepEqual(
    d.matched.find((m) => m.effect === 'Deny'),
    { policy: bucket.name, statement: 0, sid: 'NoReads', effect: 'Deny' },
  );
});

test('same account: a resource policy naming the role grants without an identity policy', () => {
  const bucket = pol('resource', allow('s3:GetObject', 'arn:aws:s3:::securecart-images/*', AWS(ROLE)));
  assert.equal(decide(SESSION, 's3:GetObject', BUCKET_OBJ, { resource: bucket }, {}, A).decision, 'allowed');
});

test('same account: an account principal delegates to IAM and does not grant by itself', () => {
  for (const who of [A, `arn:aws:iam::${A}:root`]) {
    const bucket = pol('resource', allow('s3:GetObject', 'arn:aws:s3:::securecart-images/*', AWS(who)));
    const d = decide(SESSION, 's3:GetObject', BUCKET_OBJ, { resource: bucket }, {}, A);
    assert.deepEqual([d.decision, d.blockedBy], ['implicit-deny', ['identity']], who);
    const withIdentity = decide(
      SESSION,
      's3:GetObject',
      BUCKET_OBJ,
      { resource: bucket, identity: [pol('identity', allow('s3:GetObject'))] },
      {},
      A,
    );
    assert.equal(withIdentity.decision, 'allowed');
  }
});

test('cross-account: both identity and resource policy must allow', () => {
  const other = `arn:aws:sts::${B}:assumed-role/reader/s`;
  const id = pol('identity', allow('s3:GetObject'));
  const bucket = pol('resource', allow('s3:GetObject', 'arn:aws:s3:::securecart-images/*', AWS(B)));
  assert.equal(
    decide(other, 's3:GetObject', BUCKET_OBJ, { identity: [id], resource: bucket }, {}, A).decision,
    'allowed',
  );
  assert.deepEqual(decide(other, 's3:GetObject', BUCKET_OBJ, { identity: [id] }, {}, A).blockedBy, [
    'resource',
  ]);
  assert.deepEqual(decide(other, 's3:GetObject', BUCKET_OBJ, { resource: bucket }, {}, A).blockedBy, [
    'identity',
  ]);
  // The account of the resource comes from its ARN when it has one.
  const table = `arn:aws:dynamodb:us-east-1:${A}:table/t`;
  assert.deepEqual(
    decide(other, 'dynamodb:GetItem', table, { identity: [pol('identity', allow('dynamodb:*'))] }).blockedBy,
    ['resource'],
  );
});

test('endpoint policy: absent = not through an endpoint; present must allow; default allows all', () => {
  const id = pol('identity', allow('dynamodb:*'));
  const ep = pol('endpoint', allow('dynamodb:GetItem', '*', { Principal: '*' }));
  assert.equal(decide(SESSION, 'dynamodb:PutItem', TABLE, { identity: [id] }).decision, 'allowed');
  const d = decide(SESSION, 'dynamodb:PutItem', TABLE, { identity: [id], endpoints: [ep] });
  assert.deepEqual([d.decision, d.blockedBy], ['implicit-deny', ['endpoint']]);
  assert.equal(
    decide(SESSION, 'dynamodb:PutItem', TABLE, { identity: [id], endpoints: [defaultEndpointPolicy()] })
      .decision,
    'allowed',
  );
  // An endpoint policy never grants on its own.
  assert.deepEqual(decide(SESSION, 'dynamodb:GetItem', TABLE, { endpoints: [ep] }).blockedBy, ['identity']);
});

test('endpoint policy principals: only the named role passes', () => {
  const id = pol('identity', allow('s3:*'));
  const ep = pol('endpoint', allow('s3:*', '*', AWS(ROLE)));
  assert.equal(
    decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [id], endpoints: [ep] }, {}, A).decision,
    'allowed',
  );
  const other = `arn:aws:sts::${A}:assumed-role/payment/fn`;
  assert.deepEqual(
    decide(other, 's3:GetObject', BUCKET_OBJ, { identity: [id], endpoints: [ep] }, {}, A).blockedBy,
    ['endpoint'],
  );
});

test('SCPs must allow; an SCP deny is explicit', () => {
  const id = pol('identity', allow('s3:*'));
  const full = pol('scp', allow('*'));
  const noS3 = pol('scp', deny('s3:*'));
  assert.equal(
    decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [id], scps: [full] }, {}, A).decision,
    'allowed',
  );
  assert.deepEqual(
    decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [id], scps: [pol('scp', allow('ec2:*'))] }, {}, A)
      .blockedBy,
    ['scp'],
  );
  const d = decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [id], scps: [full, noS3] }, {}, A);
  assert.deepEqual([d.decision, d.blockedBy], ['explicit-deny', ['scp']]);
  // SCPs limit resource-policy grants too.
  const bucket = pol('resource', allow('s3:GetObject', '*', AWS(ROLE)));
  assert.deepEqual(
    decide(
      SESSION,
      's3:GetObject',
      BUCKET_OBJ,
      { resource: bucket, scps: [pol('scp', allow('ec2:*'))] },
      {},
      A,
    ).blockedBy,
    ['scp'],
  );
});

test('permission boundary limits identity grants', () => {
  const id = pol('identity', allow('s3:*'));
  const boundary = pol('boundary', allow('dynamodb:*'));
  const d = decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [id], boundaries: [boundary] }, {}, A);
  assert.deepEqual([d.decision, d.blockedBy], ['implicit-deny', ['boundary']]);
  assert.equal(
    decide(SESSION, 'dynamodb:GetItem', TABLE, {
      identity: [pol('identity', allow('dynamodb:*'))],
      boundaries: [boundary],
    }).decision,
    'allowed',
  );
});

test('boundary and resource policies: user/session ARN grants pass, role ARN grants are limited', () => {
  const boundary = pol('boundary', allow('dynamodb:*'));
  const byUser = pol('resource', allow('s3:GetObject', '*', AWS(USER)));
  assert.equal(
    decide(USER, 's3:GetObject', BUCKET_OBJ, { resource: byUser, boundaries: [boundary] }, {}, A).decision,
    'allowed',
  );
  const bySession = pol('resource', allow('s3:GetObject', '*', AWS(SESSION)));
  assert.equal(
    decide(SESSION, 's3:GetObject', BUCKET_OBJ, { resource: bySession, boundaries: [boundary] }, {}, A)
      .decision,
    'allowed',
  );
  const byRole = pol('resource', allow('s3:GetObject', '*', AWS(ROLE)));
  const d = decide(SESSION, 's3:GetObject', BUCKET_OBJ, { resource: byRole, boundaries: [boundary] }, {}, A);
  assert.deepEqual([d.decision, d.blockedBy], ['implicit-deny', ['boundary']]);
});

test('session policy limits identity and role-ARN grants but not session-ARN grants', () => {
  const id = pol('identity', allow('s3:*'));
  const session = pol('session', allow('dynamodb:*'));
  assert.deepEqual(
    decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [id], session }, {}, A).blockedBy,
    ['session'],
  );
  const bySession = pol('resource', allow('s3:GetObject', '*', AWS(SESSION)));
  assert.equal(
    decide(SESSION, 's3:GetObject', BUCKET_OBJ, { resource: bySession, session }, {}, A).decision,
    'allowed',
  );
  const byRole = pol('resource', allow('s3:GetObject', '*', AWS(ROLE)));
  assert.deepEqual(
    decide(SESSION, 's3:GetObject', BUCKET_OBJ, { resource: byRole, session }, {}, A).blockedBy,
    ['session'],
  );
});

test('KMS: the key policy is required and must delegate for identity policies to count', () => {
  const key = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const id = pol('identity', allow('kms:Decrypt', key));
  const delegating = pol('resource', allow('kms:*', '*', AWS(`arn:aws:iam::${A}:root`)));
  const keyOnly = pol('resource', allow('kms:*', '*', AWS(`arn:aws:iam::${A}:role/admin`)));
  assert.equal(
    decide(SESSION, 'kms:Decrypt', key, { identity: [id], resource: delegating }).decision,
    'allowed',
  );
  const ignored = decide(SESSION, 'kms:Decrypt', key, { identity: [id], resource: keyOnly });
  assert.deepEqual([ignored.decision, ignored.blockedBy], ['implicit-deny', ['resource']]);
  assert.deepEqual(decide(SESSION, 'kms:Decrypt', key, { identity: [id] }).blockedBy, ['resource']);
  const direct = pol('resource', allow('kms:Decrypt', '*', AWS(ROLE)));
  assert.equal(decide(SESSION, 'kms:Decrypt', key, { resource: direct }).decision, 'allowed');
  assert.deepEqual(decide(SESSION, 'kms:Decrypt', key, { resource: delegating }).blockedBy, ['identity']);
});

test('service principals and anonymous callers rely on the resource policy', () => {
  const bucket = pol(
    'resource',
    allow('s3:PutObject', '*', { Principal: { Service: 'logging.s3.amazonaws.com' } }),
  );
  assert.equal(
    decide('logging.s3.amazonaws.com', 's3:PutObject', BUCKET_OBJ, { resource: bucket }, {}, A).decision,
    'allowed',
  );
  assert.deepEqual(decide('anonymous', 's3:PutObject', BUCKET_OBJ, { resource: bucket }, {}, A).blockedBy, [
    'resource',
  ]);
  const pub = pol('resource', allow('s3:GetObject', '*', { Principal: '*' }));
  assert.equal(decide('anonymous', 's3:GetObject', BUCKET_OBJ, { resource: pub }, {}, A).decision, 'allowed');
});

test('NotAction, NotResource and NotPrincipal', () => {
  const id = pol('identity', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
  assert.equal(decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [id] }, {}, A).decision, 'allowed');
  assert.equal(decide(SESSION, 'iam:CreateUser', '*', { identity: [id] }).decision, 'implicit-deny');
  const nr = pol(
    'identity',
    { Effect: 'Deny', Action: 's3:*', NotResource: 'arn:aws:s3:::securecart-images/*' },
    allow('s3:*'),
  );
  assert.equal(decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [nr] }, {}, A).decision, 'allowed');
  assert.equal(
    decide(SESSION, 's3:GetObject', 'arn:aws:s3:::other/x', { identity: [nr] }, {}, A).decision,
    'explicit-deny',
  );
  // NotPrincipal excludes a session only when the session, its role and the account are all listed.
  const all = pol('resource', {
    Effect: 'Deny',
    Action: 's3:*',
    Resource: '*',
    NotPrincipal: { AWS: [SESSION, ROLE, A] },
  });
  const idS3 = pol('identity', allow('s3:*'));
  assert.equal(
    decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [idS3], resource: all }, {}, A).decision,
    'allowed',
  );
  const partial = pol('resource', {
    Effect: 'Deny',
    Action: 's3:*',
    Resource: '*',
    NotPrincipal: { AWS: [SESSION] },
  });
  assert.equal(
    decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [idS3], resource: partial }, {}, A).decision,
    'explicit-deny',
  );
});

test('resource policy variables', () => {
  const id = pol('identity', allow('s3:GetObject', 'arn:aws:s3:::home/${aws:username}/*'));
  const ctx = { 'aws:username': 'alice' };
  assert.equal(
    decide(USER, 's3:GetObject', 'arn:aws:s3:::home/alice/a.txt', { identity: [id] }, ctx, A).decision,
    'allowed',
  );
  assert.equal(
    decide(USER, 's3:GetObject', 'arn:aws:s3:::home/bob/a.txt', { identity: [id] }, ctx, A).decision,
    'implicit-deny',
  );
  assert.equal(
    decide(USER, 's3:GetObject', 'arn:aws:s3:::home/alice/a.txt', { identity: [id] }, {}, A).decision,
    'implicit-deny',
  );
});

test('the account root user needs no identity policy in its own account', () => {
  assert.equal(decide(`arn:aws:iam::${A}:root`, 'dynamodb:PutItem', TABLE, {}).decision, 'allowed');
  assert.deepEqual(
    decide(`arn:aws:iam::${A}:root`, 'dynamodb:PutItem', TABLE, { scps: [pol('scp', allow('s3:*'))] })
      .blockedBy,
    ['scp'],
  );
});

test('conditions AND across keys and operators', () => {
  const id = pol(
    'identity',
    allow('s3:GetObject', '*', {
      Condition: {
        StringEquals: { 'aws:SourceVpce': 'vpce-1', 'aws:SourceVpc': 'vpc-1' },
        Bool: { 'aws:SecureTransport': 'true' },
      },
    }),
  );
  const ok = { 'aws:SourceVpce': 'vpce-1', 'aws:SourceVpc': 'vpc-1', 'aws:SecureTransport': 'true' };
  assert.equal(decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [id] }, ok, A).decision, 'allowed');
  for (const key of Object.keys(ok)) {
    const partial: Record<string, string> = { ...ok };
    delete partial[key];
    assert.equal(
      decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [id] }, partial, A).decision,
      'implicit-deny',
      key,
    );
  }
});

test('the ForAllValues bypass: an Allow guarded by ForAllValues passes when the key is missing', () => {
  const id = pol(
    'identity',
    allow('s3:PutObject', '*', { Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env'] } } }),
  );
  assert.equal(decide(SESSION, 's3:PutObject', BUCKET_OBJ, { identity: [id] }, {}, A).decision, 'allowed');
  assert.equal(
    decide(SESSION, 's3:PutObject', BUCKET_OBJ, { identity: [id] }, { 'aws:TagKeys': ['owner'] }, A).decision,
    'implicit-deny',
  );
});

test('an endpoint policy naming an account admits every principal of that account', () => {
  const ep = pol('endpoint', allow('secretsmanager:*', '*', AWS(A)));
  const id = pol('identity', allow('secretsmanager:*'));
  const secret = `arn:aws:secretsmanager:us-east-1:${A}:secret:s-AbCdEf`;
  assert.equal(
    decide(SESSION, 'secretsmanager:GetSecretValue', secret, { identity: [id], endpoints: [ep] }).decision,
    'allowed',
  );
  assert.deepEqual(
    decide(
      `arn:aws:sts::${B}:assumed-role/x/y`,
      'secretsmanager:GetSecretValue',
      `arn:aws:secretsmanager:us-east-1:${B}:secret:t`,
      { identity: [id], endpoints: [ep] },
    ).blockedBy,
    ['endpoint'],
  );
});

test('a Deny with NotPrincipal always applies to a principal with a permissions boundary', () => {
  const bucket = pol('resource', {
    Effect: 'Deny',
    Action: 's3:*',
    Resource: '*',
    NotPrincipal: { AWS: [SESSION, ROLE, A] },
  });
  const id = pol('identity', allow('s3:*'));
  const boundary = pol('boundary', allow('s3:*'));
  assert.equal(
    decide(SESSION, 's3:GetObject', BUCKET_OBJ, { identity: [id], resource: bucket }, {}, A).decision,
    'allowed',
  );
  assert.equal(
    decide(
      SESSION,
      's3:GetObject',
      BUCKET_OBJ,
      { identity: [id], resource: bucket, boundaries: [boundary] },
      {},
      A,
    ).decision,
    'explicit-deny',
  );
});
