/**
 * Whether Amazon S3 considers a bucket policy public ("The meaning of public", S3 User Guide; the
 * same rule in the PublicAccessBlockConfiguration API reference): public unless every statement
 * that allows everyone ("*") is limited by a condition on one of a few keys with fixed values —
 * no wildcard, no policy variable. Block Public Access's RestrictPublicBuckets then keeps
 * anonymous and cross-account callers out of a bucket whose policy is public.
 * Facts and sources: docs/policy-semantics.md, §6a.
 */

/** The condition keys whose fixed values make an allow-everyone statement non-public (lower case). */
const LIMITING_KEYS = new Set([
  'aws:sourceip',
  'aws:sourcearn',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceowner',
  'aws:sourceaccount',
  'aws:userid',
  's3:x-amz-server-side-encryption-aws-kms-key-id',
]);

type Json = Record<string, unknown>;

export function isPublicPolicy(document: unknown): boolean {
  const statements = (document as Json | undefined)?.Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  return list.some((statement) => {
    const s = statement as Json;
    if (s.Effect !== 'Allow') return false;
    // Allow with NotPrincipal grants everyone but the named principals.
    if (s.NotPrincipal !== undefined) return true;
    return allowsEveryone(s.Principal) && !limited(s.Condition);
  });
}

function allowsEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  const aws = (principal as Json | undefined)?.AWS;
  return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
}

/** A condition that pins one of the limiting keys to fixed values, under a non-negated operator. */
function limited(condition: unknown): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  for (const [operator, block] of Object.entries(condition as Json)) {
    const op = operator.toLowerCase();
    // Negated operators and …IfExists let requests without a match (or without the key) through.
    if (op.includes('not') || op.endsWith('ifexists') || op === 'null') continue;
    if (typeof block !== 'object' || block === null) continue;
    for (const [key, values] of Object.entries(block as Json)) {
      if (LIMITING_KEYS.has(key.toLowerCase()) && fixed(values)) return true;
    }
  }
  return false;
}

/** Values with no wildcard and no policy variable (`aws:userid` "AROLEID:*" has a wildcard). */
function fixed(values: unknown): boolean {
  const list = Array.isArray(values) ? values : [values];
  return (
    list.length > 0 &&
    list.every((v) => typeof v === 'string' && !v.includes('*') && !v.includes('?') && !v.includes('${'))
  );
}
