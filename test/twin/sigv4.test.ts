/**
 * SigV4 verification against requests signed by the real signer (@smithy/signature-v4), AWS's
 * published known-answer examples, and tampered variants of each.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ServiceRequest } from '../../src/emulators/plugin.ts';
import { uriEscape } from '../../src/twin/sigv4/canonical.ts';
import { ChunkSignatureChain } from '../../src/twin/sigv4/chunk-signature.ts';
import { verifySigV4, type LookupSecret, type SigV4Result } from '../../src/twin/sigv4/verify.ts';

const AKID = 'AKIDSIGV4TEST';
const SECRET = 'sigv4-test-secret/with+chars';
const PRINCIPAL = 'arn:aws:iam::123456789012:role/orders';
const lookup: LookupSecret = (akid) =>
  akid === AKID ? { secretAccessKey: SECRET, principalArn: PRINCIPAL, accountId: '123456789012' } : undefined;
const NOW = new Date('2026-11-26T04:00:00Z');

interface Unsigned {
  method: string;
  host: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  body?: string;
}

function signer(
  service: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = {
    accessKeyId: AKID,
    secretAccessKey: SECRET,
  },
): SignatureV4 {
  // S3 is signed without the second path encoding, exactly as the S3 client configures it.
  return new SignatureV4({
    service,
    region: 'us-east-1',
    credentials,
    sha256: Sha256,
    uriEscapePath: service !== 's3',
  });
}

interface SmithyLike {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** The request as it travels: query encoded the way the SDK's HTTP handler encodes it. */
function toServiceRequest(signed: SmithyLike, host: string): ServiceRequest {
  const pairs: string[] = [];
  for (const [k, v] of Object.entries(signed.query ?? {})) {
    for (const value of Array.isArray(v) ? v : [v])
      pairs.push(value === null ? uriEscape(k) : `${uriEscape(k)}=${uriEscape(value)}`);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  const body = typeof signed.body === 'string' ? Buffer.from(signed.body) : Buffer.alloc(0);
  return {
    method: signed.method,
    url: new URL(`http://${host}${signed.path}${pairs.length ? `?${pairs.join('&')}` : ''}`),
    headers,
    body,
  };
}

async function signed(
  service: string,
  req: Unsigned,
  options: {
    signingDate?: Date;
    credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  } = {},
): Promise<ServiceRequest> {
  const headers: Record<string, string> = { host: req.host, ...(req.headers ?? {}) };
  const request = {
    method: req.method,
    protocol: 'http:',
    hostname: req.host,
    path: req.path,
    query: req.query ?? {},
    headers,
    body: req.body,
  };
  const out = (await signer(service, options.credentials).sign(request, {
    signingDate: options.signingDate ?? NOW,
  })) as unknown as SmithyLike;
  return toServiceRequest(out, req.host);
}

/**
 * Presigns as @aws-sdk/s3-request-presigner does: the payload is declared UNSIGNED-PAYLOAD
 * through an unsigned x-amz-content-sha256 header, which the URL's user never sends.
 */
async function presigned(
  service: string,
  req: Unsigned,
  expiresIn: number,
  signingDate = NOW,
): Promise<ServiceRequest> {
  const headers: Record<string, string> = {
    host: req.host,
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    ...(req.headers ?? {}),
  };
  const request = {
    method: req.method,
    protocol: 'http:',
    hostname: req.host,
    path: req.path,
    query: req.query ?? {},
    headers,
    body: req.body,
  };
  const out = (await signer(service).presign(request, {
    signingDate,
    expiresIn,
    unsignableHeaders: new Set(['x-amz-content-sha256']),
  })) as unknown as SmithyLike;
  const { 'x-amz-content-sha256': _declared, ...sent } = out.headers;
  return toServiceRequest({ ...out, headers: sent }, req.host);
}

function expectOk(result: SigV4Result): asserts result is Extract<SigV4Result, { ok: true }> {
  assert.ok(result.ok, result.ok ? '' : `${result.code}: ${result.message}`);
}

function expectFailure(result: SigV4Result, code: string): void {
  assert.equal(result.ok, false, 'expected a failure');
  if (!result.ok) assert.equal(result.code, code, result.message);
}

const s3Payload = (body: string): Record<string, string> => ({
  'x-amz-content-sha256': new Sha256Hex().of(body),
});
class Sha256Hex {
  of(body: string): string {
    const hash = new Sha256();
    hash.update(body);
    return Buffer.from(hash.digestSync()).toString('hex');
  }
}

const dynamoRequest: Unsigned = {
  method: 'POST',
  host: 'dynamodb.us-east-1.amazonaws.com',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
  body: '{"TableName":"Orders","Key":{"id":{"S":"1"}}}',
};

describe('SigV4 verification: requests signed by @smithy/signature-v4', () => {
  const accepted: Array<[string, string, Unsigned]> = [
    ['JSON 1.0 POST (DynamoDB)', 'dynamodb', dynamoRequest],
    [
      'JSON 1.1 POST (Secrets Manager)',
      'secretsmanager',
      {
        method: 'POST',
        host: 'secretsmanager.us-east-1.amazonaws.com',
        path: '/',
        headers: {
          'x-amz-target': 'secretsmanager.GetSecretValue',
          'content-type': 'application/x-amz-json-1.1',
        },
        body: '{"SecretId":"a"}',
      },
    ],
    [
      'S3 key with spaces, plus, unicode and slashes (not double-encoded)',
      's3',
      {
        method: 'GET',
        host: 'images.s3.us-east-1.amazonaws.com',
        path: `/${['photos', 'a b+c', 'été (1).png'].map(uriEscape).join('/')}`,
        headers: s3Payload(''),
      },
    ],
    [
      'S3 query with spaces, plus, empty values and repeated keys, sorted',
      's3',
      {
        method: 'GET',
        host: '127.0.0.1:4566',
        path: '/images',
        query: { 'list-type': '2', prefix: 'a b+c/', delimiter: '/', 'start-after': '', z: ['2', '1'] },
        headers: s3Payload(''),
      },
    ],
    [
      'S3 PUT with a signed body hash',
      's3',
      {
        method: 'PUT',
        host: '127.0.0.1:4566',
        path: '/images/k',
        headers: s3Payload('hello'),
        body: 'hello',
      },
    ],
    [
      'S3 UNSIGNED-PAYLOAD',
      's3',
      {
        method: 'PUT',
        host: '127.0.0.1:4566',
        path: '/images/k',
        headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
        body: 'anything',
      },
    ],
    [
      'header values with runs of spaces are trimmed',
      'dynamodb',
      { ...dynamoRequest, headers: { ...dynamoRequest.headers, 'x-custom': '  a   b  ' } },
    ],
  ];
  for (const [name, service, request] of accepted) {
    it(`accepts: ${name}`, async () => {
      const result = verifySigV4(await signed(service, request), lookup, NOW);
      expectOk(result);
      assert.equal(result.principalArn, PRINCIPAL);
      assert.equal(result.service, service);
      assert.equal(result.region, 'us-east-1');
      assert.equal(result.authType, 'header');
    });
  }

  const tampered: Array<[string, (r: ServiceRequest) => ServiceRequest]> = [
    ['the body', (r) => ({ ...r, body: Buffer.from(r.body.toString().replace('"1"', '"2"')) })],
    [
      'a signed header',
      (r) => ({ ...r, headers: { ...r.headers, 'x-amz-target': 'DynamoDB_20120810.DeleteItem' } }),
    ],
    ['the path', (r) => ({ ...r, url: new URL(`${r.url.origin}/other`) })],
    ['the query', (r) => ({ ...r, url: new URL(`${r.url.origin}/?a=1`) })],
    ['the method', (r) => ({ ...r, method: 'PUT' })],
    [
      'the signature',
      (r) => ({
        ...r,
        headers: {
          ...r.headers,
          authorization: r.headers.authorization.replace(
            /Signature=(.)/,
            (_, c: string) => `Signature=${c === 'a' ? 'b' : 'a'}`,
          ),
        },
      }),
    ],
  ];
  for (const [name, tamper] of tampered) {
    it(`refuses a request whose ${name} changed after signing: SignatureDoesNotMatch`, async () => {
      expectFailure(
        verifySigV4(tamper(await signed('dynamodb', dynamoRequest)), lookup, NOW),
        'SignatureDoesNotMatch',
      );
    });
  }

  it('refuses a wrong secret key', async () => {
    const request = await signed('dynamodb', dynamoRequest, {
      credentials: { accessKeyId: AKID, secretAccessKey: 'not-the-secret' },
    });
    expectFailure(verifySigV4(request, lookup, NOW), 'SignatureDoesNotMatch');
  });

  it('names an unknown key the way each service does: S3 InvalidAccessKeyId, JSON services UnrecognizedClientException', async () => {
    const creds = { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: SECRET };
    expectFailure(
      verifySigV4(
        await signed(
          's3',
          { method: 'GET', host: 'h', path: '/b', headers: s3Payload('') },
          { credentials: creds },
        ),
        lookup,
        NOW,
      ),
      'InvalidAccessKeyId',
    );
    expectFailure(
      verifySigV4(await signed('dynamodb', dynamoRequest, { credentials: creds }), lookup, NOW),
      'UnrecognizedClientException',
    );
    expectFailure(
      verifySigV4(
        await signed(
          'kms',
          { ...dynamoRequest, host: 'kms.us-east-1.amazonaws.com' },
          { credentials: creds },
        ),
        lookup,
        NOW,
      ),
      'UnrecognizedClientException',
    );
  });

  const skews: Array<[number, boolean]> = [
    [-16, false],
    [-14, true],
    [14, true],
    [16, false],
  ];
  for (const [minutes, ok] of skews) {
    it(`request time ${minutes} min from the server's: ${ok ? 'accepted' : 'RequestTimeTooSkewed'}`, async () => {
      const request = await signed('dynamodb', dynamoRequest, {
        signingDate: new Date(NOW.getTime() + minutes * 60_000),
      });
      const result = verifySigV4(request, lookup, NOW);
      if (ok) expectOk(result);
      else expectFailure(result, 'RequestTimeTooSkewed');
    });
  }

  it('checks session tokens: the issued token passes, a missing or different one does not', async () => {
    const withToken: LookupSecret = (akid) =>
      akid === 'ASIATEMP'
        ? {
            secretAccessKey: SECRET,
            principalArn: PRINCIPAL,
            accountId: '123456789012',
            sessionToken: 'token-1',
          }
        : undefined;
    const sign = (sessionToken?: string): Promise<ServiceRequest> =>
      signed('dynamodb', dynamoRequest, {
        credentials: { accessKeyId: 'ASIATEMP', secretAccessKey: SECRET, sessionToken },
      });
    const good = verifySigV4(await sign('token-1'), withToken, NOW);
    expectOk(good);
    assert.equal(good.sessionToken, 'token-1');
    expectFailure(verifySigV4(await sign('token-2'), withToken, NOW), 'UnrecognizedClientException');
    expectFailure(verifySigV4(await sign(undefined), withToken, NOW), 'UnrecognizedClientException');
    const s3 = await signed(
      's3',
      { method: 'GET', host: 'h', path: '/b', headers: s3Payload('') },
      { credentials: { accessKeyId: 'ASIATEMP', secretAccessKey: SECRET, sessionToken: 'forged' } },
    );
    expectFailure(verifySigV4(s3, withToken, NOW), 'InvalidToken');
  });

  it('refuses a credential scoped to another Region when the twin names its Region', async () => {
    const request = await signed('dynamodb', dynamoRequest);
    expectOk(verifySigV4(request, lookup, NOW, { region: 'us-east-1' }));
    expectFailure(verifySigV4(request, lookup, NOW, { region: 'eu-west-1' }), 'SignatureDoesNotMatch');
    const s3 = await signed('s3', { method: 'GET', host: 'h', path: '/b', headers: s3Payload('') });
    const result = verifySigV4(s3, lookup, NOW, { region: 'eu-west-1' });
    expectFailure(result, 'IncompleteSignature');
    if (!result.ok) assert.match(result.message, /the region 'us-east-1' is wrong; expecting 'eu-west-1'/);
  });

  it('refuses an S3 body that does not match its signed x-amz-content-sha256', async () => {
    const request = await signed('s3', {
      method: 'PUT',
      host: 'h',
      path: '/b/k',
      headers: s3Payload('hello'),
      body: 'hello',
    });
    expectFailure(
      verifySigV4({ ...request, body: Buffer.from('HELLO') }, lookup, NOW),
      'XAmzContentSHA256Mismatch',
    );
  });

  it('reports missing and malformed authentication', async () => {
    const request = await signed('dynamodb', dynamoRequest);
    const { authorization: _a, ...unsignedHeaders } = request.headers;
    expectFailure(
      verifySigV4({ ...request, headers: unsignedHeaders }, lookup, NOW),
      'MissingAuthenticationToken',
    );
    expectFailure(
      verifySigV4(
        { ...request, headers: { ...request.headers, authorization: 'AWS4-HMAC-SHA256 Credential=x' } },
        lookup,
        NOW,
      ),
      'IncompleteSignature',
    );
    expectFailure(
      verifySigV4(
        {
          ...request,
          headers: {
            ...request.headers,
            authorization: request.headers.authorization.replace(/Credential=[^,]+/, 'Credential=a/b/c'),
          },
        },
        lookup,
        NOW,
      ),
      'IncompleteSignature',
    );
  });
});

describe('Signature Version 2: refused as S3 refuses it for buckets created after June 24, 2020', () => {
  const v2Forms: Array<[string, Partial<ServiceRequest>]> = [
    [
      'an Authorization header "AWS key:signature"',
      { headers: { authorization: 'AWS AKIDEXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=' } },
    ],
    [
      'a presigned URL with AWSAccessKeyId, Expires and Signature',
      {
        url: new URL(
          'http://s3.amazonaws.com/b/k?AWSAccessKeyId=AKIDEXAMPLE&Expires=1700000000&Signature=abc%3D',
        ),
      },
    ],
  ];
  for (const [name, form] of v2Forms) {
    it(`${name}: InvalidRequest "… Please use AWS4-HMAC-SHA256."`, () => {
      const request: ServiceRequest = {
        method: 'GET',
        url: new URL('http://s3.amazonaws.com/b/k'),
        headers: { host: 's3.amazonaws.com', 'x-amz-date': '20261126T040000Z' },
        body: Buffer.alloc(0),
        ...form,
      };
      const result = verifySigV4(
        { ...request, headers: { host: 's3.amazonaws.com', ...form.headers } },
        lookup,
        NOW,
      );
      expectFailure(result, 'InvalidRequest');
      assert.match(result.ok ? '' : result.message, /not supported\. Please use AWS4-HMAC-SHA256\.$/);
    });
  }
});

describe('SigV4 verification: presigned URLs', () => {
  const get: Unsigned = {
    method: 'GET',
    host: '127.0.0.1:4566',
    path: '/images/products/p%201.png',
    query: { 'response-content-type': 'image/png' },
  };

  it('accepts a presigned S3 GET within its lifetime, as REST-QUERY-STRING', async () => {
    const request = await presigned('s3', get, 900);
    assert.ok(request.url.searchParams.get('X-Amz-Signature'));
    const result = verifySigV4(request, lookup, new Date(NOW.getTime() + 899_000));
    expectOk(result);
    assert.equal(result.authType, 'query');
    assert.equal(result.payloadHash, 'UNSIGNED-PAYLOAD');
  });

  it('refuses it once expired: AccessDenied "Request has expired"', async () => {
    const result = verifySigV4(await presigned('s3', get, 900), lookup, new Date(NOW.getTime() + 901_000));
    expectFailure(result, 'AccessDenied');
    if (!result.ok) assert.equal(result.message, 'Request has expired');
  });

  it('refuses a presigned URL whose query was changed', async () => {
    const request = await presigned('s3', get, 900);
    const url = new URL(request.url);
    url.searchParams.set('response-content-type', 'text/html');
    expectFailure(verifySigV4({ ...request, url }, lookup, NOW), 'SignatureDoesNotMatch');
  });
});

describe("SigV4 verification: AWS's published examples", () => {
  // AWS SigV4 test suite, "get-vanilla": a known request and its known signature.
  it('get-vanilla from the AWS SigV4 test suite', () => {
    const request: ServiceRequest = {
      method: 'GET',
      url: new URL('http://example.amazonaws.com/'),
      headers: {
        host: 'example.amazonaws.com',
        'x-amz-date': '20150830T123600Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
      },
      body: Buffer.alloc(0),
    };
    const example: LookupSecret = (akid) =>
      akid === 'AKIDEXAMPLE'
        ? {
            secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
            principalArn: 'arn:aws:iam::111122223333:user/example',
            accountId: '111122223333',
          }
        : undefined;
    expectOk(verifySigV4(request, example, new Date('2015-08-30T12:36:00Z')));
  });

  // https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html — "Example: PUT Object"
  it('the S3 chunked-upload example: seed signature and the chained chunk signatures', () => {
    const request: ServiceRequest = {
      method: 'PUT',
      url: new URL('http://s3.amazonaws.com/examplebucket/chunkObject.txt'),
      headers: {
        host: 's3.amazonaws.com',
        'x-amz-date': '20130524T000000Z',
        'x-amz-storage-class': 'REDUCED_REDUNDANCY',
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '66560',
        'content-length': '66824',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9',
      },
      body: Buffer.alloc(0),
    };
    const example: LookupSecret = (akid) =>
      akid === 'AKIAIOSFODNN7EXAMPLE'
        ? {
            secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
            principalArn: 'arn:aws:iam::111122223333:user/example',
            accountId: '111122223333',
          }
        : undefined;
    const result = verifySigV4(request, example, new Date('2013-05-24T00:05:00Z'));
    expectOk(result);
    const chain = new ChunkSignatureChain(result.seed);
    assert.ok(
      chain.next(
        Buffer.alloc(65536, 'a'),
        'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648',
      ),
    );
    assert.ok(
      chain.next(Buffer.alloc(1024, 'a'), '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497'),
    );
    assert.ok(
      chain.next(Buffer.alloc(0), 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'),
    );
    const replayed = new ChunkSignatureChain(result.seed);
    assert.equal(
      replayed.next(
        Buffer.alloc(1024, 'a'),
        '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497',
      ),
      false,
      'chunks out of order fail',
    );
  });
});
