/**
 * S3 request → operation, IAM actions and resources. Operation names and the actions they
 * need follow the Service Authorization Reference for Amazon S3:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
import type { AuthorizationCheck, Classified, ServiceRequest } from '../plugin.ts';
import { s3Address } from './addressing.ts';
import { decodeAwsChunked } from './aws-chunked.ts';
import { isAwsChunked } from './payload.ts';
import { childTexts, unescapeXml } from './xml.ts';
import { addRequestConditionKeys } from './request-condition-keys.ts';

export type S3Operation =
  | 'ListBuckets'
  | 'CreateBucket'
  | 'HeadBucket'
  | 'DeleteBucket'
  | 'GetBucketLocation'
  | 'PutBucketPolicy'
  | 'GetBucketPolicy'
  | 'DeleteBucketPolicy'
  | 'PutPublicAccessBlock'
  | 'GetPublicAccessBlock'
  | 'DeletePublicAccessBlock'
  | 'ListObjectsV2'
  | 'ListObjects'
  | 'ListMultipartUploads'
  | 'DeleteObjects'
  | 'PutObject'
  | 'CopyObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'Unknown';

export interface S3Route {
  readonly operation: S3Operation;
  readonly bucket?: string;
  readonly key?: string;
}

/**
 * Query parameters that select something, leaving out the SDK's `x-id` marker and the
 * presigned-URL authentication parameters (X-Amz-Algorithm, X-Amz-Signature…).
 */
function subresourceNames(q: URLSearchParams): string[] {
  return [...q.keys()].filter((k) => k !== 'x-id' && !k.toLowerCase().startsWith('x-amz-'));
}

export function routeS3(req: ServiceRequest): S3Route {
  const { bucket, key } = s3Address(req);
  const q = req.url.searchParams;
  const method = req.method.toUpperCase();
  const op = (operation: S3Operation): S3Route => ({ operation, bucket, key });
  if (bucket === undefined) return op(method === 'GET' ? 'ListBuckets' : 'Unknown');
  if (key === undefined) {
    if (q.has('policy')) {
      if (method === 'PUT') return op('PutBucketPolicy');
      if (method === 'GET') return op('GetBucketPolicy');
      if (method === 'DELETE') return op('DeleteBucketPolicy');
      return op('Unknown');
    }
    if (q.has('publicAccessBlock')) {
      if (method === 'PUT') return op('PutPublicAccessBlock');
      if (method === 'GET') return op('GetPublicAccessBlock');
      if (method === 'DELETE') return op('DeletePublicAccessBlock');
      return op('Unknown');
    }
    if (method === 'POST' && q.has('delete')) return op('DeleteObjects');
    if (method === 'PUT') return op('CreateBucket');
    if (method === 'HEAD') return op('HeadBucket');
    if (method === 'DELETE') return op('DeleteBucket');
    if (method === 'GET') {
      if (q.has('location')) return op('GetBucketLocation');
      if (q.has('uploads')) return op('ListMultipartUploads');
      if (q.get('list-type') === '2') return op('ListObjectsV2');
      // Any other bucket sub-resource (?acl, ?tagging…) is not emulated.
      const subresources = subresourceNames(q).filter(
        (k) => !['prefix', 'delimiter', 'marker', 'max-keys', 'encoding-type'].includes(k),
      );
      return op(subresources.length === 0 ? 'ListObjects' : 'Unknown');
    }
    return op('Unknown');
  }
  const uploadId = q.get('uploadId');
  switch (method) {
    case 'PUT':
      if (uploadId !== null && q.has('partNumber'))
        return op(req.headers['x-amz-copy-source'] ? 'Unknown' : 'UploadPart');
      if (subresourceNames(q).length > 0) return op('Unknown');
      return op(req.headers['x-amz-copy-source'] !== undefined ? 'CopyObject' : 'PutObject');
    case 'GET':
      if (uploadId !== null) return op('ListParts');
      return op(q.has('acl') || q.has('tagging') || q.has('attributes') ? 'Unknown' : 'GetObject');
    case 'HEAD':
      return op('HeadObject');
    case 'DELETE':
      return op(uploadId !== null ? 'AbortMultipartUpload' : 'DeleteObject');
    case 'POST':
      if (q.has('uploads')) return op('CreateMultipartUpload');
      if (uploadId !== null) return op('CompleteMultipartUpload');
      return op('Unknown');
    default:
      return op('Unknown');
  }
}

