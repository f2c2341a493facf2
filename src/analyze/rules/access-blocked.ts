/**
 * access-blocked — a workload is granted an action it can never perform: the network path is
 * blocked (no route, security group, NACL, DNS) or an endpoint/resource policy denies it. The app
 * will fail in production with a timeout or AccessDenied.
 */
import type { MatrixRow } from '../result.ts';
import type { Rule } from './rule.ts';

export const accessBlocked: Rule = {
  id: 'access-blocked',
  severity: 'error',
  title: 'A workload is granted an action it can never perform',
  help:
    'The role grants the action, but the call cannot succeed: the network path is blocked (no route, a security group ' +
    "or NACL, DNS), or a VPC endpoint policy or the resource's policy denies it. The application will time out or get " +
    'AccessDenied in production. Open the path or align the policies with what the role grants (or remove the grant).',
  *check(analysis) {
    const groups = new Map<string, MatrixRow[]>();
    for (const row of analysis.matrix) {
      if (row.reachable && row.decision === 'allowed') continue;
      const cause = !row.reachable
        ? `network:${row.networkBlockedBy?.component ?? '?'}:${row.networkBlockedBy?.resource ?? ''}`
        : `policy:${row.decision}:${row.policyBlockedBy.join(',')}`;
      const key = `${row.workload}\u0000${row.resourceLogicalId ?? row.resource}\u0000${cause}`;
      const rows = groups.get(key) ?? [];
      rows.push(row);
      groups.set(key, rows);
    }
    for (const rows of groups.values()) {
      const row = rows[0];
      const actions = rows.map((r) => r.action).join(', ');
      const target = row.resourceLogicalId ?? row.resource;
      if (!row.reachable) {
        const blocker = row.networkBlockedBy;
        yield {
          resources: [
            row.workload,
            ...(blocker?.resource ? [blocker.resource] : []),
            ...(row.resourceLogicalId ? [row.resourceLogicalId] : []),
          ],
          message: `${row.workload} is granted ${actions} on ${target} but cannot reach ${row.service}: blocked at ${blocker?.component ?? 'the network'}${blocker?.resource ? ` ${blocker.resource}` : ''} (${blocker?.reason ?? 'no path'})`,
          fix: `open the path at ${blocker?.component ?? 'the network'}${blocker?.resource ? ` ${blocker.resource}` : ''} (443 to ${row.service}), or remove the grant`,
        };
        continue;
      }
      const policies = row.policyBlockedBy;
      const where = policies
        .map((kind) =>
          kind === 'endpoint'
            ? `the endpoint policy of ${row.via ?? 'the endpoint'}`
            : kind === 'resource'
              ? `the resource policy of ${target}`
              : `the ${kind} policy`,
        )
        .join(' and ');
      yield {
        resources: [
          row.workload,
          ...(policies.includes('endpoint') && row.via ? [row.via] : []),
          ...(row.resourceLogicalId ? [row.resourceLogicalId] : []),
        ],
        message: `${row.workload} is granted ${actions} on ${target} but ${where || 'no policy'} ${verb(row.decision, policies.length)} it (${row.decision}, via ${row.route})`,
        fix: `allow ${actions} on ${row.resource} in ${where || 'the policies'}, or remove the grant from the role`,
      };
    }
  },
};

function verb(decision: MatrixRow['decision'], policies: number): string {
  if (decision === 'explicit-deny') return policies > 1 ? 'explicitly deny' : 'explicitly denies';
  return policies > 1 ? 'do not allow' : 'does not allow';
}
