/**
 * The SigV4 verifier's fast paths (plain paths, no query, plain header values, the SDK's
 * Authorization form, char-code date parse and hex compare) must give exactly what the general
 * definitions give. Each pure piece is checked on a table that exercises both paths, and against
 * the general definition (written out here) on generated inputs; then whole requests signed by
 * @smithy/signature-v4 take each path through verifySigV4.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ServiceRequest } from '../../src/emulators/plugin.ts';
import {
  canonicalHeaderValue,
  canonicalPath,
  canonicalQuery,
  parseQuery,
  signedHeaderNames,
  uriEscape,
} from '../../src/twin/sigv4/canonical.ts';
import {
  parseAmzDate,
  parseCredential,
  verifySigV4,
  type LookupSecret,
  type SigV4Result,
} from '../../src/twin/sigv4/verify.ts';

/** The general definitions, as SigV4 states them (and as the verifier computed them before). */
const general = {
  uriEscape: (value: string): string =>
    encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  headerValue: (value: string): string => value.trim().replace(/\s+/g, ' '),
  path(rawPath: string, service: string): string {
    if (service === 's3') return rawPath === '' ? '/' : rawPath;
    const segments: string[] = [];
    for (const segment of rawPath.split('/')) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') segments.pop();
      else segments.push(segment);
    }
    const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
    const normalized = `${rawPath.startsWith('/') ? '/' : ''}${segments.join('/')}${trailing}`;
    return general.uriEscape(normalized).replace(/%2F/g, '/');
  },
  query(rawQuery: string): string {
    const decode = (v: string): string => {
      try {
        return decodeURIComponent(v);
      } catch {
        return v;
      }
    };
    const query = rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery;
    if (query === '') return '';
    return query
      .split('&')
      .filter((part) => part !== '')
      .map((part) => {
        const eq = part.indexOf('=');
        return eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
      })
      .filter(([name]) => name.toLowerCase() !== 'x-amz-signature')
      .map(([name, value]) => [general.uriEscape(name), general.uriEscape(value)])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
      .map(([name, value]) => `${name}=${value}`)
      .join('&');
  },
  /** The parts of a well-formed credential; a string for each way it can be refused. */
  credential(credential: string): string[] | 'not five parts' | 'bad terminator' {
    const parts = credential.split('/');
    if (parts.length !== 5 || parts.some((p) => p === '')) return 'not five parts';
    return parts[4] === 'aws4_request' ? parts.slice(0, 4) : 'bad terminator';
  },
  amzDate(value: string): number | undefined {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
    if (!m) return undefined;
    const [, y, mo, d, h, mi, s] = m.map(Number);
    const t = Date.UTC(y, mo - 1, d, h, mi, s);
    return Number.isNaN(t) ? undefined : t;
  },
};

/** Characters that steer the fast paths one way or the other. */
const tricky = fc.constantFrom(
  'a', 'Z', '0', '9', '-', '_', '.', '~', '/', '%', '2', 'F', 'e', '+', '=', '&', ' ', '\t', '\n',
  '\u00a0', '\u3000', 'é', '!', "'", '(', '*', 'T', 'X',
); // prettier-ignore
const trickyString = fc.string({ unit: tricky, maxLength: 24 });

