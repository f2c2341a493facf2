/** S3's "public policy" rule, statement shape by statement shape (docs/policy-semantics.md). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isPublicPolicy } from '../../src/policy/public-policy.ts';

const allow = (principal: unknown, condition?: unknown) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: principal,
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
      ...(condition ? { Condition: condition } : {}),
    },
  ],
});

const CASES: Array<[string, unknown, boolean]> = [
  ['everyone, no condition', allow('*'), true],
  ['{"AWS": "*"}, no condition', allow({ AWS: '*' }), true],
  ['"*" among AWS principals', allow({ AWS: ['arn:aws:iam::111122223333:root', '*'] }), true],
  ['a fixed account', allow({ AWS: 'arn:aws:iam::111122223333:root' }), false],
  ['a service principal', allow({ Service: 'cloudfront.amazonaws.com' }), false],
  [
    'everyone through one VPC endpoint',
    allow('*', { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b' } }),
    false,
  ],
  ['everyone from one VPC', allow('*', { StringEquals: { 'aws:sourcevpc': 'vpc-1a2b' } }), false],
  ['everyone from a CIDR', allow('*', { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }), false],
  [
    'everyone with a fixed SourceArn',
    allow('*', { ArnEquals: { 'aws:SourceArn': 'arn:aws:cloudfront::1:distribution/D' } }),
    false,
  ],
  [
    'everyone with a fixed SourceAccount',
    allow('*', { StringEquals: { 'aws:SourceAccount': '111122223333' } }),
    false,
  ],
  ['a wildcard endpoint id', allow('*', { StringLike: { 'aws:SourceVpce': 'vpce-*' } }), true],
  ['a policy variable', allow('*', { StringEquals: { 'aws:SourceVpce': '${aws:username}' } }), true],
  ['a negated operator', allow('*', { StringNotEquals: { 'aws:SourceVpce': 'vpce-1a2b' } }), true],
  ['…IfExists', allow('*', { StringEqualsIfExists: { 'aws:SourceVpce': 'vpce-1a2b' } }), true],
  ['a key that does not limit', allow('*', { StringEquals: { 's3:prefix': 'public/' } }), true],
  ['aws:userid "AROLEID:*"', allow('*', { StringLike: { 'aws:userid': 'AROAEXAMPLE:*' } }), true],
  [
    'Deny for everyone only',
    { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] },
    false,
  ],
  [
    'Allow with NotPrincipal',
    {
      Statement: [
        { Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::1:root' }, Action: 's3:*', Resource: '*' },
      ],
    },
    true,
  ],
  [
    'a single statement object',
    { Statement: { Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' } },
    true,
  ],
  ['no statements', { Version: '2012-10-17' }, false],
];

describe('isPublicPolicy', () => {
  for (const [what, policy, expected] of CASES) {
    it(`${what}: ${expected ? 'public' : 'not public'}`, () =>
      assert.equal(isPublicPolicy(policy), expected));
  }
});
