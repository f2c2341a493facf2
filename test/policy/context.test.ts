import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequestFacts } from '../../src/policy/index.ts';
import { assumedRoleSessionArn, buildContext } from '../../src/policy/index.ts';

const A = '111122223333';
const ROLE = `arn:aws:iam::${A}:role/service-role/order`;
const base: RequestFacts = {
  principalArn: assumedRoleSessionArn(ROLE, 'order-fn'),
  principalAccount: A,
  principalRoleArn: ROLE,
  service: 's3',
  action: 's3:GetObject',
  resource: 'arn:aws:s3:::securecart-images/p.jpg',
  region: 'us-east-1',
  secureTransport: true,
  now: new Date('2026-01-01T00:00:00Z'),
  path: {
    kind: 'gateway-endpoint',
    vpcEndpointId: 'vpce-1',
    vpcId: 'vpc-1',
    vpcSourceIp: '10.0.1.5',
    vpcEndpointAccount: A,
  },
};

test('assumed-role session ARN from a role ARN (path dropped)', () => {
  assert.equal(assumedRoleSessionArn(ROLE, 'order-fn'), `arn:aws:sts::${A}:assumed-role/order/order-fn`);
  assert.throws(() => assumedRoleSessionArn(`arn:aws:iam::${A}:user/x`, 's'), /not an IAM role ARN/);
});

test('through a gateway endpoint: endpoint keys, no aws:SourceIp', () => {
  const ctx = buildContext(base);
  assert.equal(ctx['aws:SourceVpce'], 'vpce-1');
  assert.equal(ctx['aws:SourceVpc'], 'vpc-1');
  assert.equal(ctx['aws:VpcSourceIp'], '10.0.1.5');
  assert.equal(ctx['aws:VpceAccount'], A);
  assert.equal('aws:SourceIp' in ctx, false);
  assert.equal(ctx['aws:PrincipalArn'], ROLE);
  assert.equal(ctx['aws:PrincipalType'], 'AssumedRole');
  assert.match(String(ctx['aws:userid']), /^AROA[A-Z0-9]+:order-fn$/);
  assert.equal('aws:username' in ctx, false, 'aws:username is for IAM users only');
  assert.equal(ctx['aws:SecureTransport'], 'true');
  assert.equal(ctx['aws:CurrentTime'], '2026-01-01T00:00:00Z');
  assert.equal(ctx['aws:EpochTime'], '1767225600');
  assert.equal(ctx['aws:ViaAWSService'], 'false');
});

test('through NAT: aws:SourceIp only, no endpoint keys', () => {
  const ctx = buildContext({
    ...base,
    path: { kind: 'nat-gateway', publicSourceIp: '203.0.113.9', vpcId: 'vpc-1' },
  });
  assert.equal(ctx['aws:SourceIp'], '203.0.113.9');
  for (const k of ['aws:SourceVpce', 'aws:SourceVpc', 'aws:VpcSourceIp', 'aws:VpceAccount'])
    assert.equal(k in ctx, false, k);
});

test('aws:VpceAccount/OrgID/OrgPaths only for services that set them', () => {
  const path = {
    kind: 'interface-endpoint' as const,
    vpcEndpointId: 'vpce-2',
    vpcId: 'vpc-1',
    vpcEndpointAccount: A,
    vpcEndpointOrgId: 'o-abc',
    vpcEndpointOrgPaths: ['o-abc/r-1/ou-1/'],
  };
  for (const service of ['secretsmanager', 'execute-api']) {
    const ctx = buildContext({ ...base, service, path });
    assert.equal(ctx['aws:SourceVpce'], 'vpce-2', service);
    for (const k of ['aws:VpceAccount', 'aws:VpceOrgID', 'aws:VpceOrgPaths'])
      assert.equal(k in ctx, false, `${service} ${k}`);
  }
  for (const service of ['s3', 'dynamodb', 'kms']) {
    const ctx = buildContext({ ...base, service, path });
    assert.equal(ctx['aws:VpceAccount'], A, service);
    assert.equal(ctx['aws:VpceOrgID'], 'o-abc', service);
    assert.deepEqual(ctx['aws:VpceOrgPaths'], ['o-abc/r-1/ou-1/'], service);
  }
});

test('IAM user: aws:username and tags', () => {
  const ctx = buildContext({
    ...base,
    principalArn: `arn:aws:iam::${A}:user/alice`,
    principalRoleArn: undefined,
    principalTags: { team: 'web' },
  });
  assert.equal(ctx['aws:username'], 'alice');
  assert.equal(ctx['aws:PrincipalType'], 'User');
  assert.equal(ctx['aws:PrincipalTag/team'], 'web');
});

test('via an AWS service: CalledVia, kms:ViaService, and no VPC keys', () => {
  const ctx = buildContext({
    ...base,
    service: 'kms',
    action: 'kms:Decrypt',
    resource: `arn:aws:kms:us-east-1:${A}:key/k`,
    viaService: 'secretsmanager.amazonaws.com',
  });
  assert.equal(ctx['aws:ViaAWSService'], 'true');
  assert.deepEqual(ctx['aws:CalledVia'], ['secretsmanager.amazonaws.com']);
  assert.equal(ctx['kms:ViaService'], 'secretsmanager.us-east-1.amazonaws.com');
  assert.equal('aws:SourceVpce' in ctx, false);
});

test('service keys pass through; outside the VPC has no VPC keys; local has none', () => {
  const ctx = buildContext({
    ...base,
    path: { kind: 'outside-vpc', publicSourceIp: '198.51.100.1' },
    serviceKeys: { 's3:prefix': 'images/', 'dynamodb:LeadingKeys': ['u1'] },
  });
  assert.equal(ctx['s3:prefix'], 'images/');
  assert.deepEqual(ctx['dynamodb:LeadingKeys'], ['u1']);
  assert.equal(ctx['aws:SourceIp'], '198.51.100.1');
  const local = buildContext({ ...base, path: { kind: 'local' } });
  assert.equal('aws:SourceIp' in local || 'aws:SourceVpce' in local, false);
});

test('an anonymous caller: no aws:PrincipalArn, aws:PrincipalAccount "anonymous"', () => {
  const ctx = buildContext({ ...base, principalArn: 'anonymous', principalRoleArn: undefined });
  // IAM's global condition keys: PrincipalArn "Anonymous requests do not include this key";
  // PrincipalAccount "For anonymous requests, the request context returns anonymous".
  assert.equal('aws:PrincipalArn' in ctx, false);
  assert.equal(ctx['aws:PrincipalAccount'], 'anonymous');
  assert.equal('aws:username' in ctx, false);
  // The same principal signed in again is not confused with the anonymous one (memoized keys).
  assert.equal(buildContext(base)['aws:PrincipalAccount'], A);
});
