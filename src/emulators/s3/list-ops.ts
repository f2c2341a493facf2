/**
 * ListObjectsV2 and ListObjects (v1): prefix, delimiter (CommonPrefixes), max-keys,
 * continuation-token / start-after (v2), marker (v1), encoding-type=url.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
import type { ServiceRequest, ServiceResponse } from '../plugin.ts';
import { ServiceError } from '../common/service-error.ts';
import { requireBucket } from './object-ops.ts';
import { quoted, xmlResponse } from './responses.ts';
import type { ObjectRecord, S3Store } from './store.ts';
import { document, element, text } from './xml.ts';

interface Page {
  readonly contents: ObjectRecord[];
  readonly commonPrefixes: string[];
  readonly truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  readonly last?: { readonly value: string; readonly isPrefix: boolean };
}

const utf8Greater = (a: string, b: string): boolean => Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0;

function listPage(
  objects: ObjectRecord[],
  prefix: string,
  delimiter: string,
  maxKeys: number,
  after?: { value: string; isPrefix: boolean },
): Page {
  const contents: ObjectRecord[] = [];
  const commonPrefixes: string[] = [];
  let last: Page['last'];
  for (const object of objects) {
    if (!object.key.startsWith(prefix)) continue;
    if (after && !utf8Greater(object.key, after.value)) continue;
    if (after?.isPrefix && object.key.startsWith(after.value)) continue;
    let commonPrefix: string | undefined;
    if (delimiter !== '') {
      const at = object.key.indexOf(delimiter, prefix.length);
      if (at >= 0) commonPrefix = object.key.slice(0, at + delimiter.length);
    }
    if (commonPrefix !== undefined && commonPrefix === commonPrefixes[commonPrefixes.length - 1]) continue;
    if (contents.length + commonPrefixes.length >= maxKeys)
      return { contents, commonPrefixes, truncated: true, last };
    if (commonPrefix !== undefined) {
      commonPrefixes.push(commonPrefix);
      last = { value: commonPrefix, isPrefix: true };
    } else {
      contents.push(object);
      last = { value: object.key, isPrefix: false };
    }
  }
  return { contents, commonPrefixes, truncated: false, last };
}

function maxKeysParam(req: ServiceRequest): number {
  const raw = req.url.searchParams.get('max-keys');
  if (raw === null) return 1000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new ServiceError(
      'InvalidArgument',
      'Provided max-keys not an integer or within integer range',
      400,
    );
  return Math.min(value, 1000);
}

function encodeToken(last: NonNullable<Page['last']>): string {
  return Buffer.from(JSON.stringify(last), 'utf8').toString('base64');
}

function decodeToken(token: string): { value: string; isPrefix: boolean } {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as {
      value?: unknown;
      isPrefix?: unknown;
    };
    if (typeof parsed.value === 'string' && typeof parsed.isPrefix === 'boolean')
      return { value: parsed.value, isPrefix: parsed.isPrefix };
  } catch {
    // fall through
  }
  throw new ServiceError('InvalidArgument', 'The continuation token provided is incorrect', 400, {
    ArgumentName: 'continuation-token',
  });
}

function entries(page: Page, encode: (s: string) => string): string[] {
  return [
    ...page.contents.map((o) =>
      element(
        'Contents',
        text('Key', encode(o.key)),
        text('LastModified', o.lastModified),
        text('ETag', quoted(o.etag)),
        o.checksum ? text('ChecksumAlgorithm', o.checksum.algorithm) : undefined,
        o.checksum ? text('ChecksumType', o.checksum.type) : undefined,
        text('Size', o.size),
        text('StorageClass', 'STANDARD'),
      ),
    ),
    ...page.commonPrefixes.map((p) => element('CommonPrefixes', text('Prefix', encode(p)))),
  ];
}

function encoder(req: ServiceRequest): { encode: (s: string) => string; encodingType?: string } {
  const type = req.url.searchParams.get('encoding-type');
  if (type === null) return { encode: (s) => s };
  if (type !== 'url')
    throw new ServiceError('InvalidArgument', 'Invalid Encoding Method specified in Request', 400, {
      ArgumentName: 'encoding-type',
    });
  return { encode: (s) => encodeURIComponent(s).replace(/%2F/g, '/'), encodingType: 'url' };
}

export function listObjectsV2(store: S3Store, req: ServiceRequest, bucket: string): ServiceResponse {
  requireBucket(store, bucket);
  const q = req.url.searchParams;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = maxKeysParam(req);
  const token = q.get('continuation-token');
  const startAfter = q.get('start-after');
  const after =
    token !== null
      ? decodeToken(token)
      : startAfter !== null && startAfter !== ''
        ? { value: startAfter, isPrefix: false }
        : undefined;
  const page = listPage(store.sortedObjects(bucket), prefix, delimiter, maxKeys, after);
  const { encode, encodingType } = encoder(req);
  return xmlResponse(
    document(
      'ListBucketResult',
      text('Name', bucket),
      text('Prefix', encode(prefix)),
      delimiter !== '' ? text('Delimiter', encode(delimiter)) : undefined,
      text('MaxKeys', maxKeys),
      encodingType ? text('EncodingType', encodingType) : undefined,
      text('KeyCount', page.contents.length + page.commonPrefixes.length),
      text('IsTruncated', page.truncated),
      token !== null ? text('ContinuationToken', token) : undefined,
      page.truncated && page.last ? text('NextContinuationToken', encodeToken(page.last)) : undefined,
      startAfter !== null ? text('StartAfter', encode(startAfter)) : undefined,
      entries(page, encode),
    ),
  );
}

export function listObjectsV1(store: S3Store, req: ServiceRequest, bucket: string): ServiceResponse {
  requireBucket(store, bucket);
  const q = req.url.searchParams;
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const marker = q.get('marker') ?? '';
  const maxKeys = maxKeysParam(req);
  // A v1 marker is a plain key; a common prefix as marker skips everything under it.
  const after =
    marker !== '' ? { value: marker, isPrefix: delimiter !== '' && marker.endsWith(delimiter) } : undefined;
  const page = listPage(store.sortedObjects(bucket), prefix, delimiter, maxKeys, after);
  const { encode, encodingType } = encoder(req);
  return xmlResponse(
    document(
      'ListBucketResult',
      text('Name', bucket),
      text('Prefix', encode(prefix)),
      text('Marker', encode(marker)),
      page.truncated && delimiter !== '' && page.last
        ? text('NextMarker', encode(page.last.value))
        : undefined,
      text('MaxKeys', maxKeys),
      delimiter !== '' ? text('Delimiter', encode(delimiter)) : undefined,
      encodingType ? text('EncodingType', encodingType) : undefined,
      text('IsTruncated', page.truncated),
      entries(page, encode),
    ),
  );
}