/** The IAM action each operation needs (HeadObject is authorized as s3:GetObject, etc.). */
const ACTION: Record<Exclude<S3Operation, 'Unknown' | 'CopyObject' | 'DeleteObjects'>, string> = {
  ListBuckets: 's3:ListAllMyBuckets',
  CreateBucket: 's3:CreateBucket',
  HeadBucket: 's3:ListBucket',
  DeleteBucket: 's3:DeleteBucket',
  GetBucketLocation: 's3:GetBucketLocation',
  PutBucketPolicy: 's3:PutBucketPolicy',
  GetBucketPolicy: 's3:GetBucketPolicy',
  DeleteBucketPolicy: 's3:DeleteBucketPolicy',
  // DeletePublicAccessBlock needs s3:PutBucketPublicAccessBlock (its API reference).
  PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  DeletePublicAccessBlock: 's3:PutBucketPublicAccessBlock',
  ListObjectsV2: 's3:ListBucket',
  ListObjects: 's3:ListBucket',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  PutObject: 's3:PutObject',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  DeleteObject: 's3:DeleteObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListParts: 's3:ListMultipartUploadParts',
};

export const bucketArn = (bucket: string): string => `arn:aws:s3:::${bucket}`;
export const objectArn = (bucket: string, key: string): string => `arn:aws:s3:::${bucket}/${key}`;

/** `x-amz-copy-source: /bucket/key?versionId=…` (URL-encoded, leading slash optional). */
export function parseCopySource(value: string): { bucket: string; key: string } | undefined {
  const withoutVersion = value.split('?')[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(withoutVersion);
  } catch {
    return undefined;
  }
  const path = decoded.startsWith('/') ? decoded.slice(1) : decoded;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) return undefined;
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
}

/** The keys named by a DeleteObjects body (`<Delete><Object><Key>…`). */
export function deleteObjectsKeys(xml: string): string[] {
  return childTexts(xml, 'Object').map((object) => unescapeXml(childTexts(object, 'Key')[0] ?? ''));
}

/** The request body as text, decoded from aws-chunked when needed (never throws). */
function requestBodyText(req: ServiceRequest): string {
  if (!isAwsChunked(req)) return req.body.toString('utf8');
  try {
    return decodeAwsChunked(req.body, req.headers['x-amz-content-sha256'] ?? '', undefined).data.toString(
      'utf8',
    );
  } catch {
    return '';
  }
}

export function classifyS3(req: ServiceRequest): Classified {
  const route = routeS3(req);
  const { operation, bucket, key } = route;
  const checks: AuthorizationCheck[] = [];
  const serviceKeys: Record<string, string | string[]> = {};
  const q = req.url.searchParams;
  if (operation === 'CopyObject' && bucket !== undefined && key !== undefined) {
    checks.push({ action: 's3:PutObject', resource: objectArn(bucket, key) });
    const source = parseCopySource(req.headers['x-amz-copy-source'] ?? '');
    if (source) checks.push({ action: 's3:GetObject', resource: objectArn(source.bucket, source.key) });
    serviceKeys['s3:x-amz-copy-source'] = req.headers['x-amz-copy-source'] ?? '';
    serviceKeys['s3:x-amz-metadata-directive'] = req.headers['x-amz-metadata-directive'] ?? 'COPY';
  } else if (operation === 'DeleteObjects' && bucket !== undefined) {
    // Authorized key by key, as s3:DeleteObject on each object.
    const keys = deleteObjectsKeys(requestBodyText(req));
    for (const k of keys) checks.push({ action: 's3:DeleteObject', resource: objectArn(bucket, k) });
    if (keys.length === 0) checks.push({ action: 's3:DeleteObject', resource: bucketArn(bucket) });
  } else if (operation !== 'Unknown' && operation !== 'CopyObject' && operation !== 'DeleteObjects') {
    const resource =
      operation === 'ListBuckets'
        ? '*'
        : key !== undefined && bucket !== undefined
          ? objectArn(bucket, key)
          : bucketArn(bucket ?? '');
    checks.push({ action: ACTION[operation], resource });
  }
  if (operation === 'ListObjectsV2' || operation === 'ListObjects') {
    for (const name of ['prefix', 'delimiter', 'max-keys']) {
      const value = q.get(name);
      if (value !== null) serviceKeys[`s3:${name}`] = value;
    }
  }
  addRequestConditionKeys(req, serviceKeys, Date.now());
  const policyArns = [
    ...new Set(
      checks
        .filter((c) => c.resource !== '*')
        .map((c) => bucketArn(c.resource.slice('arn:aws:s3:::'.length).split('/')[0])),
    ),
  ];
  return {
    service: 's3',
    operation,
    actions: [...new Set(checks.map((c) => c.action))],
    resources: [...new Set(checks.map((c) => c.resource))],
    checks,
    resourceOwner: policyArns.length > 0 ? 'bucket' : undefined,
    policyArns,
    serviceKeys,
  };
}
