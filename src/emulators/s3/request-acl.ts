/**
 * ACLs on the requests that create objects (PutObject, CopyObject, CreateMultipartUpload), as S3
 * judges them before storing anything:
 *  - Object Ownership "bucket owner enforced" (every new bucket's setting since April 2023)
 *    disables ACLs: a request may name no ACL or the bucket-owner-full-control one; any other
 *    fails with 400 AccessControlListNotSupported "The bucket does not allow ACLs";
 *  - with ACLs enabled, Block Public Access's BlockPublicAcls (on by default) makes "PUT Object
 *    calls fail if the request includes a public ACL": 403 AccessDenied.
 * Sources: docs/emulator-semantics.md, "S3: ACLs on object writes". ACLs that pass are not kept:
 * the twin grants no access through ACLs.
 */
import { ServiceError } from '../common/service-error.ts';

export type ObjectOwnership = 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';

export interface AclSettings {
  /** Absent: BucketOwnerEnforced, the default of new buckets. */
  readonly objectOwnership?: ObjectOwnership;
}

const GRANT_HEADERS = [
  'x-amz-grant-read',
  'x-amz-grant-read-acp',
  'x-amz-grant-write-acp',
  'x-amz-grant-full-control',
];
const PUBLIC_CANNED = new Set(['public-read', 'public-read-write', 'authenticated-read']);
const PUBLIC_GROUPS = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;

/** Throws S3's refusal when the request's ACL headers are not allowed on this bucket. */
export function checkRequestAcl(
  settings: AclSettings & { readonly blockPublicAcls: boolean },
  headers: Readonly<Record<string, string>>,
  ownerCanonicalId: string,
): void {
  const canned = headers['x-amz-acl'];
  const grants = GRANT_HEADERS.filter((name) => headers[name] !== undefined);
  if (canned === undefined && grants.length === 0) return;
  if ((settings.objectOwnership ?? 'BucketOwnerEnforced') === 'BucketOwnerEnforced') {
    const ownerOnly =
      (canned === undefined || canned === 'bucket-owner-full-control') &&
      grants.every(
        (name) => name === 'x-amz-grant-full-control' && namesOnly(headers[name], ownerCanonicalId),
      );
    if (!ownerOnly)
      throw new ServiceError('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
    return;
  }
  const isPublic =
    (canned !== undefined && PUBLIC_CANNED.has(canned)) ||
    grants.some((name) => PUBLIC_GROUPS.test(headers[name]));
  if (isPublic && settings.blockPublicAcls) throw new ServiceError('AccessDenied', 'Access Denied', 403);
}

/** A grant header (`id="…", uri="…"`) naming exactly the owner's canonical user id. */
function namesOnly(value: string, canonicalId: string): boolean {
  const grantees = value.split(',').map((g) => g.trim().replace(/"/g, ''));
  return grantees.length > 0 && grantees.every((g) => g === `id=${canonicalId}`);
}
