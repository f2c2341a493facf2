/**
 * bucket-public-access-not-blocked — a bucket whose Block Public Access settings are not all on.
 * New buckets have all four on (since April 2023); a PublicAccessBlockConfiguration in the template
 * replaces that default, and a setting it leaves out is off — so a configuration that names one
 * setting turns the other three off. With them off, one public policy or ACL later (a console
 * click, a CLI call) opens the objects to the internet: the seed's images are served "without
 * public access". Sources: docs/policy-semantics.md §6a.
 */
import type { Rule } from './rule.ts';

export const bucketPublicAccessNotBlocked: Rule = {
  id: 'bucket-public-access-not-blocked',
  severity: 'warning',
  title: "A bucket's Block Public Access settings are not all on",
  help:
    'Block Public Access (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets) keeps a bucket ' +
    'from being made public by a policy or an ACL. New buckets have all four on, but a PublicAccessBlockConfiguration ' +
    'in the template replaces that default and the settings it leaves out are off. Set all four to true, or drop the ' +
    'configuration to keep the default.',
  *check(analysis) {
    for (const bucket of analysis.model.buckets.values()) {
      const off = (
        [
          ['BlockPublicAcls', bucket.blockPublicAcls],
          ['IgnorePublicAcls', bucket.ignorePublicAcls],
          ['BlockPublicPolicy', bucket.blockPublicPolicy],
          ['RestrictPublicBuckets', bucket.restrictPublicBuckets],
        ] as const
      )
        .filter(([, on]) => !on)
        .map(([name]) => name);
      if (off.length === 0) continue;
      yield {
        resources: [bucket.logicalId],
        message: `bucket ${bucket.logicalId} has Block Public Access ${off.join(', ')} off (a PublicAccessBlockConfiguration replaces the all-on default; settings it leaves out are off): a public policy or ACL would open its objects`,
        fix: 'set BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets to true, or remove PublicAccessBlockConfiguration to keep the default',
      };
    }
  },
};
