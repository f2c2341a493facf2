/**
 * flow-logs-missing — a VPC with no flow log (the seed: "monitor VPC Flow Logs to track endpoint
 * activity for security audits"). A VPC counts as covered by an AWS::EC2::FlowLog on the VPC, or
 * by flow logs on every one of its subnets.
 */
import { strings } from '../policy-document.ts';
import type { Rule } from './rule.ts';

export const flowLogsMissing: Rule = {
  id: 'flow-logs-missing',
  severity: 'warning',
  title: 'A VPC has no flow logs',
  help:
    'Without VPC Flow Logs there is no record of which workload talked to which endpoint or address, so endpoint ' +
    'activity cannot be audited. Add an AWS::EC2::FlowLog with ResourceType VPC and ResourceId the VPC.',
  *check(analysis) {
    const { template, model } = analysis;
    const logged = new Set<string>();
    for (const resource of Object.values(template.resources)) {
      if (resource.type !== 'AWS::EC2::FlowLog') continue;
      const ids = [
        ...(strings(resource.properties.ResourceId) ?? []),
        ...(strings(resource.properties.ResourceIds) ?? []),
      ];
      for (const id of ids) logged.add(template.byPhysicalId.get(id) ?? id);
    }
    for (const vpc of model.vpcs.values()) {
      if (logged.has(vpc.logicalId) || logged.has(vpc.physicalId)) continue;
      const subnets = [...model.subnets.values()].filter(
        (subnet) => subnet.vpc.kind === 'resource' && subnet.vpc.logicalId === vpc.logicalId,
      );
      if (
        subnets.length > 0 &&
        subnets.every((subnet) => logged.has(subnet.logicalId) || logged.has(subnet.physicalId))
      )
        continue;
      yield {
        resources: [vpc.logicalId],
        message: `VPC ${vpc.logicalId} has no flow log: its endpoint and internet traffic cannot be audited`,
        fix: `add an AWS::EC2::FlowLog with ResourceType: VPC and ResourceId: !Ref ${vpc.logicalId}`,
      };
    }
  },
};
