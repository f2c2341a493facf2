/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, bucket policies. */
import type { ServiceRequest, ServiceResponse } from '../plugin.ts';
import { ServiceError } from '../common/service-error.ts';
import { noSuchBucket, requireBucket } from './object-ops.ts';
import { canonicalUserId, s3Response, xmlResponse } from './responses.ts';
import type { BucketRecord, S3Store } from './store.ts';
import { isPublicPolicy } from '../../policy/public-policy.ts';
import { effectivePublicAccessBlock, SETTINGS, type PublicAccessBlock } from './public-access-block.ts';
import { childTexts, document, element, escapeXml, text } from './xml.ts';

/** https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (general purpose buckets). */
export function validBucketName(name: string): boolean {
  return (
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(name) &&
    !name.startsWith('xn--') &&
    !name.startsWith('sthree-') &&
    !name.endsWith('-s3alias') &&
    !name.endsWith('--ol-s3')
  );
}

export function listBuckets(store: S3Store, accountId: string): ServiceResponse {
  return xmlResponse(
    document(
      'ListAllMyBucketsResult',
      element('Owner', text('ID', canonicalUserId(accountId))),
      element(
        'Buckets',
        store
          .listBuckets()
          .map((b) =>
            element(
              'Bucket',
              text('Name', b.name),
              text('CreationDate', b.creationDate),
              text('BucketRegion', b.region),
            ),
          ),
      ),
    ),
  );
}

export async function createBucket(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
  region: string,
): Promise<ServiceResponse> {
  if (!validBucketName(bucket))
    throw new ServiceError('InvalidBucketName', 'The specified bucket is not valid.', 400, {
      BucketName: bucket,
    });
  const constraint = childTexts(req.body.toString('utf8'), 'LocationConstraint')[0];
  const bucketRegion = constraint && constraint !== '' ? constraint : 'us-east-1';
  if (bucketRegion !== region) {
    throw new ServiceError(
      'IllegalLocationConstraintException',
      `The ${bucketRegion} location constraint is incompatible for the region specific endpoint this request was sent to.`,
      400,
    );
  }
  if (store.getBucket(bucket)) {
    // us-east-1 keeps the legacy behaviour: re-creating your own bucket succeeds.
    if (region !== 'us-east-1') {
      throw new ServiceError(
        'BucketAlreadyOwnedByYou',
        'Your previous request to create the named bucket succeeded and you already own it.',
        409,
        { BucketName: bucket },
      );
    }
  } else {
    await store.putBucket({ name: bucket, creationDate: new Date().toISOString(), region: bucketRegion });
  }
  return s3Response(200, { location: `/${bucket}` });
}

export function headBucket(store: S3Store, bucket: string): ServiceResponse {
  const record = store.getBucket(bucket);
  if (!record) throw noSuchBucket(bucket);
  return s3Response(200, { 'x-amz-bucket-region': record.region, 'x-amz-access-point-alias': 'false' });
}

export function getBucketLocation(store: S3Store, bucket: string): ServiceResponse {
  const record = store.getBucket(bucket);
  if (!record) throw noSuchBucket(bucket);
  // us-east-1 is reported as an empty LocationConstraint.
  return xmlResponse(
    document('LocationConstraint', escapeXml(record.region === 'us-east-1' ? '' : record.region)),
  );
}

export async function deleteBucket(store: S3Store, bucket: string): Promise<ServiceResponse> {
  requireBucket(store, bucket);
  if (store.objectCount(bucket) > 0 || store.listUploads(bucket).length > 0) {
    throw new ServiceError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, {
      BucketName: bucket,
    });
  }
  await store.deleteBucket(bucket);
  return s3Response(204);
}

/**
 * Block Public Access's BlockPublicPolicy refuses a policy S3 considers public, whoever asks: on
 * AWS the call fails with 403 AccessDenied (docs/emulator-semantics.md, "S3: BlockPublicPolicy").
 * `policy` is valid JSON (validatePolicyText).
 */
