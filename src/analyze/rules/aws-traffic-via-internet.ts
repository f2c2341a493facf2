/**
 * aws-traffic-via-internet — a workload in a VPC reaches an AWS service through a NAT gateway or
 * an internet gateway (the seed's mistake 1): the traffic leaves the private network, pays NAT
 * processing, and carries no aws:SourceVpce for policies to check.
 */
import { GATEWAY_ENDPOINT_SERVICES } from '../action-catalog.ts';
import type { Flow } from '../analysis.ts';
import type { Rule } from './rule.ts';

export const awsTrafficViaInternet: Rule = {
  id: 'aws-traffic-via-internet',
  severity: 'error',
  title: 'A workload reaches an AWS service through a NAT gateway or internet gateway',
  help:
    'Calls from a VPC to an AWS service that leave through a NAT gateway or internet gateway cross the public network, ' +
    'pay NAT data processing, and carry no aws:SourceVpce, so no policy can insist on the private path. Add a gateway ' +
    'endpoint (S3, DynamoDB) on the subnet route tables, or an interface endpoint with private DNS for other services.',
  *check(analysis) {
    const byWorkloadAndGateway = new Map<string, Flow[]>();
    for (const flow of analysis.flows) {
      if (!flow.workload.vpc || !flow.path.reachable) continue;
      if (flow.path.route !== 'nat-gateway' && flow.path.route !== 'internet-gateway') continue;
      const key = `${flow.workload.logicalId}\u0000${flow.path.via ?? ''}`;
      const list = byWorkloadAndGateway.get(key) ?? [];
      list.push(flow);
      byWorkloadAndGateway.set(key, list);
    }
    for (const flows of byWorkloadAndGateway.values()) {
      const { workload, path } = flows[0];
      const services = [...new Set(flows.map((flow) => flow.service))].sort();
      const gateway = path.route === 'nat-gateway' ? 'NAT gateway' : 'internet gateway';
      const fixes = services.map((service) =>
        GATEWAY_ENDPOINT_SERVICES.has(service)
          ? `a gateway endpoint for ${service} on the route table of ${workload.subnets.join(', ')}`
          : `an interface endpoint for ${service} with PrivateDnsEnabled: true in ${workload.vpc}`,
      );
      yield {
        resources: [workload.logicalId, ...(path.via ? [path.via] : [])],
        message: `${workload.logicalId} reaches ${services.join(', ')} through the ${gateway}${path.via ? ` ${path.via}` : ''}: AWS traffic leaves the private network`,
        fix: `add ${fixes.join('; ')}`,
      };
    }
  },
};
