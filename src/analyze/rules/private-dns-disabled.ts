/**
 * private-dns-disabled — an interface endpoint without private DNS while workloads in its VPC call
 * the service's default hostname: the name resolves to public addresses, so their calls go out
 * through a NAT gateway or fail, and never use the endpoint. CloudFormation's PrivateDnsEnabled
 * defaults to false (the CDK sets true).
 * Source: https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html
 */
import { logicalIdOf } from '../../model/refs.ts';
import type { Flow } from '../analysis.ts';
import { listOf } from '../finding.ts';
import type { Rule } from './rule.ts';

export const privateDnsDisabled: Rule = {
  id: 'private-dns-disabled',
  severity: 'error',
  title: 'An interface endpoint has private DNS off while workloads call the default hostname',
  help:
    "Without private DNS the service's regional hostname resolves to its public addresses, so SDK calls from the VPC " +
    'bypass the interface endpoint: they leave through a NAT gateway or fail. Set PrivateDnsEnabled: true (it needs ' +
    "the VPC's EnableDnsSupport and EnableDnsHostnames), or point the clients at the endpoint's own DNS names.",
  *check(analysis) {
    const { model } = analysis;
    const flowsByVpcService = new Map<string, Flow[]>();
    for (const flow of analysis.flows) {
      const key = `${flow.workload.vpc ?? ''}\u0000${flow.service}`;
      const list = flowsByVpcService.get(key);
      if (list) list.push(flow);
      else flowsByVpcService.set(key, [flow]);
    }
    for (const endpoint of model.vpcEndpoints.values()) {
      if (endpoint.type !== 'Interface' || !endpoint.service) continue;
      const vpc = logicalIdOf(endpoint.vpc);
      const vpcModel = vpc ? model.vpcs.get(vpc) : undefined;
      const dnsWorks =
        endpoint.privateDnsEnabled &&
        (vpcModel ? vpcModel.enableDnsSupport && vpcModel.enableDnsHostnames : true);
      if (dnsWorks) continue;
      const callers = analysis.flows.filter(
        (flow) =>
          flow.service === endpoint.service &&
          flow.workload.vpc === vpc &&
          flow.path.via !== endpoint.logicalId,
      );
      const workloads = [...new Set(callers.map((flow) => flow.workload.logicalId))];
      if (workloads.length === 0) continue;
      const routes = [
        ...new Set(
          callers.map((flow) => (flow.path.reachable ? flow.path.route : `${flow.path.route} (blocked)`)),
        ),
      ];
      const why = endpoint.privateDnsEnabled
        ? `the VPC ${vpc} lacks EnableDnsSupport/EnableDnsHostnames, so private DNS does not take effect`
        : 'it has PrivateDnsEnabled false';
      yield {
        resources: [endpoint.logicalId, ...workloads],
        message: `interface endpoint ${endpoint.logicalId} (${endpoint.service}): ${why}; ${listOf(workloads)} ${workloads.length > 1 ? 'call' : 'calls'} the default hostname, which goes ${routes.join(', ')} instead`,
        fix: endpoint.privateDnsEnabled
          ? `set EnableDnsSupport and EnableDnsHostnames to true on ${vpc}`
          : `set PrivateDnsEnabled: true on ${endpoint.logicalId}`,
      };
    }
  },
};
