/**
 * bucket-policy-public — a bucket policy S3 considers public: it allows everyone ("*") without a
 * condition that pins the caller to a VPC endpoint, a VPC, an account, CIDRs… (S3's "meaning of
 * public", `src/policy/public-policy.ts`). The seed's images are reached "without public access".
 * Two outcomes on AWS: with Block Public Access's BlockPublicPolicy on (new buckets' default since
 * April 2023) S3 refuses the policy and the stack fails to deploy; with it off, the objects are
 * open to the internet. Sources: docs/policy-semantics.md §6a.
 */
import { isPublicPolicy } from '../../policy/public-policy.ts';
import type { Rule } from './rule.ts';

export const bucketPolicyPublic: Rule = {
  id: 'bucket-policy-public',
  severity: 'error',
  title: 'A bucket policy grants everyone ("*") access without a limiting condition',
  help:
    'S3 treats a bucket policy as public when a statement allows "*" without pinning the caller to fixed values of ' +
    'aws:SourceVpce, aws:SourceVpc, aws:SourceIp, aws:SourceArn, aws:SourceAccount and a few other keys. With Block ' +
    'Public Access on (the default for new buckets) S3 refuses such a policy and the deployment fails; with it off, ' +
    'anyone on the internet gets the access. Name the principals, or add a condition on aws:SourceVpce.',
  *check(analysis) {
    for (const bucket of analysis.model.buckets.values()) {
      if (bucket.policy === undefined || !isPublicPolicy(bucket.policy)) continue;
      const holder = bucket.policySource ?? bucket.logicalId;
      yield bucket.blockPublicPolicy
        ? {
            resources: [holder, bucket.logicalId],
            message: `the policy of bucket ${bucket.logicalId} is public (it allows "*" without a limiting condition): Block Public Access (BlockPublicPolicy, on by default) makes S3 refuse it, so the stack fails to deploy`,
            fix: `limit the "*" statement with a condition such as StringEquals aws:SourceVpce: <your endpoint>, or name the principals`,
          }
        : {
            resources: [holder, bucket.logicalId],
            message: `the policy of bucket ${bucket.logicalId} is public and Block Public Access is off: anyone on the internet gets what it allows`,
            fix: `name the principals or add a condition on aws:SourceVpce, and keep PublicAccessBlockConfiguration's four settings true`,
          };
    }
  },
};
