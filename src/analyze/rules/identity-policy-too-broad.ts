/**
 * identity-policy-too-broad — a workload's role allows `*` actions, or actions on `*` resources,
 * on a data service (S3, DynamoDB, Secrets Manager, KMS, execute-api). Least privilege names
 * the actions and the resources (the seed: "restrict access to specific resources").
 */
import { DATA_SERVICES, resourceKindOf, serviceOf } from '../action-catalog.ts';
import { statementsOf } from '../policy-document.ts';
import { listOf } from '../finding.ts';
import type { Rule } from './rule.ts';

export const identityPolicyTooBroad: Rule = {
  id: 'identity-policy-too-broad',
  severity: 'warning',
  title: 'A workload role grants * actions or * resources on a data service',
  help:
    'A workload role that allows every action of a data service, or an action on every resource, lets a compromised ' +
    'workload read or change data it never needs. Name the actions (s3:GetObject, dynamodb:PutItem, ...) and the ' +
    "resource ARNs (the bucket, table, secret) in the role's policies.",
  *check(analysis) {
    const usersByRole = new Map<string, string[]>();
    for (const workload of analysis.model.workloads) {
      if (!workload.roleLogicalId) continue;
      const users = usersByRole.get(workload.roleLogicalId) ?? [];
      users.push(workload.logicalId);
      usersByRole.set(workload.roleLogicalId, users);
    }
    for (const [roleId, users] of usersByRole) {
      const role = analysis.model.roles.get(roleId);
      if (!role) continue;
      for (const policy of [...role.inlinePolicies, ...role.managedPolicies]) {
        for (const statement of statementsOf(policy.document)) {
          if (statement.effect !== 'Allow') continue;
          const problems: string[] = [];
          if (statement.notActions) problems.push('NotAction (everything but a list)');
          for (const action of statement.actions ?? []) {
            const service = serviceOf(action);
            if (action === '*') problems.push('Action "*"');
            else if (DATA_SERVICES.has(service) && /:\*$/.test(action)) problems.push(`Action "${action}"`);
          }
          const dataActions = (statement.actions ?? []).filter(
            (action) =>
              action === '*' || (DATA_SERVICES.has(serviceOf(action)) && resourceKindOf(action) !== 'any'),
          );
          if (dataActions.length > 0 && (statement.resources ?? []).includes('*')) {
            problems.push(`Resource "*" for ${dataActions.join(', ')}`);
          }
          if (problems.length === 0) continue;
          yield {
            resources: [roleId, ...users],
            message: `${policy.source} statement ${statement.sid ?? statement.index} grants ${problems.join('; ')} to ${listOf(users)}`,
            fix: 'list the exact actions and the ARNs of the buckets/tables/secrets the workload uses',
          };
        }
      }
    }
  },
};
