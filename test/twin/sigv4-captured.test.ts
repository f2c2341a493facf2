/**
 * SigV4 verification of requests made by the real SDK v3 clients, captured on a loopback
 * server exactly as they arrived (headers, raw path and query, body bytes), then tampered.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { ServiceRequest } from '../../src/emulators/plugin.ts';
import { decodeAwsChunked } from '../../src/emulators/s3/aws-chunked.ts';
import { verifySigV4, type LookupSecret } from '../../src/twin/sigv4/verify.ts';

const credentials = { accessKeyId: 'AKIDCAPTURED', secretAccessKey: 'captured/secret+key' };
const lookup: LookupSecret = (akid) =>
  akid === credentials.accessKeyId
    ? {
        secretAccessKey: credentials.secretAccessKey,
        principalArn: 'arn:aws:iam::123456789012:role/r',
        accountId: '123456789012',
      }
    : undefined;

let server: http.Server;
let endpoint: string;
const captured: ServiceRequest[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      captured.push({
        method: req.method ?? '',
        url: new URL(req.url ?? '/', `http://${req.headers.host}`),
        headers,
        body: Buffer.concat(chunks),
      });
      const json = (req.headers['content-type'] ?? '').includes('json');
      res.writeHead(200, { 'content-type': json ? 'application/x-amz-json-1.1' : 'application/xml' });
      res.end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function capture(send: () => Promise<unknown>): Promise<ServiceRequest> {
  const before = captured.length;
  await send().catch(() => undefined); // the empty answers may not parse; the request is what matters
  assert.ok(captured.length > before, 'the client sent a request');
  return captured[before];
}

const config = (): { region: string; endpoint: string; credentials: typeof credentials } => ({
  region: 'eu-west-1',
  endpoint,
  credentials,
});

const clients: Array<[string, string, () => Promise<unknown>]> = [
  [
    'S3 PutObject (flexible CRC32 checksum header)',
    's3',
    () =>
      new S3Client({ ...config(), forcePathStyle: true }).send(
        new PutObjectCommand({ Bucket: 'images', Key: 'a b/ü+x.txt', Body: 'hello' }),
      ),
  ],
  [
    'S3 PutObject streamed (aws-chunked, STREAMING-UNSIGNED-PAYLOAD-TRAILER)',
    's3',
    () =>
      new S3Client({ ...config(), forcePathStyle: true }).send(
        new PutObjectCommand({
          Bucket: 'images',
          Key: 'stream.bin',
          Body: Readable.from([Buffer.alloc(100_000, 7)]),
          ContentLength: 100_000,
        }),
      ),
  ],
  [
    'S3 GetObject',
    's3',
    () =>
      new S3Client({ ...config(), forcePathStyle: true }).send(
        new GetObjectCommand({ Bucket: 'images', Key: "it's (1).png" }),
      ),
  ],
  [
    'S3 ListObjectsV2 with query',
    's3',
    () =>
      new S3Client({ ...config(), forcePathStyle: true }).send(
        new ListObjectsV2Command({ Bucket: 'images', Prefix: 'a b+c/', Delimiter: '/' }),
      ),
  ],
  [
    'DynamoDB GetItem',
    'dynamodb',
    () =>
      new DynamoDBClient(config()).send(new GetItemCommand({ TableName: 'Orders', Key: { id: { S: '1' } } })),
  ],
  [
    'Secrets Manager GetSecretValue',
    'secretsmanager',
    () => new SecretsManagerClient(config()).send(new GetSecretValueCommand({ SecretId: 'prod/api-key' })),
  ],
  [
    'KMS Encrypt',
    'kms',
    () => new KMSClient(config()).send(new EncryptCommand({ KeyId: 'alias/x', Plaintext: Buffer.from('p') })),
  ],
];

describe('SigV4: requests captured from real SDK v3 clients', () => {
  for (const [name, service, send] of clients) {
    it(`verifies ${name}`, async () => {
      const request = await capture(send);
      const result = verifySigV4(request, lookup, new Date());
      assert.ok(result.ok, result.ok ? '' : `${result.code}: ${result.message}`);
      assert.equal(result.service, service);
      assert.equal(result.region, 'eu-west-1');
    });

    it(`refuses ${name} with one signed header changed`, async () => {
      const request = await capture(send);
      const tampered = {
        ...request,
        headers: {
          ...request.headers,
          'x-amz-date': request.headers['x-amz-date'].replace(/\d(Z)$/, (d) => `${(Number(d[0]) + 1) % 10}Z`),
        },
      };
      const result = verifySigV4(tampered, lookup, new Date());
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.code, 'SignatureDoesNotMatch');
    });
  }

  it('JSON bodies are covered by the signature: one changed byte is SignatureDoesNotMatch', async () => {
    const request = await capture(clients[4][2]);
    const body = Buffer.from(request.body);
    body[body.indexOf('1')] = '2'.charCodeAt(0);
    const result = verifySigV4({ ...request, body }, lookup, new Date());
    assert.equal(result.ok ? 'ok' : result.code, 'SignatureDoesNotMatch');
  });

  it('the streamed upload decodes to the bytes sent, with its CRC32 trailer', async () => {
    const request = await capture(clients[1][2]);
    assert.equal(request.headers['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    const decoded = decodeAwsChunked(request.body, request.headers['x-amz-content-sha256'], undefined);
    assert.ok(decoded.data.equals(Buffer.alloc(100_000, 7)));
    assert.ok(decoded.trailers['x-amz-checksum-crc32']);
  });
});