export function refusesPublicPolicy(
  record: Pick<BucketRecord, 'publicAccessBlock'>,
  policy: string,
): boolean {
  return (
    effectivePublicAccessBlock(record.publicAccessBlock).BlockPublicPolicy &&
    isPublicPolicy(JSON.parse(policy))
  );
}

/** PutPublicAccessBlock: the four settings from the XML body; a setting left out is off. */
export async function putPublicAccessBlock(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
): Promise<ServiceResponse> {
  const record = store.getBucket(bucket);
  if (!record) throw noSuchBucket(bucket);
  const body = req.body.toString('utf8');
  if (!body.includes('PublicAccessBlockConfiguration'))
    throw new ServiceError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
      400,
    );
  const on = (name: (typeof SETTINGS)[number]) => childTexts(body, name)[0]?.trim().toLowerCase() === 'true';
  const publicAccessBlock: PublicAccessBlock = {
    BlockPublicAcls: on('BlockPublicAcls'),
    IgnorePublicAcls: on('IgnorePublicAcls'),
    BlockPublicPolicy: on('BlockPublicPolicy'),
    RestrictPublicBuckets: on('RestrictPublicBuckets'),
  };
  await store.putBucket({ ...record, publicAccessBlock });
  return s3Response(200);
}

export function getPublicAccessBlock(store: S3Store, bucket: string): ServiceResponse {
  const record = store.getBucket(bucket);
  if (!record) throw noSuchBucket(bucket);
  if (record.publicAccessBlock === 'none')
    throw new ServiceError(
      'NoSuchPublicAccessBlockConfiguration',
      'The public access block configuration was not found',
      404,
      { BucketName: bucket },
    );
  const settings = effectivePublicAccessBlock(record.publicAccessBlock);
  return xmlResponse(
    document('PublicAccessBlockConfiguration', ...SETTINGS.map((name) => text(name, settings[name]))),
  );
}

/** DeletePublicAccessBlock: no configuration is left, so every setting is off. */
export async function deletePublicAccessBlock(store: S3Store, bucket: string): Promise<ServiceResponse> {
  const record = store.getBucket(bucket);
  if (!record) throw noSuchBucket(bucket);
  await store.putBucket({ ...record, publicAccessBlock: 'none' });
  return s3Response(204);
}

/** S3 checks the document is JSON with a Statement; the gateway's policy layer judges the rest. */
export function validatePolicyText(policy: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw new ServiceError(
      'MalformedPolicy',
      "Policies must be valid JSON and the first byte must be '{'",
      400,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || !('Statement' in parsed)) {
    throw new ServiceError('MalformedPolicy', 'Missing required field Statement', 400);
  }
}

export async function putBucketPolicy(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
): Promise<ServiceResponse> {
  const record = store.getBucket(bucket);
  if (!record) throw noSuchBucket(bucket);
  const policy = req.body.toString('utf8');
  validatePolicyText(policy);
  if (refusesPublicPolicy(record, policy)) throw new ServiceError('AccessDenied', 'Access Denied', 403);
  await store.putBucket({ ...record, policy });
  return s3Response(204);
}

export function getBucketPolicy(store: S3Store, bucket: string): ServiceResponse {
  const record = store.getBucket(bucket);
  if (!record) throw noSuchBucket(bucket);
  if (record.policy === undefined)
    throw new ServiceError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, {
      BucketName: bucket,
    });
  return s3Response(200, { 'content-type': 'application/json' }, Buffer.from(record.policy, 'utf8'));
}

export async function deleteBucketPolicy(store: S3Store, bucket: string): Promise<ServiceResponse> {
  const record = store.getBucket(bucket);
  if (!record) throw noSuchBucket(bucket);
  const { policy: _removed, ...rest } = record;
  await store.putBucket(rest);
  return s3Response(204);
}
