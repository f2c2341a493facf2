/**
 * SigV4 verification for the twin's gateway: the Authorization-header form and the presigned
 * query form, as AWS checks them. Expected failures come back as a tagged result whose `code`
 * is the canonical name; each emulator plugin maps it to its service's wire code
 * (e.g. S3 `SignatureDoesNotMatch` 403, JSON services `InvalidSignatureException` 400).
 */
import type { ServiceRequest } from '../../emulators/plugin.ts';
import {
  canonicalHeaders,
  canonicalPath,
  canonicalQuery,
  canonicalRequest,
  EMPTY_SHA256,
  parseQuery,
  sha256Hex,
  signedHeaderNames,
  stringToSign,
} from './canonical.ts';
import { hmacHex, signingKey } from './signing-key.ts';

export interface CredentialRecord {
  readonly secretAccessKey: string;
  readonly principalArn: string;
  readonly accountId: string;
  /** Temporary credentials must present exactly this token. */
  readonly sessionToken?: string;
}

export type LookupSecret = (accessKeyId: string) => CredentialRecord | undefined;

export type SigV4FailureCode =
  | 'SignatureDoesNotMatch'
  | 'InvalidAccessKeyId'
  | 'UnrecognizedClientException'
  | 'RequestTimeTooSkewed'
  | 'MissingAuthenticationToken'
  | 'IncompleteSignature'
  | 'InvalidToken'
  | 'AccessDenied'
  | 'XAmzContentSHA256Mismatch'
  | 'InvalidRequest';

export interface SigV4Success {
  readonly ok: true;
  readonly accessKeyId: string;
  readonly principalArn: string;
  readonly accountId: string;
  readonly service: string;
  readonly region: string;
  readonly signedHeaders: readonly string[];
  /** 'header' = Authorization header, 'query' = presigned URL (s3:authType REST-HEADER / REST-QUERY-STRING). */
  readonly authType: 'header' | 'query';
  readonly sessionToken?: string;
  /** What the canonical request used: a hex SHA-256, UNSIGNED-PAYLOAD or STREAMING-…. */
  readonly payloadHash: string;
  /** For verifying aws-chunked chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD…). */
  readonly seed: {
    readonly signature: string;
    readonly signingKey: Buffer;
    readonly amzDate: string;
    readonly scope: string;
  };
}

export interface SigV4Failure {
  readonly ok: false;
  readonly code: SigV4FailureCode;
  readonly message: string;
  /** The service named in the credential scope, when it could be parsed. */
  readonly service?: string;
  readonly accessKeyId?: string;
}

export type SigV4Result = SigV4Success | SigV4Failure;

/** AWS allows 15 minutes between the request's time and the server's. */
export const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGN_EXPIRES_S = 7 * 24 * 3600;
const ALGORITHM = 'AWS4-HMAC-SHA256';
/**
 * Signature Version 2 (`Authorization: AWS key:sig`, or `AWSAccessKeyId` + `Signature` in a presigned
 * URL): S3 refuses it for every bucket created after June 24, 2020, and the twin's buckets are new.
 */
const SIGV2_UNSUPPORTED =
  'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.';
const NO_QUERY: ReadonlyArray<readonly [string, string]> = [];

interface SignatureInput {
  readonly authType: 'header' | 'query';
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  /** SignedHeaders as sent (`a;b;c`): the canonical request's signed-headers line. */
  readonly signedHeadersLine: string;
  readonly signature: string;
  readonly amzDate: string;
  readonly expiresSeconds?: number;
  readonly sessionToken?: string;
}

export interface VerifyOptions {
  /** The twin's Region: a credential scoped to another Region is refused, as AWS refuses it. */
  readonly region?: string;
}

