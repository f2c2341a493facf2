/**
 * A bucket's own canned ACL at creation (CloudFormation's `AccessControl`), judged as S3 judges it
 * under Object Ownership "bucket owner enforced" (every new bucket's default since April 2023): the
 * bucket ACL "must give full control only to the bucket owner", so any canned ACL that grants
 * someone else fails the creation with 400 InvalidBucketAclWithObjectOwnership.
 * `BucketOwnerRead` and `BucketOwnerFullControl` are object ACLs that S3 ignores on a bucket.
 * Sources: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl,
 * aws-cloudformation/cloudformation-coverage-roadmap#1606 (AccessControl: LogDeliveryWrite).
 */
import type { ObjectOwnership } from './request-acl.ts';

/** CloudFormation's AccessControl values that give nobody but the owner anything on a bucket. */
const OWNER_ONLY = new Set(['Private', 'BucketOwnerRead', 'BucketOwnerFullControl']);

/** S3's refusal of the bucket's creation, or undefined when the ACL is allowed. */
export function bucketAclRefusal(
  accessControl: string | undefined,
  ownership: ObjectOwnership | undefined,
): string | undefined {
  if (accessControl === undefined || OWNER_ONLY.has(accessControl)) return undefined;
  if ((ownership ?? 'BucketOwnerEnforced') !== 'BucketOwnerEnforced') return undefined;
  return (
    `Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting (Service: Amazon S3; Status Code: 400; Error Code: InvalidBucketAclWithObjectOwnership) — ` +
    `AccessControl ${accessControl} grants others access, and new buckets have ACLs disabled, so the deployment fails on AWS. ` +
    `Remove AccessControl and grant access with a bucket policy, or enable ACLs with OwnershipControls (ObjectOwnership: ObjectWriter or BucketOwnerPreferred)`
  );
}