/** parseCredential's answer in the shape of general.credential's. */
function credentialOutcome(credential: string): string[] | 'not five parts' | 'bad terminator' {
  const parsed = parseCredential(credential);
  if (!('code' in parsed)) return [parsed.accessKeyId, parsed.date, parsed.region, parsed.service];
  if (parsed.code === 'IncompleteSignature') {
    assert.equal(
      parsed.message,
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
    return 'not five parts';
  }
  const parts = credential.split('/');
  assert.equal(parsed.code, 'SignatureDoesNotMatch');
  assert.equal(
    parsed.message,
    `Credential should be scoped with a valid terminator: 'aws4_request', not '${parts[4]}'.`,
  );
  assert.equal(parsed.service, parts[3]);
  assert.equal(parsed.accessKeyId, parts[0]);
  return 'bad terminator';
}

describe('SigV4 fast paths agree with the general definitions: tables', () => {
  const headerValues: Array<[string, string]> = [
    ['DynamoDB_20120810.GetItem', 'DynamoDB_20120810.GetItem'],
    ['attempt=1; max=1', 'attempt=1; max=1'],
    ['', ''],
    [' ', ''],
    ['  a   b  ', 'a b'],
    ['a  b', 'a b'],
    ['x-amz-user-agent/3.0  lang/js', 'x-amz-user-agent/3.0 lang/js'],
    ['a\t\tb', 'a b'],
    ['a \t b', 'a b'],
    ['\ta', 'a'],
    ['a\u00a0\u00a0b', 'a b'],
    ['line\nbreak', 'line break'],
    ['été  x', 'été x'],
  ];
  for (const [value, expected] of headerValues) {
    it(`header value ${JSON.stringify(value)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(canonicalHeaderValue(value), expected);
      assert.equal(general.headerValue(value), expected);
    });
  }

  const paths: Array<[string, string, string]> = [
    ['/', 'dynamodb', '/'],
    ['/prod/payments/authorize', 'execute-api', '/prod/payments/authorize'],
    ['/prod/orders/', 'execute-api', '/prod/orders/'],
    ['/a/./b/../c', 'execute-api', '/a/c'],
    ['/a//b/', 'execute-api', '/a/b/'],
    ['/../a', 'execute-api', '/a'],
    ['/a/..', 'execute-api', '/'],
    ['//', 'execute-api', '/'],
    ['/a/b%20c', 'execute-api', '/a/b%2520c'],
    ['/.well-known/x', 'execute-api', '/.well-known/x'],
    ['/a/./b/../c', 's3', '/a/./b/../c'],
    ['/bucket/a%20b', 's3', '/bucket/a%20b'],
    ['', 's3', '/'],
  ];
  for (const [raw, service, expected] of paths) {
    it(`${service} path ${raw || "''"} → ${expected}`, () => {
      assert.equal(canonicalPath(raw, service), expected);
      assert.equal(general.path(raw, service), expected);
    });
  }

  const queries: Array<[string, string]> = [
    ['', ''],
    ['?', ''],
    ['?x-id=GetObject', 'x-id=GetObject'],
    ['?b=2&a=1&b=1', 'a=1&b=1&b=2'],
    // Repeated names, and a name that is a prefix of another: ordered by name, then value.
    ['?a=1&a-b=2&a=0', 'a=0&a=1&a-b=2'],
    ['?a.b=1&a=2&a0=3', 'a=2&a.b=1&a0=3'],
    ['?prefix=a%20b%2Bc%2F&list-type=2', 'list-type=2&prefix=a%20b%2Bc%2F'],
    ['?flag&x=', 'flag=&x='],
    ['?a=1&&b=2', 'a=1&b=2'],
    ['?a+b=c+d', 'a%2Bb=c%2Bd'],
    ['?a=%zz', 'a=%25zz'],
    ["?q=it's(1)*!", 'q=it%27s%281%29%2A%21'],
    ['?X-Amz-Signature=abc&x-amz-signature=d&b=1', 'b=1'],
  ];
  for (const [raw, expected] of queries) {
    it(`query ${raw || "''"} → ${expected || "''"}`, () => {
      assert.equal(canonicalQuery(parseQuery(raw)), expected);
      assert.equal(general.query(raw), expected);
    });
  }

  const dates: Array<[string, number | undefined]> = [
    ['20261126T034505Z', Date.UTC(2026, 10, 26, 3, 45, 5)],
    ['20261326T000000Z', Date.UTC(2026, 12, 26)], // rolls over, as Date.UTC does
    ['20261126T034505', undefined],
    ['20261126T034505Z\n', undefined],
    ['20261126t034505Z', undefined],
    ['20261126T034505z', undefined],
    ['2026112XT034505Z', undefined],
    ['２0261126T034505Z', undefined],
    ['', undefined],
  ];
  for (const [value, expected] of dates) {
    it(`x-amz-date ${JSON.stringify(value)} → ${expected ?? 'undefined'}`, () => {
      assert.equal(parseAmzDate(value), expected);
      assert.equal(general.amzDate(value), expected);
    });
  }

  const credentials: Array<[string, string[] | 'not five parts' | 'bad terminator']> = [
    ['AKID/20261126/us-east-1/s3/aws4_request', ['AKID', '20261126', 'us-east-1', 's3']],
    ['AKID/20261126/us-east-1/s3/aws4_requestx', 'bad terminator'],
    ['AKID/20261126/us-east-1/s3/aws4', 'bad terminator'],
    ['AKID/20261126/us-east-1/s3/', 'not five parts'],
    ['AKID/20261126/us-east-1/s3', 'not five parts'],
    ['AKID/20261126/us-east-1/s3/aws4_request/', 'not five parts'],
    ['AKID/20261126/us-east-1/s3/aws4_request/x', 'not five parts'],
    ['/AKID/20261126/us-east-1/s3', 'not five parts'],
    ['AKID//us-east-1/s3/aws4_request', 'not five parts'],
    ['AKID/20261126//s3/aws4_request', 'not five parts'],
    ['AKID/20261126/us-east-1//aws4_request', 'not five parts'],
    ['', 'not five parts'],
    ['////', 'not five parts'],
  ];
  for (const [credential, expected] of credentials) {
    it(`credential ${JSON.stringify(credential)} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(credentialOutcome(credential), expected);
      assert.deepEqual(general.credential(credential), expected);
    });
  }

  it('splits SignedHeaders into one shared, frozen list per line', () => {
    const first = signedHeaderNames(['host', 'x-amz-date'].join(';'));
    assert.deepEqual(first, ['host', 'x-amz-date']);
    assert.equal(signedHeaderNames(['host', 'x-amz-date'].join(';')), first);
    assert.ok(Object.isFrozen(first));
    assert.deepEqual(signedHeaderNames('host'), ['host']);
  });
});

