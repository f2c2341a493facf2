/**
 * DeleteObjects (POST /<bucket>?delete): up to 1000 keys in one request; the body must carry an
 * integrity check (Content-MD5 or a flexible checksum — the SDK sends CRC32). Quiet mode reports
 * only failures. https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
 */
import type { ServiceRequest, ServiceResponse } from '../plugin.ts';
import { ServiceError } from '../common/service-error.ts';
import { deleteObjectsKeys } from './classify.ts';
import { requireBucket } from './object-ops.ts';
import { readUploadPayload } from './payload.ts';
import { xmlResponse } from './responses.ts';
import type { S3Store } from './store.ts';
import { childTexts, document, element, text } from './xml.ts';

const MAX_KEYS = 1000;

export async function deleteObjects(
  store: S3Store,
  req: ServiceRequest,
  bucket: string,
): Promise<ServiceResponse> {
  requireBucket(store, bucket);
  const hasIntegrityCheck =
    Object.keys(req.headers).some((h) => h === 'content-md5' || h.startsWith('x-amz-checksum-')) ||
    (req.headers['x-amz-trailer'] ?? '').startsWith('x-amz-checksum-');
  if (!hasIntegrityCheck) {
    throw new ServiceError(
      'InvalidRequest',
      'Missing required header for this request: Content-MD5 OR x-amz-checksum-*',
      400,
    );
  }
  const xml = readUploadPayload(req).data.toString('utf8');
  const keys = deleteObjectsKeys(xml);
  if (!xml.includes('<Delete') || keys.length === 0 || keys.length > MAX_KEYS) {
    throw new ServiceError(
      'MalformedXML',
      'The XML you provided was not well-formed or did not validate against our published schema',
      400,
    );
  }
  const quiet = (childTexts(xml, 'Quiet')[0] ?? '').trim() === 'true';
  for (const key of keys) await store.deleteObject(bucket, key);
  // Deleting a key that does not exist succeeds, as in S3.
  return xmlResponse(
    document('DeleteResult', quiet ? [] : keys.map((key) => element('Deleted', text('Key', key)))),
  );
}
