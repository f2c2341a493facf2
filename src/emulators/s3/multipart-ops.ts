/**
 * Multipart upload: Create, UploadPart, Complete, Abort, ListParts, ListMultipartUploads.
 * ETag of the result = MD5 of the concatenated binary part MD5s, then `-<part count>`.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ServiceRequest, ServiceResponse } from '../plugin.ts';
import { ServiceError } from '../common/service-error.ts';
import { announcedAlgorithm, computeChecksum, headerName, type StoredChecksum } from './checksums.ts';
import { attributesFromRequest, requireBucket } from './object-ops.ts';
import { readUploadPayload } from './payload.ts';
import { canonicalUserId, quoted, s3Response, unquoted, xmlResponse } from './responses.ts';
import type { PartRecord, S3Store, UploadRecord } from './store.ts';
import { childTexts, document, element, text, unescapeXml } from './xml.ts';

const MIN_PART_SIZE = 5 * 1024 * 1024;
const MAX_PART_NUMBER = 10000;

function requireUpload(store: S3Store, uploadId: string | null, bucket: string, key: string): UploadRecord {
  const upload = uploadId === null ? undefined : store.getUpload(uploadId);
  if (!upload || upload.bucket !== bucket || upload.key !== key) {
    throw new ServiceError(
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      404,
      { UploadId: uploadId ?? '' },
    );
  }
  return upload;
}

export async function createMultipartUpload(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  requireBucket(store, bucket);
  const uploadId = randomBytes(24).toString('base64url');
  const checksumAlgorithm = announcedAlgorithm(req.headers);
  await store.createUpload({
    ...attributesFromRequest(req, req.headers['content-encoding']),
    uploadId,
    bucket,
    key,
    initiated: new Date().toISOString(),
    checksumAlgorithm,
  });
  const headers: Record<string, string> = {};
  if (checksumAlgorithm) {
    headers['x-amz-checksum-algorithm'] = checksumAlgorithm;
    headers['x-amz-checksum-type'] = 'COMPOSITE';
  }
  return xmlResponse(
    document(
      'InitiateMultipartUploadResult',
      text('Bucket', bucket),
      text('Key', key),
      text('UploadId', uploadId),
    ),
    headers,
  );
}

export async function uploadPart(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  requireBucket(store, bucket);
  const q = req.url.searchParams;
  const upload = requireUpload(store, q.get('uploadId'), bucket, key);
  const partNumber = Number(q.get('partNumber'));
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PART_NUMBER) {
    throw new ServiceError(
      'InvalidArgument',
      'Part number must be an integer between 1 and 10000, inclusive',
      400,
      {
        ArgumentName: 'partNumber',
        ArgumentValue: q.get('partNumber') ?? '',
      },
    );
  }
  const payload = readUploadPayload(req);
  const part = await store.putPart(upload.uploadId, partNumber, payload.data, {
    etag: createHash('md5').update(payload.data).digest('hex'),
    lastModified: new Date().toISOString(),
    checksum: payload.checksum,
  });
  const headers: Record<string, string> = { etag: quoted(part.etag) };
  if (part.checksum) headers[headerName(part.checksum.algorithm)] = part.checksum.value;
  return s3Response(200, headers);
}

interface RequestedPart {
  readonly partNumber: number;
  readonly etag: string;
}

function parseCompleteBody(body: Buffer): RequestedPart[] {
  const xml = body.toString('utf8');
  const parts = childTexts(xml, 'Part').map((part) => ({
    partNumber: Number(childTexts(part, 'PartNumber')[0]),
    etag: unquoted(unescapeXml((childTexts(part, 'ETag')[0] ?? '').trim())),
  }));
  if (
    !xml.includes('CompleteMultipartUpload') ||
    parts.length === 0 ||
    parts.some((p) => !Number.isInteger(p.partNumber))
  ) {
    throw new ServiceError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
      400,
    );
  }
  return parts;
}

/** S3's composite checksum: the checksum of the concatenated binary part checksums, `-N`. */
function compositeChecksum(upload: UploadRecord, parts: readonly PartRecord[]): StoredChecksum | undefined {
  const algorithm = upload.checksumAlgorithm;
  if (!algorithm || parts.some((p) => p.checksum?.algorithm !== algorithm)) return undefined;
  const value = computeChecksum(
    algorithm,
    Buffer.concat(parts.map((p) => Buffer.from(p.checksum?.value ?? '', 'base64'))),
  );
  return value === undefined
    ? undefined
    : { algorithm, value: `${value}-${parts.length}`, type: 'COMPOSITE' };
}