export function verifySigV4(
  req: ServiceRequest,
  lookupSecret: LookupSecret,
  now: Date,
  options: VerifyOptions = {},
): SigV4Result {
  const search = req.url.search;
  const query = search === '' ? NO_QUERY : parseQuery(search);
  const authorization = req.headers['authorization'];
  const presigned = hasParameter(query, 'X-Amz-Algorithm');
  if (authorization !== undefined && presigned) {
    return fail(
      'InvalidRequest',
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  }
  if (authorization === undefined && !presigned) {
    if (hasParameter(query, 'AWSAccessKeyId') && hasParameter(query, 'Signature'))
      return fail('InvalidRequest', SIGV2_UNSUPPORTED);
    return fail('MissingAuthenticationToken', 'Request is missing Authentication Token');
  }
  if (authorization !== undefined && authorization.startsWith('AWS ')) {
    return fail('InvalidRequest', SIGV2_UNSUPPORTED);
  }
  const parsed =
    authorization !== undefined
      ? parseAuthorizationHeader(authorization, req.headers)
      : parsePresignedQuery(query);
  if ('code' in parsed) return parsed;
  if (options.region !== undefined && parsed.region !== options.region) {
    const message =
      parsed.service === 's3'
        ? `The authorization header is malformed; the region '${parsed.region}' is wrong; expecting '${options.region}'`
        : `Credential should be scoped to a valid region, not '${parsed.region}'.`;
    return {
      ok: false,
      code: parsed.service === 's3' ? 'IncompleteSignature' : 'SignatureDoesNotMatch',
      message,
      service: parsed.service,
      accessKeyId: parsed.accessKeyId,
    };
  }
  return verifyParsed(req, query, parsed, lookupSecret, now);
}

function verifyParsed(
  req: ServiceRequest,
  query: ReadonlyArray<readonly [string, string]>,
  input: SignatureInput,
  lookupSecret: LookupSecret,
  now: Date,
): SigV4Result {
  const { service, accessKeyId } = input;

  const requestTime = parseAmzDate(input.amzDate);
  if (requestTime === undefined) {
    return failure(
      'IncompleteSignature',
      `Date must be in ISO-8601 'basic format'. Got '${input.amzDate}'.`,
      service,
      accessKeyId,
    );
  }
  if (input.authType === 'query') {
    const expires = input.expiresSeconds ?? 0;
    if (now.getTime() > requestTime + expires * 1000)
      return failure('AccessDenied', 'Request has expired', service, accessKeyId);
    if (requestTime - now.getTime() > MAX_SKEW_MS)
      return failure('AccessDenied', 'Request is not valid yet', service, accessKeyId);
  } else if (Math.abs(now.getTime() - requestTime) > MAX_SKEW_MS) {
    return failure(
      'RequestTimeTooSkewed',
      skewMessage(service, input.amzDate, requestTime, now),
      service,
      accessKeyId,
    );
  }
  if (!input.signedHeaders.includes('host')) {
    return failure(
      'SignatureDoesNotMatch',
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
      service,
      accessKeyId,
    );
  }
  if (input.date !== input.amzDate.slice(0, 8)) {
    return failure(
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${input.date}' != '${input.amzDate.slice(0, 8)}'`,
      service,
      accessKeyId,
    );
  }

  const credentials = lookupSecret(accessKeyId);
  if (!credentials) {
    return service === 's3'
      ? failure(
          'InvalidAccessKeyId',
          'The AWS Access Key Id you provided does not exist in our records.',
          service,
          accessKeyId,
        )
      : failure(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
          service,
          accessKeyId,
        );
  }

  const payload = payloadHash(req, input);
  if (typeof payload !== 'string') return { ...payload, service, accessKeyId };

  const headers = canonicalHeaders(req.headers, input.signedHeaders);
  if (typeof headers !== 'string') {
    return failure(
      'SignatureDoesNotMatch',
      `Header '${headers.missing}' is listed in SignedHeaders but absent from the request.`,
      service,
      accessKeyId,
    );
  }
  const canonical = canonicalRequest(
    req.method.toUpperCase(),
    canonicalPath(req.url.pathname, service),
    canonicalQuery(query),
    headers,
    input.signedHeadersLine,
    payload,
  );
  const scope = `${input.date}/${input.region}/${service}/aws4_request`;
  const key = signingKey(credentials.secretAccessKey, input.date, input.region, service);
  const expected = hmacHex(key, stringToSign(input.amzDate, scope, canonical));
  if (!sameHex(expected, input.signature)) {
    return failure(
      'SignatureDoesNotMatch',
      service === 's3'
        ? 'The request signature we calculated does not match the signature you provided. Check your key and signing method.'
        : 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      service,
      accessKeyId,
    );
  }

  // The token is part of what was signed, but it must also be the one issued with the key.
  if ((credentials.sessionToken ?? undefined) !== (input.sessionToken ?? undefined)) {
    return service === 's3'
      ? failure('InvalidToken', 'The provided token is malformed or otherwise invalid.', service, accessKeyId)
      : failure(
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
          service,
          accessKeyId,
        );
  }
  return {
    ok: true,
    accessKeyId,
    principalArn: credentials.principalArn,
    accountId: credentials.accountId,
    service,
    region: input.region,
    signedHeaders: input.signedHeaders,
    authType: input.authType,
    sessionToken: input.sessionToken,
    payloadHash: payload,
    seed: { signature: input.signature, signingKey: key.bytes, amzDate: input.amzDate, scope },
  };
}

/** The payload hash the client must have signed. */
function payloadHash(req: ServiceRequest, input: SignatureInput): string | SigV4Failure {
  if (input.service !== 's3') return bodyHash(req.body);
  const declared = req.headers['x-amz-content-sha256'];
  if (input.authType === 'query') return declared ?? 'UNSIGNED-PAYLOAD';
  if (declared === undefined) {
    return fail('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  if (declared === 'UNSIGNED-PAYLOAD' || declared.startsWith('STREAMING-')) return declared;
  if (!/^[0-9a-f]{64}$/.test(declared)) {
    return fail(
      'InvalidRequest',
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-… or a valid sha256 value.',
    );
  }
  if (bodyHash(req.body) !== declared) {
    return fail(
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  }
  return declared;
}

function bodyHash(body: Buffer): string {
  return body.length === 0 ? EMPTY_SHA256 : sha256Hex(body);
}

/**
 * The form every SDK sends: one space after the algorithm, `, ` (or `,`) between the three
 * fields in this order, no blanks inside values. Anything else takes the general parser.
 */
const SDK_AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^,\s]+), ?SignedHeaders=([^,\s]+), ?Signature=([^,\s]+)$/;

interface AuthorizationFields {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly amzDate: string;
}

function parseAuthorizationHeader(
  header: string,
  headers: Readonly<Record<string, string>>,
): SignatureInput | SigV4Failure {
  const amzDate = headers['x-amz-date'] ?? dateHeaderAsAmzDate(headers['date']);
  const sdkForm = SDK_AUTHORIZATION.exec(header);
  const fields =
    sdkForm !== null && amzDate !== undefined
      ? { credential: sdkForm[1], signedHeaders: sdkForm[2], signature: sdkForm[3], amzDate }
      : authorizationFields(header, amzDate);
  if ('code' in fields) return fields;
  const scope = parseCredential(fields.credential);
  if ('code' in scope) return scope;
  return {
    authType: 'header',
    accessKeyId: scope.accessKeyId,
    date: scope.date,
    region: scope.region,
    service: scope.service,
    signedHeaders: signedHeaderNames(fields.signedHeaders),
    signedHeadersLine: fields.signedHeaders,
    signature: fields.signature,
    amzDate: fields.amzDate,
    sessionToken: headers['x-amz-security-token'],
  };
}

/** The general parser: any spacing and field order, and the errors AWS gives for bad headers. */
function authorizationFields(
  header: string,
  amzDate: string | undefined,
): AuthorizationFields | SigV4Failure {
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) {
    if (trimmed.startsWith('AWS '))
      return fail(
        'InvalidRequest',
        'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.',
      );
    return fail(
      'IncompleteSignature',
      `Unsupported AWS 'algorithm': '${trimmed.split(' ')[0]}' (only AWS4-HMAC-SHA256 for now).`,
    );
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const missing = ['Credential', 'SignedHeaders', 'Signature'].filter((name) => !fields.get(name));
  if (missing.length > 0 || amzDate === undefined) {
    const parts = missing.map((name) => `Authorization header requires '${name}' parameter.`);
    if (amzDate === undefined)
      parts.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    return fail('IncompleteSignature', `${parts.join(' ')} Authorization=${header}`);
  }
  return {
    credential: fields.get('Credential') ?? '',
    signedHeaders: fields.get('SignedHeaders') ?? '',
    signature: fields.get('Signature') ?? '',
    amzDate,
  };
}

function parsePresignedQuery(query: ReadonlyArray<readonly [string, string]>): SignatureInput | SigV4Failure {
  const get = (name: string): string | undefined => query.find(([n]) => n === name)?.[1];
  const required = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Signature',
    'X-Amz-SignedHeaders',
    'X-Amz-Date',
    'X-Amz-Expires',
  ];
  const missing = required.filter((name) => !get(name));
  if (missing.length > 0) {
    return fail(
      'IncompleteSignature',
      `${missing.map((name) => `AWS query-string parameters must include '${name}'.`).join(' ')} Re-examine the query-string parameters.`,
    );
  }
  if (get('X-Amz-Algorithm') !== ALGORITHM) {
    return fail('IncompleteSignature', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  }
  const expires = Number(get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_PRESIGN_EXPIRES_S) {
    return fail('IncompleteSignature', 'X-Amz-Expires must be between 1 and 604800 seconds');
  }
  const scope = parseCredential(get('X-Amz-Credential') ?? '');
  if ('code' in scope) return scope;
  const signedHeadersLine = get('X-Amz-SignedHeaders') ?? '';
  return {
    authType: 'query',
    ...scope,
    signedHeaders: signedHeaderNames(signedHeadersLine),
    signedHeadersLine,
    signature: get('X-Amz-Signature') ?? '',
    amzDate: get('X-Amz-Date') ?? '',
    expiresSeconds: expires,
    sessionToken: get('X-Amz-Security-Token'),
  };
}

/** `keyid/date/region/service/aws4_request`, split by the positions of its four slashes. */
export function parseCredential(
  credential: string,
): { accessKeyId: string; date: string; region: string; service: string } | SigV4Failure {
  // indexOf, not split: no array of parts per request (measured in bench/sigv4.ts). Five
  // non-empty parts means each slash is at least two past the one before, and no fifth slash.
  const s1 = credential.indexOf('/');
  const s2 = credential.indexOf('/', s1 + 1);
  const s3 = credential.indexOf('/', s2 + 1);
  const s4 = credential.indexOf('/', s3 + 1);
  const fiveParts =
    s1 > 0 &&
    s2 > s1 + 1 &&
    s3 > s2 + 1 &&
    s4 > s3 + 1 &&
    s4 < credential.length - 1 &&
    credential.indexOf('/', s4 + 1) < 0;
  if (!fiveParts) {
    return fail(
      'IncompleteSignature',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const accessKeyId = credential.slice(0, s1);
  const date = credential.slice(s1 + 1, s2);
  const region = credential.slice(s2 + 1, s3);
  const service = credential.slice(s3 + 1, s4);
  const terminator = credential.slice(s4 + 1);
  if (terminator !== 'aws4_request') {
    return {
      ...fail(
        'SignatureDoesNotMatch',
        `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
      ),
      service,
      accessKeyId,
    };
  }
  return { accessKeyId, date, region, service };
}

/** `20261126T034505Z` → epoch ms, or undefined. */
export function parseAmzDate(value: string): number | undefined {
  // By character codes: no regex match array, no Number() of six substrings.
  if (value.length !== 16 || value.charCodeAt(8) !== 0x54 || value.charCodeAt(15) !== 0x5a) return undefined;
  const year = digits(value, 0, 4);
  const month = digits(value, 4, 2);
  const day = digits(value, 6, 2);
  const hour = digits(value, 9, 2);
  const minute = digits(value, 11, 2);
  const second = digits(value, 13, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  const t = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(t) ? undefined : t;
}

/** The decimal number `value` holds at [start, start + count), or -1 if a character is not 0-9. */
function digits(value: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const digit = value.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}

export function toAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function dateHeaderAsAmzDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : toAmzDate(t);
}

function skewMessage(service: string, amzDate: string, requestTime: number, now: Date): string {
  if (service === 's3') return 'The difference between the request time and the current time is too large.';
  const nowDate = toAmzDate(now.getTime());
  return requestTime < now.getTime()
    ? `Signature expired: ${amzDate} is now earlier than ${toAmzDate(now.getTime() - MAX_SKEW_MS)} (${nowDate} - 15 min.)`
    : `Signature not yet current: ${amzDate} is still later than ${toAmzDate(now.getTime() + MAX_SKEW_MS)} (${nowDate} + 15 min.)`;
}

/** Constant-time over the characters (no Buffers): how far the strings agree is not timed. */
function sameHex(expected: string, given: string): boolean {
  if (expected.length !== given.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  return difference === 0;
}

function hasParameter(query: ReadonlyArray<readonly [string, string]>, name: string): boolean {
  for (const pair of query) if (pair[0] === name) return true;
  return false;
}

function fail(code: SigV4FailureCode, message: string): SigV4Failure {
  return { ok: false, code, message };
}

/** A failure once the credential scope is known (not a closure: verification runs on every request). */
function failure(
  code: SigV4FailureCode,
  message: string,
  service: string,
  accessKeyId: string,
): SigV4Failure {
  return { ok: false, code, message, service, accessKeyId };
}
