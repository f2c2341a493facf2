/**
 * S3 buckets and their bucket policies (AWS::S3::BucketPolicy), kept as raw JSON.
 */
import type { BuildContext } from './context.ts';
import { logicalIdOf, str } from './refs.ts';
import { parsePolicy } from './vpc-endpoint.ts';

export interface Bucket {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /**
   * Block Public Access's RestrictPublicBuckets: with a public bucket policy, only AWS services and
   * the owner account's principals get in. New buckets have every Block Public Access setting on
   * since April 2023; a PublicAccessBlockConfiguration in the template replaces that default.
   */
  readonly restrictPublicBuckets: boolean;
  /** Block Public Access's BlockPublicPolicy: S3 refuses to put a public bucket policy. */
  readonly blockPublicPolicy: boolean;
  /** Block Public Access's BlockPublicAcls: object writes with a public ACL fail. */
  readonly blockPublicAcls: boolean;
  /** Block Public Access's IgnorePublicAcls: public ACLs grant nothing. */
  readonly ignorePublicAcls: boolean;
  /** OwnershipControls' ObjectOwnership; BucketOwnerEnforced (ACLs disabled) unless the template says otherwise. */
  readonly objectOwnership: 'BucketOwnerEnforced' | 'BucketOwnerPreferred' | 'ObjectWriter';
  /** AccessControl: the bucket's canned ACL at creation (`PublicRead`, `LogDeliveryWrite`…). */
  readonly accessControl?: string;
  policy?: unknown;
  /** The AWS::S3::BucketPolicy that holds `policy`. */
  policySource?: string;
}

export function buildBuckets(ctx: BuildContext): Map<string, Bucket> {
  const buckets = new Map<string, Bucket>();
  for (const resource of ctx.ofType('AWS::S3::Bucket')) {
    const name = resource.physicalId;
    buckets.set(resource.logicalId, {
      logicalId: resource.logicalId,
      name,
      arn: str(resource.attributes.Arn) ?? `arn:${ctx.template.partition}:s3:::${name}`,
      restrictPublicBuckets: blockPublicAccess(
        resource.properties.PublicAccessBlockConfiguration,
        'RestrictPublicBuckets',
      ),
      blockPublicPolicy: blockPublicAccess(
        resource.properties.PublicAccessBlockConfiguration,
        'BlockPublicPolicy',
      ),
      blockPublicAcls: blockPublicAccess(
        resource.properties.PublicAccessBlockConfiguration,
        'BlockPublicAcls',
      ),
      ignorePublicAcls: blockPublicAccess(
        resource.properties.PublicAccessBlockConfiguration,
        'IgnorePublicAcls',
      ),
      objectOwnership: objectOwnership(resource.properties.OwnershipControls),
      accessControl: str(resource.properties.AccessControl),
    });
  }
  for (const resource of ctx.ofType('AWS::S3::BucketPolicy')) {
    const bucket = buckets.get(
      logicalIdOf(ctx.index('bucket').ref(resource.properties.Bucket, 'Bucket')) ?? '',
    );
    if (!bucket) {
      ctx.issue(resource.logicalId, 'policy of a bucket outside the template: kept unattached');
      continue;
    }
    bucket.policy = parsePolicy(resource.properties.PolicyDocument);
    bucket.policySource = resource.logicalId;
  }
  return buckets;
}

/**
 * A Block Public Access setting as the template sets it. Without a PublicAccessBlockConfiguration
 * the bucket gets the default (every setting on); a configuration given replaces it, and a setting
 * it leaves out is off, as in PutPublicAccessBlock.
 */
function blockPublicAccess(
  configuration: unknown,
  setting: 'RestrictPublicBuckets' | 'BlockPublicPolicy' | 'BlockPublicAcls' | 'IgnorePublicAcls',
): boolean {
  if (typeof configuration !== 'object' || configuration === null) return true;
  const value = (configuration as Record<string, unknown>)[setting];
  return value === true || value === 'true';
}

/**
 * OwnershipControls' rule as the template sets it. New buckets have BucketOwnerEnforced (ACLs
 * disabled) since April 2023, the same change that turned Block Public Access on.
 */
function objectOwnership(controls: unknown): Bucket['objectOwnership'] {
  const rules = (controls as { Rules?: unknown } | undefined)?.Rules;
  const first = Array.isArray(rules) ? (rules[0] as { ObjectOwnership?: unknown } | undefined) : undefined;
  const value = first?.ObjectOwnership;
  return value === 'BucketOwnerPreferred' || value === 'ObjectWriter' ? value : 'BucketOwnerEnforced';
}
