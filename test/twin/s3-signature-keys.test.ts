/**
 * Bucket policies on how a request was signed, through the twin: AWS's own example policies —
 * refuse presigned URLs whose signature is more than ten minutes old (s3:signatureAge), refuse
 * uploads whose payload is not signed (s3:x-amz-content-sha256 = UNSIGNED-PAYLOAD).
 * https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Twin } from '../../src/twin/twin.ts';
import { s3ClientAs, startTemplateTwin, vpcWithFunction, type TemplateTwin } from './template-twin.ts';

const TEMPLATE = `
Resources:${vpcWithFunction(`        - PolicyName: objects
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - {Effect: Allow, Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::sig-keys/*'}`)}
  Bucket: {Type: AWS::S3::Bucket, Properties: {BucketName: sig-keys}}
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: NoOldPresignedUrls
            Effect: Deny
            Principal: '*'
            Action: 's3:*'
            Resource: 'arn:aws:s3:::sig-keys/*'
            Condition: {NumericGreaterThan: {'s3:signatureAge': 600000}}
          - Sid: NoUnsignedUploads
            Effect: Deny
            Principal: '*'
            Action: 's3:PutObject'
            Resource: 'arn:aws:s3:::sig-keys/*'
            Condition: {StringEquals: {'s3:x-amz-content-sha256': UNSIGNED-PAYLOAD}}
`;

let running: TemplateTwin;
let twin: Twin;

before(async () => {
  running = await startTemplateTwin(TEMPLATE, 'twin-s3-signature-keys-');
  twin = running.twin;
  const s3 = s3ClientAs(twin, 'Fn');
  await s3.send(new PutObjectCommand({ Bucket: 'sig-keys', Key: 'a.txt', Body: 'hello' }));
  s3.destroy();
});

after(async () => {
  await running?.stop();
});

function signer(): SignatureV4 {
  const w = twin.state.workloads.Fn;
  return new SignatureV4({
    service: 's3',
    region: twin.state.region,
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
    credentials: {
      accessKeyId: w.accessKeyId,
      secretAccessKey: w.secretAccessKey,
      sessionToken: w.sessionToken,
    },
  });
}

function entry(): URL {
  return new URL(twin.state.workloads.Fn.endpoint);
}

async function presignedGet(signedMinutesAgo: number): Promise<Response> {
  const url = entry();
  const request = {
    method: 'GET',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/sig-keys/a.txt',
    query: {},
    // As @aws-sdk/s3-request-presigner does: the payload is declared unsigned, the header not sent.
    headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
  };
  const out = await signer().presign(request, {
    signingDate: new Date(Date.now() - signedMinutesAgo * 60_000),
    expiresIn: 3600,
    unsignableHeaders: new Set(['x-amz-content-sha256']),
  });
  const query = new URLSearchParams(out.query as Record<string, string>).toString();
  return fetch(`${url.origin}${out.path}?${query}`);
}

async function signedPut(payloadHash: string, body: string): Promise<Response> {
  const url = entry();
  const request = {
    method: 'PUT',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: '/sig-keys/b.txt',
    query: {},
    headers: { host: url.host, 'x-amz-content-sha256': payloadHash },
    body,
  };
  const out = await signer().sign(request);
  return fetch(`${url.origin}${out.path}`, { method: 'PUT', headers: out.headers, body });
}

describe("AWS's example policies on signature condition keys, enforced by the twin", () => {
  it('a presigned URL signed just now is served', async () => {
    const res = await presignedGet(0);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(await res.text(), 'hello');
  });

  it('the same URL signed 11 minutes ago (still unexpired) is denied: s3:signatureAge > 600000', async () => {
    const res = await presignedGet(11);
    assert.equal(res.status, 403);
    assert.match(
      await res.text(),
      /<Code>AccessDenied<\/Code>.*with an explicit deny in a resource-based policy/,
    );
  });

  it('an upload with an UNSIGNED-PAYLOAD is denied; the same upload with its SHA-256 is stored', async () => {
    const unsigned = await signedPut('UNSIGNED-PAYLOAD', 'data');
    assert.equal(unsigned.status, 403);
    assert.match(
      await unsigned.text(),
      /<Code>AccessDenied<\/Code>.*with an explicit deny in a resource-based policy/,
    );
    const hash = createHash('sha256').update('data').digest('hex');
    const signed = await signedPut(hash, 'data');
    assert.equal(signed.status, 200, await signed.text());
  });
});
