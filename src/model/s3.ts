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