export async function completeMultipartUpload(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  requireBucket(store, bucket);
  const upload = requireUpload(store, req.url.searchParams.get('uploadId'), bucket, key);
  const requested = parseCompleteBody(req.body);
  const stored = new Map(store.listParts(upload.uploadId).map((p) => [p.partNumber, p]));
  const chosen: PartRecord[] = [];
  for (const [index, want] of requested.entries()) {
    if (index > 0 && want.partNumber <= requested[index - 1].partNumber) {
      throw new ServiceError(
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
        400,
        { UploadId: upload.uploadId },
      );
    }
    const part = stored.get(want.partNumber);
    if (!part || part.etag !== want.etag) {
      throw new ServiceError(
        'InvalidPart',
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
        400,
        { UploadId: upload.uploadId, PartNumber: String(want.partNumber), ETag: want.etag },
      );
    }
    chosen.push(part);
  }
  const tooSmall = chosen.slice(0, -1).find((p) => p.size < MIN_PART_SIZE);
  if (tooSmall) {
    throw new ServiceError(
      'EntityTooSmall',
      'Your proposed upload is smaller than the minimum allowed size',
      400,
      {
        ProposedSize: String(tooSmall.size),
        MinSizeAllowed: String(MIN_PART_SIZE),
        PartNumber: String(tooSmall.partNumber),
        ETag: tooSmall.etag,
      },
    );
  }
  const md5s = Buffer.concat(chosen.map((p) => Buffer.from(p.etag, 'hex')));
  const etag = `${createHash('md5').update(md5s).digest('hex')}-${chosen.length}`;
  const checksum = compositeChecksum(upload, chosen);
  const record = await store.putObjectFromFiles(
    bucket,
    key,
    chosen.map((p) => store.partPath(upload.uploadId, p)),
    {
      headers: upload.headers,
      metadata: upload.metadata,
      etag,
      lastModified: new Date().toISOString(),
      checksum,
    },
  );
  await store.deleteUpload(upload.uploadId);
  const location = `http://${req.headers['host'] ?? 's3.amazonaws.com'}/${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
  const headers: Record<string, string> = {};
  if (checksum) headers['x-amz-checksum-type'] = checksum.type;
  return xmlResponse(
    document(
      'CompleteMultipartUploadResult',
      text('Location', location),
      text('Bucket', bucket),
      text('Key', key),
      text('ETag', quoted(record.etag)),
      checksum ? text(`Checksum${checksum.algorithm}`, checksum.value) : undefined,
      checksum ? text('ChecksumType', checksum.type) : undefined,
    ),
    headers,
  );
}

export async function abortMultipartUpload(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
): Promise<ServiceResponse> {
  requireBucket(store, bucket);
  const upload = requireUpload(store, req.url.searchParams.get('uploadId'), bucket, key);
  await store.deleteUpload(upload.uploadId);
  return s3Response(204);
}

export function listParts(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  key: string,
  accountId: string,
): ServiceResponse {
  requireBucket(store, bucket);
  const q = req.url.searchParams;
  const upload = requireUpload(store, q.get('uploadId'), bucket, key);
  const maxParts = Math.min(Number(q.get('max-parts') ?? 1000) || 1000, 1000);
  const marker = Number(q.get('part-number-marker') ?? 0) || 0;
  const all = store.listParts(upload.uploadId).filter((p) => p.partNumber > marker);
  const page = all.slice(0, maxParts);
  const truncated = all.length > page.length;
  const owner = element('Owner', text('ID', canonicalUserId(accountId)));
  return xmlResponse(
    document(
      'ListPartsResult',
      text('Bucket', bucket),
      text('Key', key),
      text('UploadId', upload.uploadId),
      text('PartNumberMarker', marker),
      page.length > 0 ? text('NextPartNumberMarker', page[page.length - 1].partNumber) : undefined,
      text('MaxParts', maxParts),
      text('IsTruncated', truncated),
      upload.checksumAlgorithm ? text('ChecksumAlgorithm', upload.checksumAlgorithm) : undefined,
      page.map((p) =>
        element(
          'Part',
          text('PartNumber', p.partNumber),
          text('LastModified', p.lastModified),
          text('ETag', quoted(p.etag)),
          text('Size', p.size),
          p.checksum ? text(`Checksum${p.checksum.algorithm}`, p.checksum.value) : undefined,
        ),
      ),
      element('Initiator', text('ID', canonicalUserId(accountId))),
      owner,
      text('StorageClass', 'STANDARD'),
    ),
  );
}

export function listMultipartUploads(store: S3Store, bucket: string, accountId: string): ServiceResponse {
  requireBucket(store, bucket);
  const uploads = store.listUploads(bucket);
  return xmlResponse(
    document(
      'ListMultipartUploadsResult',
      text('Bucket', bucket),
      text('KeyMarker', ''),
      text('UploadIdMarker', ''),
      text('MaxUploads', 1000),
      text('IsTruncated', false),
      uploads.map((u) =>
        element(
          'Upload',
          text('Key', u.key),
          text('UploadId', u.uploadId),
          element('Initiator', text('ID', canonicalUserId(accountId))),
          element('Owner', text('ID', canonicalUserId(accountId))),
          text('StorageClass', 'STANDARD'),
          text('Initiated', u.initiated),
        ),
      ),
    ),
  );
}
