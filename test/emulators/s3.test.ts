import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketPolicyCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  DeletePublicAccessBlockCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { loopbackHandler, startHarness, type Harness } from './helpers.ts';

let h: Harness;
let s3: S3Client;

before(async () => {
  h = await startHarness();
  s3 = new S3Client({ ...h.clientConfig(), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'images' }));
});
after(async () => {
  s3.destroy();
  await h.close();
});

async function errorOf(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof S3ServiceException) return err;
    throw err;
  }
  assert.fail('expected the call to fail');
}

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');

describe('S3 buckets', () => {
  it('creates, heads, lists and deletes buckets', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'scratch-bucket' }));
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'scratch-bucket' }));
    assert.equal(head.BucketRegion, 'us-east-1');
    const list = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(
      list.Buckets?.map((b) => b.Name),
      ['images', 'scratch-bucket'],
    );
    assert.ok(list.Buckets?.[0].CreationDate instanceof Date);
    await s3.send(new DeleteBucketCommand({ Bucket: 'scratch-bucket' }));
    const missing = await errorOf(s3.send(new HeadBucketCommand({ Bucket: 'scratch-bucket' })));
    assert.equal(missing.$metadata.httpStatusCode, 404);
  });

  it('refuses to delete a non-empty bucket and to use a missing one', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'full-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'full-bucket', Key: 'x', Body: 'x' }));
    const notEmpty = await errorOf(s3.send(new DeleteBucketCommand({ Bucket: 'full-bucket' })));
    assert.equal(notEmpty.name, 'BucketNotEmpty');
    assert.equal(notEmpty.$metadata.httpStatusCode, 409);
    const noBucket = await errorOf(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })));
    assert.equal(noBucket.name, 'NoSuchBucket');
    const badName = await errorOf(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })));
    assert.equal(badName.name, 'InvalidBucketName');
  });

  it('stores, returns and deletes a bucket policy', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: 'arn:aws:s3:::images/*',
          Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } },
        },
      ],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'images', Policy: policy }));
    assert.equal((await s3.send(new GetBucketPolicyCommand({ Bucket: 'images' }))).Policy, policy);
    assert.equal(h.emulators.s3.resourcePolicy('arn:aws:s3:::images'), policy);
    assert.equal(h.emulators.s3.resourcePolicy('arn:aws:s3:::images/some/key'), policy);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'images' }));
    const gone = await errorOf(s3.send(new GetBucketPolicyCommand({ Bucket: 'images' })));
    assert.equal(gone.name, 'NoSuchBucketPolicy');
    const malformed = await errorOf(
      s3.send(new PutBucketPolicyCommand({ Bucket: 'images', Policy: 'not json' })),
    );
    assert.equal(malformed.name, 'MalformedPolicy');
  });

  it('refuses an ACL on a new bucket (ACLs disabled) and keeps nothing of the object', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'acl-default' }));
    const refused = await errorOf(
      s3.send(new PutObjectCommand({ Bucket: 'acl-default', Key: 'img.png', Body: 'x', ACL: 'public-read' })),
    );
    assert.equal(refused.name, 'AccessControlListNotSupported');
    assert.equal(refused.$metadata.httpStatusCode, 400);
    const absent = await errorOf(s3.send(new GetObjectCommand({ Bucket: 'acl-default', Key: 'img.png' })));
    assert.equal(absent.name, 'NoSuchKey');
    await s3.send(
      new PutObjectCommand({
        Bucket: 'acl-default',
        Key: 'img.png',
        Body: 'x',
        ACL: 'bucket-owner-full-control',
      }),
    );
  });

  it('puts, gets and deletes the Block Public Access configuration, and the refusal follows it', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bpa-api' }));
    // A new bucket has all four settings on.
    const fresh = await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'bpa-api' }));
    assert.deepEqual(fresh.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const open = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bpa-api/*' },
      ],
    });
    assert.equal(
      (await errorOf(s3.send(new PutBucketPolicyCommand({ Bucket: 'bpa-api', Policy: open })))).name,
      'AccessDenied',
    );
    // A configuration that names one setting turns the others off.
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: 'bpa-api',
        PublicAccessBlockConfiguration: { RestrictPublicBuckets: true },
      }),
    );
    const partial = await s3.send(new GetPublicAccessBlockCommand({ Bucket: 'bpa-api' }));
    assert.deepEqual(partial.PublicAccessBlockConfiguration, {
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: true,
    });
    assert.equal(h.emulators.s3.restrictsPublicAccess('arn:aws:s3:::bpa-api/any/key'), true);
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'bpa-api', Policy: open }));
    // Deleted: no configuration, every setting off.
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: 'bpa-api' }));
    const gone = await errorOf(s3.send(new GetPublicAccessBlockCommand({ Bucket: 'bpa-api' })));
    assert.equal(gone.name, 'NoSuchPublicAccessBlockConfiguration');
    assert.equal(gone.$metadata.httpStatusCode, 404);
    assert.equal(h.emulators.s3.restrictsPublicAccess('arn:aws:s3:::bpa-api'), false);
  });

  it("refuses a public policy under Block Public Access's BlockPublicPolicy, and only then", async () => {
    const publicRead = (bucket: string, condition?: object) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${bucket}/*`,
            ...(condition ? { Condition: condition } : {}),
          },
        ],
      });
    // A bucket created through the API has every Block Public Access setting on.
    await s3.send(new CreateBucketCommand({ Bucket: 'bpa-default' }));
    const refused = await errorOf(
      s3.send(new PutBucketPolicyCommand({ Bucket: 'bpa-default', Policy: publicRead('bpa-default') })),
    );
    assert.equal(refused.name, 'AccessDenied');
    assert.equal(refused.$metadata.httpStatusCode, 403);
    assert.equal(h.emulators.s3.resourcePolicy('arn:aws:s3:::bpa-default'), undefined);
    // The same grant limited to one VPC endpoint is not public: accepted.
    const limited = publicRead('bpa-default', { StringEquals: { 'aws:SourceVpce': 'vpce-0abc' } });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'bpa-default', Policy: limited }));
    assert.equal(h.emulators.s3.resourcePolicy('arn:aws:s3:::bpa-default'), limited);
    // A template bucket with BlockPublicPolicy off takes the public policy.
    await h.emulators.s3.ensureBucket({
      name: 'bpa-off',
      publicAccessBlock: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: true,
      },
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'bpa-off', Policy: publicRead('bpa-off') }));
    assert.equal(h.emulators.s3.resourcePolicy('arn:aws:s3:::bpa-off'), publicRead('bpa-off'));
    await assert.rejects(
      h.emulators.s3.ensureBucketPolicy('bpa-default', publicRead('bpa-default')),
      /API: s3:PutBucketPolicy Access Denied .*BlockPublicPolicy/,
    );
  });
});

describe('S3 objects', () => {
  it('round-trips an object with metadata, content type, MD5 ETag and the CRC32 the SDK validates', async () => {
    const body = Buffer.from('product image bytes \u00e9\u00e8');
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'images',
        Key: 'products/a b+c/\u00e9t\u00e9.png',
        Body: body,
        ContentType: 'image/png',
        Metadata: { sku: 'P-1' },
      }),
    );
    assert.equal(put.ETag, `"${md5(body)}"`);
    assert.ok(put.ChecksumCRC32, 'PutObject echoes the CRC32');
    const got = await s3.send(
      new GetObjectCommand({ Bucket: 'images', Key: 'products/a b+c/\u00e9t\u00e9.png' }),
    );
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);
    assert.equal(got.ContentType, 'image/png');
    assert.equal(got.ETag, put.ETag);
    assert.deepEqual(got.Metadata, { sku: 'P-1' });
    assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);
    assert.ok(got.LastModified instanceof Date);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: 'images', Key: 'products/a b+c/\u00e9t\u00e9.png' }),
    );
    assert.equal(head.ContentLength, body.length);
    await s3.send(new DeleteObjectCommand({ Bucket: 'images', Key: 'products/a b+c/\u00e9t\u00e9.png' }));
    const missing = await errorOf(
      s3.send(new GetObjectCommand({ Bucket: 'images', Key: 'products/a b+c/\u00e9t\u00e9.png' })),
    );
    assert.equal(missing.name, 'NoSuchKey');
    assert.equal(missing.$metadata.httpStatusCode, 404);
    const headMissing = await errorOf(s3.send(new HeadObjectCommand({ Bucket: 'images', Key: 'nope' })));
    assert.equal(headMissing.$metadata.httpStatusCode, 404);
  });

  it('serves byte ranges with 206 and Content-Range, and 416 past the end', async () => {
    const body = Buffer.from('0123456789abcdef');
    await s3.send(new PutObjectCommand({ Bucket: 'images', Key: 'range.txt', Body: body }));
    const cases: Array<[string, string, string]> = [
      ['bytes=2-5', '2345', 'bytes 2-5/16'],
      ['bytes=10-', 'abcdef', 'bytes 10-15/16'],
      ['bytes=-3', 'def', 'bytes 13-15/16'],
      ['bytes=14-99', 'ef', 'bytes 14-15/16'],
    ];
    for (const [range, expected, contentRange] of cases) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'images', Key: 'range.txt', Range: range }));
      assert.equal(await got.Body!.transformToString(), expected, range);
      assert.equal(got.ContentRange, contentRange, range);
      assert.equal(got.$metadata.httpStatusCode, 206);
      assert.equal(got.ChecksumCRC32, undefined, 'no whole-object checksum on a range');
    }
    const beyond = await errorOf(
      s3.send(new GetObjectCommand({ Bucket: 'images', Key: 'range.txt', Range: 'bytes=16-20' })),
    );
    assert.equal(beyond.name, 'InvalidRange');
    assert.equal(beyond.$metadata.httpStatusCode, 416);
  });

  it('copies an object, keeping or replacing metadata', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: 'images',
        Key: 'src.txt',
        Body: 'copy me',
        ContentType: 'text/plain',
        Metadata: { a: '1' },
      }),
    );
    const copy = await s3.send(
      new CopyObjectCommand({ Bucket: 'images', Key: 'dst.txt', CopySource: 'images/src.txt' }),
    );
    assert.equal(copy.CopyObjectResult?.ETag, `"${md5(Buffer.from('copy me'))}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'images', Key: 'dst.txt' }));
    assert.equal(await got.Body!.transformToString(), 'copy me');
    assert.deepEqual(got.Metadata, { a: '1' });
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'images',
        Key: 'dst.txt',
        CopySource: 'images/src.txt',
        MetadataDirective: 'REPLACE',
        Metadata: { b: '2' },
      }),
    );
    assert.deepEqual((await s3.send(new HeadObjectCommand({ Bucket: 'images', Key: 'dst.txt' }))).Metadata, {
      b: '2',
    });
    const self = await errorOf(
      s3.send(new CopyObjectCommand({ Bucket: 'images', Key: 'src.txt', CopySource: 'images/src.txt' })),
    );
    assert.equal(self.name, 'InvalidRequest');
  });

  it('honours conditional writes and reads', async () => {
    const first = await s3.send(new PutObjectCommand({ Bucket: 'images', Key: 'cond.txt', Body: 'v1' }));
    const overwrite = await errorOf(
      s3.send(new PutObjectCommand({ Bucket: 'images', Key: 'cond.txt', Body: 'v2', IfNoneMatch: '*' })),
    );
    assert.equal(overwrite.$metadata.httpStatusCode, 412);
    const notModified = await errorOf(
      s3.send(new GetObjectCommand({ Bucket: 'images', Key: 'cond.txt', IfNoneMatch: first.ETag })),
    );
    assert.equal(notModified.$metadata.httpStatusCode, 304);
  });

  it('streams a multi-MB aws-chunked upload with a CRC32 trailer, byte-exact', async () => {
    const body = randomBytes(6 * 1024 * 1024 + 123);
    const chunks = [
      body.subarray(0, 1_000_000),
      body.subarray(1_000_000, 4_000_000),
      body.subarray(4_000_000),
    ];
    await s3.send(
      new PutObjectCommand({
        Bucket: 'images',
        Key: 'streamed.bin',
        Body: Readable.from(chunks),
        ContentLength: body.length,
      }),
    );
    const classified = h.served.classified.at(-1);
    assert.equal(classified?.operation, 'PutObject');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'images', Key: 'streamed.bin' }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    assert.equal(bytes.length, body.length);
    assert.ok(bytes.equals(body));
    assert.equal(got.ETag, `"${md5(body)}"`);
    assert.ok(got.ChecksumCRC32);
  });

  it('deletes several objects with DeleteObjects (missing keys succeed too)', async () => {
    for (const key of ['batch/1', 'batch/2'])
      await s3.send(new PutObjectCommand({ Bucket: 'images', Key: key, Body: key }));
    const out = await s3.send(
      new DeleteObjectsCommand({
        Bucket: 'images',
        Delete: { Objects: [{ Key: 'batch/1' }, { Key: 'batch/2' }, { Key: 'batch/never' }] },
      }),
    );
    assert.deepEqual(
      out.Deleted?.map((d) => d.Key),
      ['batch/1', 'batch/2', 'batch/never'],
    );
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'images', Prefix: 'batch/' }));
    assert.equal(listed.KeyCount, 0);
    assert.deepEqual(
      h.served.classified.find((c) => c.operation === 'DeleteObjects')?.checks.map((c) => c.resource),
      ['arn:aws:s3:::images/batch/1', 'arn:aws:s3:::images/batch/2', 'arn:aws:s3:::images/batch/never'],
    );
  });

  it('rejects an upload whose CRC32 does not match (BadDigest)', async () => {
    const bad = await errorOf(
      s3.send(
        new PutObjectCommand({
          Bucket: 'images',
          Key: 'bad.bin',
          Body: 'payload',
          ChecksumCRC32: 'AAAAAA==',
        }),
      ),
    );
    assert.equal(bad.name, 'BadDigest');
    assert.equal(bad.$metadata.httpStatusCode, 400);
  });
});

describe('S3 ListObjectsV2', () => {
  before(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'listing' }));
    for (const key of ['a/1.txt', 'a/2.txt', 'a/b/3.txt', 'c.txt', 'd/4.txt', 'e.txt']) {
      await s3.send(new PutObjectCommand({ Bucket: 'listing', Key: key, Body: key }));
    }
  });

  const cases: Array<{
    name: string;
    input: { Prefix?: string; Delimiter?: string; StartAfter?: string };
    keys: string[];
    prefixes: string[];
  }> = [
    {
      name: 'everything',
      input: {},
      keys: ['a/1.txt', 'a/2.txt', 'a/b/3.txt', 'c.txt', 'd/4.txt', 'e.txt'],
      prefixes: [],
    },
    { name: 'prefix', input: { Prefix: 'a/' }, keys: ['a/1.txt', 'a/2.txt', 'a/b/3.txt'], prefixes: [] },
    { name: 'delimiter', input: { Delimiter: '/' }, keys: ['c.txt', 'e.txt'], prefixes: ['a/', 'd/'] },
    {
      name: 'prefix + delimiter',
      input: { Prefix: 'a/', Delimiter: '/' },
      keys: ['a/1.txt', 'a/2.txt'],
      prefixes: ['a/b/'],
    },
    {
      name: 'start-after',
      input: { StartAfter: 'a/b/3.txt' },
      keys: ['c.txt', 'd/4.txt', 'e.txt'],
      prefixes: [],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: 'listing', ...c.input }));
      assert.deepEqual(out.Contents?.map((o) => o.Key) ?? [], c.keys);
      assert.deepEqual(out.CommonPrefixes?.map((p) => p.Prefix) ?? [], c.prefixes);
      assert.equal(out.KeyCount, c.keys.length + c.prefixes.length);
    });
  }

  it('pages with max-keys and continuation tokens, never repeating a common prefix', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await s3.send(
        new ListObjectsV2Command({ Bucket: 'listing', Delimiter: '/', MaxKeys: 1, ContinuationToken: token }),
      );
      seen.push(
        ...(out.Contents ?? []).map((o) => o.Key ?? ''),
        ...(out.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''),
      );
      token = out.NextContinuationToken;
      assert.equal(out.IsTruncated, token !== undefined);
      pages++;
    } while (token);
    assert.deepEqual(seen, ['a/', 'c.txt', 'd/', 'e.txt']);
    assert.equal(pages, 4);
  });
});

describe('S3 multipart upload', () => {
  it('uploads two parts (5 MiB + 1 MiB), lists them and completes with the <md5 of md5s>-2 ETag', async () => {
    const part1 = randomBytes(5 * 1024 * 1024);
    const part2 = randomBytes(1024 * 1024 + 7);
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'images', Key: 'big/video.bin', ContentType: 'video/mp4' }),
    );
    assert.ok(UploadId);
    const e1 = await s3.send(
      new UploadPartCommand({ Bucket: 'images', Key: 'big/video.bin', UploadId, PartNumber: 1, Body: part1 }),
    );
    const e2 = await s3.send(
      new UploadPartCommand({ Bucket: 'images', Key: 'big/video.bin', UploadId, PartNumber: 2, Body: part2 }),
    );
    assert.equal(e1.ETag, `"${md5(part1)}"`);
    const parts = await s3.send(new ListPartsCommand({ Bucket: 'images', Key: 'big/video.bin', UploadId }));
    assert.deepEqual(
      parts.Parts?.map((p) => [p.PartNumber, p.Size]),
      [
        [1, part1.length],
        [2, part2.length],
      ],
    );
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'images',
        Key: 'big/video.bin',
        UploadId,
        MultipartUpload: {
          Parts: [
            { PartNumber: 1, ETag: e1.ETag },
            { PartNumber: 2, ETag: e2.ETag },
          ],
        },
      }),
    );
    const expectedEtag = `"${createHash('md5')
      .update(Buffer.concat([Buffer.from(md5(part1), 'hex'), Buffer.from(md5(part2), 'hex')]))
      .digest('hex')}-2"`;
    assert.equal(done.ETag, expectedEtag);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'images', Key: 'big/video.bin' }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    assert.ok(bytes.equals(Buffer.concat([part1, part2])));
    assert.equal(got.ContentType, 'video/mp4');
    assert.equal(got.ETag, expectedEtag);
    const ranged = await s3.send(
      new GetObjectCommand({
        Bucket: 'images',
        Key: 'big/video.bin',
        Range: `bytes=${part1.length - 2}-${part1.length + 1}`,
      }),
    );
    assert.ok(
      Buffer.from(await ranged.Body!.transformToByteArray()).equals(
        Buffer.concat([part1.subarray(-2), part2.subarray(0, 2)]),
      ),
    );
  });

  it('refuses small non-final parts, wrong ETags and unknown uploads; aborts', async () => {
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'images', Key: 'small.bin' }),
    );
    const e1 = await s3.send(
      new UploadPartCommand({ Bucket: 'images', Key: 'small.bin', UploadId, PartNumber: 1, Body: 'tiny' }),
    );
    const e2 = await s3.send(
      new UploadPartCommand({ Bucket: 'images', Key: 'small.bin', UploadId, PartNumber: 2, Body: 'tiny' }),
    );
    const tooSmall = await errorOf(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'images',
          Key: 'small.bin',
          UploadId,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: e1.ETag },
              { PartNumber: 2, ETag: e2.ETag },
            ],
          },
        }),
      ),
    );
    assert.equal(tooSmall.name, 'EntityTooSmall');
    const wrong = await errorOf(
      s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'images',
          Key: 'small.bin',
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"0000"' }] },
        }),
      ),
    );
    assert.equal(wrong.name, 'InvalidPart');
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'images', Key: 'small.bin', UploadId }));
    const gone = await errorOf(
      s3.send(new ListPartsCommand({ Bucket: 'images', Key: 'small.bin', UploadId })),
    );
    assert.equal(gone.name, 'NoSuchUpload');
  });
});

describe('S3 addressing and persistence', () => {
  it('serves virtual-hosted-style requests (<bucket>.s3.<region>.amazonaws.com)', async () => {
    const port = new URL(h.served.endpoint).port;
    const vhost = new S3Client({
      ...h.clientConfig(),
      endpoint: `http://s3.us-east-1.amazonaws.com:${port}`,
      requestHandler: loopbackHandler(),
    });
    await vhost.send(new PutObjectCommand({ Bucket: 'images', Key: 'vhost.txt', Body: 'virtual' }));
    const request = h.served.classified.at(-1);
    assert.deepEqual(request?.resources, ['arn:aws:s3:::images/vhost.txt']);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'images', Key: 'vhost.txt' }));
    assert.equal(await got.Body!.transformToString(), 'virtual');
    vhost.destroy();
  });

  it('keeps buckets, objects, policies and in-progress uploads across a restart', async () => {
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: 'images', Policy: '{"Version":"2012-10-17","Statement":[]}' }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'images', Key: 'durable.txt', Body: 'still here' }));
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'images', Key: 'pending.bin' }),
    );
    await h.restart();
    s3.destroy();
    s3 = new S3Client({ ...h.clientConfig(), forcePathStyle: true });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'images', Key: 'durable.txt' }));
    assert.equal(await got.Body!.transformToString(), 'still here');
    assert.equal(
      (await s3.send(new GetBucketPolicyCommand({ Bucket: 'images' }))).Policy,
      '{"Version":"2012-10-17","Statement":[]}',
    );
    const parts = await s3.send(new ListPartsCommand({ Bucket: 'images', Key: 'pending.bin', UploadId }));
    assert.deepEqual(parts.Parts ?? [], []);
    const big = await s3.send(new HeadObjectCommand({ Bucket: 'images', Key: 'big/video.bin' }));
    assert.equal(big.ContentLength, 6 * 1024 * 1024 + 7);
  });
});

describe('S3 checksums seen by the SDK', () => {
  it('the SDK really validates the CRC32 we return: a corrupted header makes GetObject fail', async () => {
    const { serve } = await import('./serve.ts');
    const real = h.emulators.s3;
    // The same plugin, except that GetObject answers with a wrong x-amz-checksum-crc32.
    const corrupting = {
      service: real.service,
      start: () => Promise.resolve(),
      stop: () => Promise.resolve(),
      classify: real.classify.bind(real),
      deny: real.deny.bind(real),
      error: real.error.bind(real),
      resourcePolicy: real.resourcePolicy.bind(real),
      handle: async (...args: Parameters<typeof real.handle>) => {
        const response = await real.handle(...args);
        if (response.headers['x-amz-checksum-crc32']) response.headers['x-amz-checksum-crc32'] = 'AAAAAA==';
        return response;
      },
    };
    const served = await serve([corrupting]);
    const client = new S3Client({ ...h.clientConfig(), endpoint: served.endpoint, forcePathStyle: true });
    try {
      await s3.send(new PutObjectCommand({ Bucket: 'images', Key: 'checked.txt', Body: 'integrity' }));
      const got = await client.send(new GetObjectCommand({ Bucket: 'images', Key: 'checked.txt' }));
      await assert.rejects(got.Body!.transformToString(), /Checksum mismatch/);
    } finally {
      client.destroy();
      await served.close();
    }
  });
});

describe('S3 presigned URLs (as @aws-sdk/s3-request-presigner builds them)', () => {
  async function presign(method: 'GET' | 'PUT', key: string, expiresIn: number): Promise<string> {
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Sha256 } = await import('@aws-crypto/sha256-js');
    const url = new URL(h.served.endpoint);
    const signer = new SignatureV4({
      service: 's3',
      region: 'us-east-1',
      credentials: h.clientConfig().credentials,
      sha256: Sha256,
      uriEscapePath: false,
    });
    const path = `/images/${encodeURIComponent(key)}`;
    const signed = await signer.presign(
      {
        method,
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path,
        query: {},
        headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
      { expiresIn, unsignableHeaders: new Set(['x-amz-content-sha256']) },
    );
    const query = Object.entries(signed.query ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    return `${h.served.endpoint}${path}?${query}`;
  }

  it('uploads with a presigned PUT and downloads with a presigned GET', async () => {
    const put = await fetch(await presign('PUT', 'presigned.txt', 300), {
      method: 'PUT',
      body: 'via presigned url',
    });
    assert.equal(put.status, 200, await put.text());
    const get = await fetch(await presign('GET', 'presigned.txt', 300));
    assert.equal(get.status, 200);
    assert.equal(await get.text(), 'via presigned url');
  });

  it('refuses a presigned GET whose signature was altered, in S3 XML', async () => {
    const url = (await presign('GET', 'presigned.txt', 300)).replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    const response = await fetch(url);
    assert.equal(response.status, 403);
    assert.match(await response.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
  });
});
