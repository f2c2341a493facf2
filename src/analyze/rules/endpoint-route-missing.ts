/**
 * endpoint-route-missing — a gateway endpoint (S3/DynamoDB) in a VPC is not on the route table of a
 * subnet whose workloads use that service: their traffic takes the default route (NAT, IGW) or
 * has none. A gateway endpoint only affects the route tables it names.
 * Source: https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
 */
import type { VpcEndpoint } from '../../model/index.ts';
import { logicalIdOf } from '../../model/refs.ts';
import type { Flow } from '../analysis.ts';
import { listOf } from '../finding.ts';
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
    const gatewayEndpoints = new Map<string, VpcEndpoint[]>();
    for (const endpoint of model.vpcEndpoints.values()) {
      if (endpoint.type !== 'Gateway' || !endpoint.service) continue;
      if (endpoint.serviceRegion && endpoint.serviceRegion !== model.region) continue;
      const key = `${logicalIdOf(endpoint.vpc) ?? ''}\u0000${endpoint.service}`;
      gatewayEndpoints.set(key, [...(gatewayEndpoints.get(key) ?? []), endpoint]);
    }
    // (endpoint, route table) → the flows that miss it.
    const missing = new Map<string, { endpoint: VpcEndpoint; table: string; flows: Flow[] }>();
    for (const flow of analysis.flows) {
      const { workload, path } = flow;
      if (!workload.vpc || path.route === 'gateway-endpoint' || path.route === 'interface-endpoint') continue;
      const candidates = gatewayEndpoints.get(`${workload.vpc}\u0000${flow.service}`);
      if (!candidates) continue;
      const table = model.subnets.get(workload.subnets[0] ?? '')?.routeTable;
      if (!table) continue;
      for (const endpoint of candidates) {
        if (endpoint.routeTables.some((ref) => logicalIdOf(ref) === table)) continue;
        const key = `${endpoint.logicalId}\u0000${table}`;
        const entry = missing.get(key) ?? { endpoint, table, flows: [] };
        entry.flows.push(flow);
        missing.set(key, entry);
      }
    }
    for (const { endpoint, table, flows } of missing.values()) {
      const users = [...new Set(flows.map((flow) => flow.workload.logicalId))];
      const subnets = [...new Set(flows.map((flow) => flow.workload.subnets[0]))];
      const routes = [
        ...new Set(flows.map((flow) => `${flow.path.route}${flow.path.reachable ? '' : ' (blocked)'}`)),
      ];
      const implicit = table.includes('/');
      const tableName = implicit ? `the main route table of ${flows[0].workload.vpc}` : table;
      yield {
        resources: [endpoint.logicalId, ...users],
        message: `gateway endpoint ${endpoint.logicalId} (${endpoint.service}) is not on ${tableName}, used by ${listOf(subnets)}: ${listOf(users)} ${users.length > 1 ? 'reach' : 'reaches'} ${endpoint.service} via ${routes.join(', ')}`,
        fix: implicit
          ? `associate ${listOf(subnets)} with a route table listed in ${endpoint.logicalId}'s RouteTableIds`
          : `add !Ref ${table} to ${endpoint.logicalId}'s RouteTableIds`,
      };
    }
  },
};