describe('SigV4 fast paths agree with the general definitions: generated inputs', () => {
  it('header values', () => {
    fc.assert(
      fc.property(trickyString, (v) => canonicalHeaderValue(v) === general.headerValue(v)),
      { numRuns: 2000 },
    );
  });
  it('URI escaping', () => {
    fc.assert(
      fc.property(fc.oneof(trickyString, fc.string({ unit: 'binary' })), (v) => {
        assert.equal(uriEscape(v), general.uriEscape(v));
      }),
    );
  });
  it('paths, S3 and not', () => {
    fc.assert(
      fc.property(trickyString, fc.constantFrom('s3', 'execute-api'), (tail, service) => {
        assert.equal(canonicalPath(`/${tail}`, service), general.path(`/${tail}`, service));
      }),
    );
  });
  it('query strings', () => {
    const query = fc
      .array(fc.tuple(trickyString, fc.option(trickyString)), { maxLength: 5 })
      .map((pairs) => `?${pairs.map(([k, v]) => (v === null ? k : `${k}=${v}`)).join('&')}`);
    fc.assert(
      fc.property(query, (raw) => {
        assert.equal(canonicalQuery(parseQuery(raw)), general.query(raw));
      }),
    );
  });
  it('credentials', () => {
    const credential = fc.string({
      unit: fc.constantFrom('/', 'a', 'aws4_request', '/aws4_request'),
      maxLength: 9,
    });
    fc.assert(
      fc.property(credential, (c) => {
        assert.deepEqual(credentialOutcome(c), general.credential(c));
      }),
      { numRuns: 2000 },
    );
  });
  it('x-amz-date values', () => {
    const dateLike = fc.string({
      unit: fc.constantFrom('0', '1', '2', '5', '9', 'T', 'Z', 'x', '٣'),
      minLength: 14,
      maxLength: 17,
    });
    fc.assert(fc.property(dateLike, (v) => parseAmzDate(v) === general.amzDate(v)));
  });
});

