/**
 * AWS's wording for an authorization failure, from the decision's kind and the policy type that
 * stopped it. Sources (docs/twin.md): IAM "Troubleshoot access denied error messages" and S3
 * "Troubleshoot access denied (403 Forbidden) errors" — S3 quotes the resource ARN.
 */
import type { Decision, PolicyKind } from '../policy/index.ts';

const POLICY_TYPE: Record<PolicyKind, string> = {
  identity: 'identity-based policy',
  resource: 'resource-based policy',
  endpoint: 'VPC endpoint policy',
  scp: 'service control policy',
  rcp: 'resource control policy',
  boundary: 'permissions boundary',
  session: 'session policy',
};

/** Which policy type the message names when several failed: the outermost gate first. */
const IMPLICIT_ORDER: PolicyKind[] = [
  'scp',
  'rcp',
  'endpoint',
  'boundary',
  'session',
  'identity',
  'resource',
];

export function policyTypeOf(decision: Decision): PolicyKind | undefined {
  if (decision.decision === 'explicit-deny') return decision.blockedBy[0];
  return IMPLICIT_ORDER.find((kind) => decision.blockedBy.includes(kind));
}

export function denialMessage(
  principal: string,
  action: string,
  resource: string,
  decision: Decision,
  service: string,
): string {
  const kind = policyTypeOf(decision) ?? 'identity';
  const on = service === 's3' ? `"${resource}"` : resource;
  const reason =
    decision.decision === 'explicit-deny'
      ? `with an explicit deny in a ${POLICY_TYPE[kind]}`
      : `because no ${POLICY_TYPE[kind]} allows the ${action} action`;
  return `User: ${principal} is not authorized to perform: ${action} on resource: ${on} ${reason}`;
}
