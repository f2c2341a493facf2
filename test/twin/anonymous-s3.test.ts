/**
 * Unsigned S3 requests are evaluated as the anonymous principal, as S3 does: a bucket policy may
 * grant everyone ("*") — through one VPC endpoint, say — and Block Public Access's
 * RestrictPublicBuckets (on by default) keeps anonymous callers out of a bucket whose policy is
 * public. Other services still refuse unsigned requests.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Twin } from '../../src/twin/twin.ts';
import { s3ClientAs, startTemplateTwin, vpcWithFunction, type TemplateTwin } from './template-twin.ts';
import { sendInternal } from '../../src/twin/internal-request.ts';
import { bootCaller } from '../../src/twin/boot.ts';
import { GetObjectCommand } from '@aws-sdk/client-s3';

const readAll = (bucket: string, condition = '') => `
  ${bucket}Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref ${bucket}
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: s3:GetObject
            Resource: !Sub '\${${bucket}.Arn}/*'
${condition}`;

const TEMPLATE = `
Resources:${vpcWithFunction()}
  ViaEndpoint: {Type: AWS::S3::Bucket, Properties: {BucketName: anon-via-endpoint}}
${readAll('ViaEndpoint', "            Condition: {StringEquals: {'aws:SourceVpce': !Ref S3Endpoint}}")}
  # Block Public Access with RestrictPublicBuckets alone: the public policy is accepted (BlockPublicPolicy,
  # off here, would refuse it) and anonymous callers are kept out.
  PublicBlocked:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: anon-public-blocked
      PublicAccessBlockConfiguration: {RestrictPublicBuckets: true}
${readAll('PublicBlocked')}
  PublicOpen:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: anon-public-open
      PublicAccessBlockConfiguration: {BlockPublicAcls: false, BlockPublicPolicy: false, IgnorePublicAcls: false, RestrictPublicBuckets: false}
${readAll('PublicOpen')}
  NoPolicy: {Type: AWS::S3::Bucket, Properties: {BucketName: anon-no-policy}}
`;

let twin: Twin;
let running: TemplateTwin | undefined;

before(async () => {
  running = await startTemplateTwin(TEMPLATE, 'twin-anonymous-s3-');
  twin = running.twin;
  const s3 = twin.plugins.find((p) => p.service === 's3');
  assert.ok(s3);
  for (const bucket of ['anon-via-endpoint', 'anon-public-blocked', 'anon-public-open', 'anon-no-policy']) {
    const reply = await sendInternal(s3, bootCaller(twin.model.accountId), {
      method: 'PUT',
      url: `https://s3.us-east-1.amazonaws.com/${bucket}/page.html`,
      headers: { 'content-type': 'text/html', 'content-length': '5' },
      body: Buffer.from('hello'),
    });
    assert.equal(reply.status, 200, reply.body.toString());
  }
});

after(async () => {
  await running?.stop();
});

/** Where the unsigned GET comes from, which bucket, and what S3 answers (status, error code). */
const CASES: Array<[string, 'workload' | 'internet', string, number, string?]> = [
  ['through the VPC endpoint the policy names', 'workload', 'anon-via-endpoint', 200],
  ['from outside the VPC, to the endpoint-only bucket', 'internet', 'anon-via-endpoint', 403, 'AccessDenied'],
  ['a public policy under RestrictPublicBuckets', 'internet', 'anon-public-blocked', 403, 'AccessDenied'],
  [
    'a public policy under RestrictPublicBuckets, from the VPC',
    'workload',
    'anon-public-blocked',
    403,
    'AccessDenied',
  ],
  ['a public policy with RestrictPublicBuckets off', 'internet', 'anon-public-open', 200],
  ['no bucket policy', 'workload', 'anon-no-policy', 403, 'AccessDenied'],
  // A bucket that does not exist is 404 to everyone, before any policy (anonymous probes tell
  // "no such bucket" from "not yours" on AWS too).
  ['a bucket that does not exist, from outside', 'internet', 'anon-nowhere', 404, 'NoSuchBucket'],
  ['a bucket that does not exist, through the endpoint', 'workload', 'anon-nowhere', 404, 'NoSuchBucket'],
];

describe('unsigned S3 requests', () => {
  for (const [what, from, bucket, status, code] of CASES) {
    it(`${what}: ${status}`, async () => {
      const entry = from === 'internet' ? twin.state.internet.endpoint : twin.state.workloads.Fn.endpoint;
      const response = await fetch(`${entry}/${bucket}/page.html`, {
        headers: { host: 's3.us-east-1.amazonaws.com' },
      });
      const body = await response.text();
      assert.equal(response.status, status, body);
      if (status === 200) assert.equal(body, 'hello');
      else assert.match(body, new RegExp(`<Code>${code}</Code>`));
    });
  }

  it('a signed caller without S3 permissions: 404 NoSuchBucket for a missing bucket, 403 for an existing one', async () => {
    const s3 = s3ClientAs(twin, 'Fn');
    const missing = await s3
      .send(new GetObjectCommand({ Bucket: 'anon-nowhere', Key: 'page.html' }))
      .catch((e) => e);
    assert.equal(missing.name, 'NoSuchBucket');
    assert.equal(missing.$metadata.httpStatusCode, 404);
    const existing = await s3
      .send(new GetObjectCommand({ Bucket: 'anon-no-policy', Key: 'page.html' }))
      .catch((e) => e);
    assert.equal(existing.name, 'AccessDenied');
    s3.destroy();
  });

  it('RestrictPublicBuckets turned on at run time keeps anonymous callers out from then on', async () => {
    const url = `${twin.state.internet.endpoint}/anon-public-open/page.html`;
    const headers = { host: 's3.us-east-1.amazonaws.com' };
    assert.equal((await fetch(url, { headers })).status, 200);
    const s3 = twin.plugins.find((p) => p.service === 's3');
    assert.ok(s3);
    const reply = await sendInternal(s3, bootCaller(twin.model.accountId), {
      method: 'PUT',
      url: 'https://s3.us-east-1.amazonaws.com/anon-public-open?publicAccessBlock',
      headers: { 'content-type': 'application/xml' },
      body: Buffer.from(
        '<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>',
      ),
    });
    assert.equal(reply.status, 200, reply.body.toString());
    const after = await fetch(url, { headers });
    assert.equal(after.status, 403);
    assert.match(await after.text(), /<Code>AccessDenied<\/Code>/);
  });

  it('Secrets Manager still refuses an unsigned request', async () => {
    // From the internet entry: this VPC has no path to Secrets Manager (no endpoint, no NAT).
    const response = await fetch(twin.state.internet.endpoint, {
      method: 'POST',
      headers: {
        host: 'secretsmanager.us-east-1.amazonaws.com',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.GetSecretValue',
      },
      body: JSON.stringify({ SecretId: 'any' }),
    });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /MissingAuthenticationToken/);
  });
});
