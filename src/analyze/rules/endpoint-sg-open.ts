/**
 * endpoint-sg-open — an interface endpoint whose security group admits CIDR ranges (the VPC
 * CIDR, 0.0.0.0/0) instead of the callers' security groups, or that falls back to the VPC's
 * default security group (the seed's mistake 3; CDK's default endpoint SG admits 443 from the
 * whole VPC CIDR). Any host in range can then use the endpoint.
 */
import type { Rule } from './rule.ts';

const HTTPS = 443;

export const endpointSgOpen: Rule = {
  id: 'endpoint-sg-open',
  severity: 'warning',
  title: 'An interface endpoint admits CIDR ranges or uses the VPC default security group',
  help:
    "An interface endpoint's security group decides who may send it traffic. Admitting a CIDR (the VPC's, or " +
    '0.0.0.0/0) lets every host in range use it; with no SecurityGroupIds AWS uses the VPC default group. Give the ' +
    "endpoint its own security group whose ingress on 443 names only the callers' security groups.",
  *check(analysis) {
    const { model } = analysis;
    for (const endpoint of model.vpcEndpoints.values()) {
      if (endpoint.type !== 'Interface') continue;
      if (endpoint.securityGroupsDefaulted) {
        yield {
          resources: [endpoint.logicalId],
          message: `interface endpoint ${endpoint.logicalId} (${endpoint.service ?? endpoint.serviceName}) names no security group: it uses the VPC default security group`,
          fix: "give it SecurityGroupIds with a group that admits 443 only from the callers' security groups",
        };
        continue;
      }
      for (const ref of endpoint.securityGroups) {
        if (ref.kind !== 'resource') continue;
        const group = model.securityGroups.get(ref.logicalId);
        if (!group) continue;
        if (group.isDefault) {
          yield {
            resources: [endpoint.logicalId],
            message: `interface endpoint ${endpoint.logicalId} uses the VPC default security group ${group.logicalId}`,
            fix: "give it its own security group that admits 443 only from the callers' security groups",
          };
          continue;
        }
        const open = group.ingress.filter(
          (rule) =>
            (rule.peer.kind === 'cidr' || rule.peer.kind === 'cidr6') &&
            (rule.protocol === 'all' ||
              (rule.protocol === 6 && rule.fromPort <= HTTPS && rule.toPort >= HTTPS)),
        );
        if (open.length === 0) continue;
        const ranges = [
          ...new Set(
            open.map((rule) =>
              rule.peer.kind === 'cidr' || rule.peer.kind === 'cidr6' ? rule.peer.cidr : '',
            ),
          ),
        ];
        yield {
          resources: [endpoint.logicalId, group.logicalId],
          message: `interface endpoint ${endpoint.logicalId} (${endpoint.service ?? endpoint.serviceName}): security group ${group.logicalId} admits 443 from ${ranges.join(', ')} instead of the callers' security groups`,
          fix: `replace the CIDR ingress of ${group.logicalId} with SourceSecurityGroupId rules for the callers' security groups`,
        };
      }
    }
  },
};