// Whole requests, signed by the real signer.
const AKID = 'AKIDFASTPATHS';
const SECRET = 'fast-path-secret/with+chars';
const lookup: LookupSecret = (akid) =>
  akid === AKID
    ? { secretAccessKey: SECRET, principalArn: 'arn:aws:iam::123456789012:role/r', accountId: '123456789012' }
    : undefined;
const NOW = new Date('2026-11-26T06:00:00Z');

interface Unsigned {
  readonly service: string;
  readonly method: string;
  readonly path: string;
  readonly query?: Record<string, string | string[]>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

async function signed(req: Unsigned): Promise<ServiceRequest> {
  const signer = new SignatureV4({
    service: req.service,
    region: 'us-east-1',
    credentials: { accessKeyId: AKID, secretAccessKey: SECRET },
    sha256: Sha256,
    uriEscapePath: req.service !== 's3',
  });
  const host = '127.0.0.1:4566';
  const out = await signer.sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4566,
      path: req.path,
      query: req.query ?? {},
      headers: { host, ...(req.headers ?? {}) },
      body: req.body,
    },
    { signingDate: NOW },
  );
  const pairs: string[] = [];
  for (const [k, v] of Object.entries(req.query ?? {}))
    for (const value of Array.isArray(v) ? v : [v]) pairs.push(`${uriEscape(k)}=${uriEscape(value)}`);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(out.headers)) headers[k.toLowerCase()] = v;
  return {
    method: req.method,
    url: new URL(`http://${host}${req.path}${pairs.length ? `?${pairs.join('&')}` : ''}`),
    headers,
    body: Buffer.from(req.body ?? ''),
  };
}

function expectOk(result: SigV4Result): void {
  assert.ok(result.ok, result.ok ? '' : `${result.code}: ${result.message}`);
}

function expectFailure(result: SigV4Result, code: string, message?: string): void {
  assert.equal(result.ok, false, 'expected a failure');
  if (result.ok) return;
  assert.equal(result.code, code, result.message);
  if (message !== undefined) assert.equal(result.message, message);
}

const getItem: Unsigned = {
  service: 'dynamodb',
  method: 'POST',
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
  body: '{"TableName":"Products","Key":{"productId":{"S":"p-mug"}}}',
};

