/** PutObject, GetObject, HeadObject, DeleteObject, CopyObject. */
import { createHash } from 'node:crypto';
import type { ServiceRequest, ServiceResponse } from '../plugin.ts';
import { ServiceError } from '../common/service-error.ts';
import { headerName } from './checksums.ts';
import { parseCopySource } from './classify.ts';
import { readUploadPayload } from './payload.ts';
import { quoted, s3Response, xmlResponse } from './responses.ts';
import { STORED_HEADERS, type ObjectAttributes, type ObjectRecord, type S3Store } from './store.ts';
import { document, text } from './xml.ts';

export function noSuchBucket(bucket: string): ServiceError {
  return new ServiceError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
}

function noSuchKey(key: string): ServiceError {
  return new ServiceError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
}

export function requireBucket(store: S3Store, bucket: string): void {
  if (!store.getBucket(bucket)) throw noSuchBucket(bucket);
}

/** Content-Type and friends plus x-amz-meta-*, as a request sets them. */
export function attributesFromRequest(req: ServiceRequest, contentEncoding?: string): ObjectAttributes {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  if (contentEncoding !== undefined) headers['content-encoding'] = contentEncoding;
  else delete headers['content-encoding'];
  headers['content-type'] ??= 'binary/octet-stream';
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = value;
  }
  return { headers, metadata };
}

export async function putObject(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  requireBucket(store, bucket);
  const payload = readUploadPayload(req);
  checkWritePreconditions(req, store.getObject(bucket, key));
  const etag = createHash('md5').update(payload.data).digest('hex');
  const record = await store.putObject(bucket, key, payload.data, {
    ...attributesFromRequest(req, payload.contentEncoding),
    etag,
    lastModified: new Date().toISOString(),
    checksum: payload.checksum,
  });
  const headers: Record<string, string> = { etag: quoted(record.etag) };
  if (record.checksum) {
    headers[headerName(record.checksum.algorithm)] = record.checksum.value;
    headers['x-amz-checksum-type'] = record.checksum.type;
  }
  return s3Response(200, headers);
}

/** Conditional writes: `If-None-Match: *` refuses to overwrite, `If-Match` demands the current ETag. */
function checkWritePreconditions(req: ServiceRequest, existing: ObjectRecord | undefined): void {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch === '*' && existing) {
    throw new ServiceError(
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      412,
      { Condition: 'If-None-Match' },
    );
  }
  const ifMatch = req.headers['if-match'];
  if (ifMatch !== undefined) {
    if (!existing) throw new ServiceError('NoSuchKey', 'The specified key does not exist.', 404);
    if (!etagMatches(ifMatch, existing.etag)) {
      throw new ServiceError(
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        412,
        { Condition: 'If-Match' },
      );
    }
  }
}

function etagMatches(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''))
    .some((t) => t === '*' || t === etag);
}

/** RFC 7232 order: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since. */
function readPrecondition(req: ServiceRequest, record: ObjectRecord): ServiceResponse | undefined {
  const modified = Math.floor(Date.parse(record.lastModified) / 1000) * 1000;
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  const failed = (condition: string): never => {
    throw new ServiceError(
      'PreconditionFailed',
      'At least one of the pre-conditions you specified did not hold',
      412,
      { Condition: condition },
    );
  };
  if (ifMatch !== undefined && !etagMatches(ifMatch, record.etag)) failed('If-Match');
  const ifUnmodifiedSince = Date.parse(req.headers['if-unmodified-since'] ?? '');
  if (ifMatch === undefined && !Number.isNaN(ifUnmodifiedSince) && modified > ifUnmodifiedSince)
    failed('If-Unmodified-Since');
  const notModified = (): ServiceResponse =>
    s3Response(304, {
      etag: quoted(record.etag),
      'last-modified': new Date(record.lastModified).toUTCString(),
    });
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, record.etag)) return notModified();
  const ifModifiedSince = Date.parse(req.headers['if-modified-since'] ?? '');
  if (ifNoneMatch === undefined && !Number.isNaN(ifModifiedSince) && modified <= ifModifiedSince)
    return notModified();
  return undefined;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; undefined = whole object (also for multi-range, as S3). */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw invalidRange(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  if (start >= size) throw invalidRange(size);
  return { start, end };
}

function invalidRange(size: number): ServiceError {
  return new ServiceError('InvalidRange', 'The requested range is not satisfiable', 416, {
    ActualObjectSize: String(size),
  });
}

/** `response-content-type` & co. override the stored headers (used by presigned URLs). */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

export async function getObject(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
  head: boolean,
): Promise<ServiceResponse> {
  requireBucket(store, bucket);
  const record = store.getObject(bucket, key);
  if (!record) throw noSuchKey(key);
  const notModified = readPrecondition(req, record);
  if (notModified) return notModified;
  const range = parseRange(req.headers['range'], record.size);
  const headers: Record<string, string> = {
    ...record.headers,
    etag: quoted(record.etag),
    'last-modified': new Date(record.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(record.metadata)) headers[`x-amz-meta-${name}`] = value;
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = req.url.searchParams.get(param);
    if (value !== null) headers[header] = value;
  }
  // S3 returns the stored checksum only when asked and only for the whole object.
  if (record.checksum && !range && (req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED') {
    headers[headerName(record.checksum.algorithm)] = record.checksum.value;
    headers['x-amz-checksum-type'] = record.checksum.type;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? record.size - 1;
  headers['content-length'] = String(record.size === 0 ? 0 : end - start + 1);
  if (range) headers['content-range'] = `bytes ${start}-${end}/${record.size}`;
  const status = range ? 206 : 200;
  if (head || record.size === 0) return s3Response(status, headers, Buffer.alloc(0));
  return s3Response(status, headers, await store.openObject(bucket, record, start, end));
}

export async function deleteObject(store: S3Store, bucket: string, key: string): Promise<ServiceResponse> {
  requireBucket(store, bucket);
  await store.deleteObject(bucket, key);
  return s3Response(204);
}

export async function copyObject(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  requireBucket(store, bucket);
  const source = parseCopySource(req.headers['x-amz-copy-source'] ?? '');
  if (!source)
    throw new ServiceError(
      'InvalidArgument',
      'Copy Source must mention the source bucket and key: sourcebucket/sourcekey',
      400,
    );
  requireBucket(store, source.bucket);
  const original = store.getObject(source.bucket, source.key);
  if (!original) throw noSuchKey(source.key);
  const directive = (req.headers['x-amz-metadata-directive'] ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw new ServiceError('InvalidArgument', 'Unknown metadata directive.', 400);
  }
  if (source.bucket === bucket && source.key === key && directive === 'COPY') {
    throw new ServiceError(
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      400,
    );
  }
  const attributes =
    directive === 'REPLACE'
      ? attributesFromRequest(req, req.headers['content-encoding'])
      : { headers: original.headers, metadata: original.metadata };
  const data = await store.readObject(source.bucket, original);
  const record = await store.putObject(bucket, key, data, {
    ...attributes,
    etag: createHash('md5').update(data).digest('hex'),
    lastModified: new Date().toISOString(),
    checksum: original.checksum?.type === 'FULL_OBJECT' ? original.checksum : undefined,
  });
  return xmlResponse(
    document(
      'CopyObjectResult',
      text('LastModified', record.lastModified),
      text('ETag', quoted(record.etag)),
    ),
  );
}
