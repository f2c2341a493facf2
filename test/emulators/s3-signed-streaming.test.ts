/**
 * STREAMING-AWS4-HMAC-SHA256-PAYLOAD uploads (each chunk signed, chained from the seed
 * signature) through SigV4 verification into the S3 plugin; a tampered chunk is refused.
 */
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, it } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_CREDENTIALS } from './serve.ts';
import { startHarness, type Harness } from './helpers.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
  await h.emulators.s3.ensureBucket({ name: 'uploads' });
});
after(() => h.close());

const sha = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** Builds a signed aws-chunked request for `data`, as the AWS docs describe it. */
async function signedStreamingPut(
  key: string,
  data: Buffer,
  chunkSize: number,
): Promise<{ headers: Record<string, string>; body: Buffer; path: string }> {
  const url = new URL(h.served.endpoint);
  const path = `/uploads/${key}`;
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize));
  chunks.push(Buffer.alloc(0));
  const frameLength = (size: number): number =>
    size.toString(16).length + ';chunk-signature='.length + 64 + 2 + size + 2;
  const contentLength = chunks.reduce((sum, c) => sum + frameLength(c.length), 0);
  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    sha256: Sha256,
    uriEscapePath: false,
  });
  const signed = await signer.sign({
    method: 'PUT',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: {},
    headers: {
      host: url.host,
      'content-encoding': 'aws-chunked',
      'content-length': String(contentLength),
      'x-amz-decoded-content-length': String(data.length),
      'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
    },
  });
  const headers = signed.headers as Record<string, string>;
  const amzDate = headers['x-amz-date'];
  const scope = `${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request`;
  const signingKey = hmac(
    hmac(hmac(hmac(`AWS4${TEST_CREDENTIALS.secretAccessKey}`, amzDate.slice(0, 8)), 'us-east-1'), 's3'),
    'aws4_request',
  );
  let previous = /Signature=([0-9a-f]{64})/.exec(headers.authorization)?.[1] ?? '';
  const frames = chunks.map((chunk) => {
    const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previous, sha(''), sha(chunk)].join('\n');
    previous = hmac(signingKey, toSign).toString('hex');
    return Buffer.concat([
      Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`),
      chunk,
      Buffer.from('\r\n'),
    ]);
  });
  return { headers, body: Buffer.concat(frames), path };
}

async function send(request: {
  headers: Record<string, string>;
  body: Buffer;
  path: string;
}): Promise<{ status: number; text: string }> {
  const response = await fetch(`${h.served.endpoint}${request.path}`, {
    method: 'PUT',
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, text: await response.text() };
}

it('stores a signed aws-chunked upload byte-exact after checking every chunk signature', async () => {
  const data = Buffer.alloc(200_000);
  for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 0xff;
  const response = await send(await signedStreamingPut('signed.bin', data, 65_536));
  assert.equal(response.status, 200, response.text);
  const s3 = new S3Client({ ...h.clientConfig(), forcePathStyle: true });
  const got = await s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'signed.bin' }));
  assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data));
  s3.destroy();
});

it('refuses the upload when one chunk was altered in transit: SignatureDoesNotMatch, nothing stored', async () => {
  const request = await signedStreamingPut('tampered.bin', Buffer.alloc(100_000, 1), 65_536);
  const at = request.body.indexOf(Buffer.from('\r\n')) + 2 + 10;
  request.body[at] ^= 0xff;
  const response = await send(request);
  assert.equal(response.status, 403);
  assert.match(response.text, /<Code>SignatureDoesNotMatch<\/Code>/);
  const s3 = new S3Client({ ...h.clientConfig(), forcePathStyle: true });
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'tampered.bin' })), {
    name: 'NoSuchKey',
  });
  s3.destroy();
});