describe('SigV4 fast and general paths through verifySigV4, with requests signed by @smithy/signature-v4', () => {
  const accepted: Array<[string, Unsigned]> = [
    ['JSON POST to / (fast path, plain header values)', getItem],
    [
      'header values with tabs and inner runs of spaces (general path)',
      { ...getItem, headers: { ...getItem.headers, 'x-custom': ' a\t\tb   c ', 'x-other': 'd \t e' } },
    ],
    [
      'a plain non-root path (fast path)',
      { service: 'execute-api', method: 'GET', path: '/prod/orders/o-1' },
    ],
    [
      'a path with empty segments and a trailing slash (general path)',
      { service: 'execute-api', method: 'GET', path: '/prod//orders/' },
    ],
    [
      'a path with an escaped space (general path)',
      { service: 'execute-api', method: 'GET', path: '/prod/items/a%20b' },
    ],
    [
      'a query with repeated names and a name prefixing another',
      {
        service: 'execute-api',
        method: 'GET',
        path: '/prod/orders',
        query: { a: ['1', '0'], 'a-b': '2', 'a.b': 'x y' },
      },
    ],
    [
      'an S3 path signed as sent, with dots kept',
      {
        service: 's3',
        method: 'GET',
        path: '/bucket/a%20b/.hidden',
        query: { 'x-id': 'GetObject' },
        headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
    ],
  ];
  for (const [name, request] of accepted) {
    it(`accepts ${name}`, async () => {
      expectOk(verifySigV4(await signed(request), lookup, NOW));
    });
  }

  it('refuses a changed path or query on either path', async () => {
    const plain = await signed({ service: 'execute-api', method: 'GET', path: '/prod/orders' });
    expectFailure(
      verifySigV4({ ...plain, url: new URL(`${plain.url.origin}/prod/orders/`) }, lookup, NOW),
      'SignatureDoesNotMatch',
    );
    const repeated = await signed({
      service: 'execute-api',
      method: 'GET',
      path: '/prod/orders',
      query: { a: ['1', '0'] },
    });
    expectFailure(
      verifySigV4({ ...repeated, url: new URL(`${repeated.url.origin}/prod/orders?a=1&a=1`) }, lookup, NOW),
      'SignatureDoesNotMatch',
    );
  });

  it('a header value changed only in its inner spacing still verifies (it is signed collapsed)', async () => {
    const request = await signed({ ...getItem, headers: { ...getItem.headers, 'x-custom': 'a b' } });
    expectOk(
      verifySigV4({ ...request, headers: { ...request.headers, 'x-custom': '  a \t  b ' } }, lookup, NOW),
    );
    expectFailure(
      verifySigV4({ ...request, headers: { ...request.headers, 'x-custom': 'ab' } }, lookup, NOW),
      'SignatureDoesNotMatch',
    );
  });

  const reformatted: Array<[string, (fields: string[]) => string]> = [
    ['fields separated by "," only', (f) => `AWS4-HMAC-SHA256 ${f.join(',')}`],
    ['extra blanks around the fields', (f) => `  AWS4-HMAC-SHA256   ${f.join(' ,  ')}  `],
    ['fields in another order', (f) => `AWS4-HMAC-SHA256 ${[f[2], f[0], f[1]].join(', ')}`],
  ];
  for (const [name, format] of reformatted) {
    it(`accepts an Authorization header with ${name}`, async () => {
      const request = await signed(getItem);
      const fields = request.headers.authorization.slice('AWS4-HMAC-SHA256 '.length).split(', ');
      assert.equal(fields.length, 3);
      const authorization = format(fields);
      expectOk(verifySigV4({ ...request, headers: { ...request.headers, authorization } }, lookup, NOW));
    });
  }

  it('keeps the general messages for incomplete Authorization headers', async () => {
    const request = await signed(getItem);
    const partial = 'AWS4-HMAC-SHA256 Credential=x';
    expectFailure(
      verifySigV4({ ...request, headers: { ...request.headers, authorization: partial } }, lookup, NOW),
      'IncompleteSignature',
      `Authorization header requires 'SignedHeaders' parameter. Authorization header requires 'Signature' parameter. Authorization=${partial}`,
    );
    const { 'x-amz-date': _date, ...undated } = request.headers;
    expectFailure(
      verifySigV4({ ...request, headers: undated }, lookup, NOW),
      'IncompleteSignature',
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${request.headers.authorization}`,
    );
  });

  it('a signed header name that only the prototype of a plain object has is a missing header, not a crash', async () => {
    const request = await signed(getItem);
    for (const name of ['constructor', '__proto__', 'toString']) {
      const authorization = request.headers.authorization.replace('SignedHeaders=', `SignedHeaders=${name};`);
      expectFailure(
        verifySigV4({ ...request, headers: { ...request.headers, authorization } }, lookup, NOW),
        'SignatureDoesNotMatch',
        `Header '${name}' is listed in SignedHeaders but absent from the request.`,
      );
    }
  });

  const signatures: Array<[string, (signature: string) => string]> = [
    ['in upper case', (s) => s.toUpperCase()],
    ['with its last character changed', (s) => `${s.slice(0, -1)}${s.endsWith('0') ? '1' : '0'}`],
    ['with a non-ASCII character (same length)', (s) => `${s.slice(0, -1)}é`],
    ['one character short', (s) => s.slice(0, -1)],
  ];
  for (const [name, change] of signatures) {
    it(`refuses the signature ${name}: SignatureDoesNotMatch`, async () => {
      const request = await signed(getItem);
      const authorization = request.headers.authorization.replace(/Signature=(\w+)/, (_, s: string) => {
        return `Signature=${change(s)}`;
      });
      expectFailure(
        verifySigV4({ ...request, headers: { ...request.headers, authorization } }, lookup, NOW),
        'SignatureDoesNotMatch',
      );
    });
  }
});
