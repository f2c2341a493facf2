/**
 * endpoint-route-missing — a gateway endpoint (S3/DynamoDB) in a VPC is not on the route table of a
 * subnet whose workloads use that service: their traffic takes the default route (NAT, IGW) or
 * has none. A gateway endpoint only affects the route tables it names.
 * Source: https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
 */
import { logicalIdOf } from '../../model/refs.ts';
import type { Rule } from './rule.ts';

export const endpointRouteMissing: Rule = {
  id: 'endpoint-route-missing',
  severity: 'error',
  title: 'A gateway endpoint is missing from the route table of a subnet that uses its service',
  help:
    "A gateway endpoint adds a route to the service's prefix list only in the route tables listed in RouteTableIds. " +
    'Workloads in other subnets reach the service through their default route (a NAT gateway or nothing). Add the ' +
    'route table of every subnet whose workloads call the service.',
  *check(analysis) {
    const { model } = analysis;
    const reported = new Set<string>();
    for (const flow of analysis.flows) {
      const { workload, path } = flow;
      if (!workload.vpc || path.route === 'gateway-endpoint' || path.route === 'interface-endpoint') continue;
      for (const endpoint of model.vpcEndpoints.values()) {
        if (endpoint.type !== 'Gateway' || endpoint.service !== flow.service) continue;
        if (logicalIdOf(endpoint.vpc) !== workload.vpc) continue;
        if (endpoint.serviceRegion && endpoint.serviceRegion !== model.region) continue;
        const subnet = model.subnets.get(workload.subnets[0] ?? '');
        const table = subnet?.routeTable;
        if (!table) continue;
        if (endpoint.routeTables.some((ref) => logicalIdOf(ref) === table)) continue;
        const key = `${endpoint.logicalId}\u0000${table}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const users = [
          ...new Set(
            analysis.flows
              .filter(
                (other) =>
                  other.service === flow.service &&
                  model.subnets.get(other.workload.subnets[0] ?? '')?.routeTable === table,
              )
              .map((other) => other.workload.logicalId),
          ),
        ];
        const tableName = table.includes('/') ? `the main route table of ${workload.vpc}` : table;
        yield {
          resources: [endpoint.logicalId, ...users],
          message: `gateway endpoint ${endpoint.logicalId} (${endpoint.service}) is not on ${tableName}, used by ${subnet?.logicalId}: ${users.join(', ')} ${users.length > 1 ? 'reach' : 'reaches'} ${flow.service} via ${path.route}${path.reachable ? '' : ' (blocked)'}`,
          fix: table.includes('/')
            ? `associate ${subnet?.logicalId} with a route table listed in ${endpoint.logicalId}'s RouteTableIds`
            : `add !Ref ${table} to ${endpoint.logicalId}'s RouteTableIds`,
        };
      }
    }
  },
};
