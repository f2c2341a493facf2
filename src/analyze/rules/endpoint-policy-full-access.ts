/**
 * endpoint-policy-full-access — a VPC endpoint with no policy (AWS then attaches full access) or
 * with a statement allowing every action on every resource to everyone (the seed's mistake 2):
 * any principal in the VPC can reach any bucket/table/secret of any account through it.
 * Source: https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
 */
import { isAnyonePrincipal, statementsOf } from '../policy-document.ts';
import type { Rule } from './rule.ts';

export const endpointPolicyFullAccess: Rule = {
  id: 'endpoint-policy-full-access',
  severity: 'warning',
  title: 'A VPC endpoint allows full access (no policy, or * on *)',
  help:
    "A VPC endpoint created without a policy gets AWS's default policy, which allows every action on every resource — " +
    'including buckets and tables of other accounts (a data-exfiltration path). Give the endpoint a PolicyDocument that ' +
    "allows only the actions and resources the VPC's workloads use (the access matrix lists them).",
  *check(analysis) {
    for (const endpoint of analysis.model.vpcEndpoints.values()) {
      if (endpoint.type === 'GatewayLoadBalancer' || !endpoint.service) continue;
      if (endpoint.policyDocument === undefined) {
        yield {
          resources: [endpoint.logicalId],
          message: `${endpoint.type.toLowerCase()} endpoint ${endpoint.logicalId} (${endpoint.service}) has no policy: AWS's default allows every action on every resource, in any account`,
          fix: `add a PolicyDocument that allows only the ${endpoint.service} actions and resources your workloads use`,
        };
        continue;
      }
      for (const statement of statementsOf(endpoint.policyDocument)) {
        if (statement.effect !== 'Allow' || Object.keys(statement.condition).length > 0) continue;
        if (!isAnyonePrincipal(statement.principal ?? '*')) continue;
        const allActions =
          statement.notActions !== undefined ||
          (statement.actions ?? []).some(
            (action) => action === '*' || action.toLowerCase() === `${endpoint.service}:*`,
          );
        const allResources =
          statement.notResources !== undefined || (statement.resources ?? []).includes('*');
        if (allActions && allResources) {
          yield {
            resources: [endpoint.logicalId],
            message: `endpoint ${endpoint.logicalId} (${endpoint.service}) policy statement ${statement.sid ?? statement.index} allows all actions on all resources to everyone`,
            fix: 'narrow the statement to the actions and resource ARNs your workloads use',
          };
        }
      }
    }
  },
};
