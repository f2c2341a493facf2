/**
 * interface-endpoint-for-gateway-service — an interface endpoint for S3 or DynamoDB where a
 * gateway endpoint would serve the same callers in the VPC for free (the seed's mistake 4).
 * The finding carries the interface endpoint's monthly cost: hours per AZ plus data processed.
 */
import { GATEWAY_ENDPOINT_SERVICES } from '../action-catalog.ts';
import { trafficFor } from '../pricing/traffic-profile.ts';
import type { Rule } from './rule.ts';

export const interfaceEndpointForGatewayService: Rule = {
  id: 'interface-endpoint-for-gateway-service',
  severity: 'warning',
  title: 'An interface endpoint is used for S3/DynamoDB where a free gateway endpoint would do',
  help:
    'Interface endpoints cost per hour in every AZ plus per GB processed; gateway endpoints for S3 and DynamoDB are ' +
    'free and serve every workload in the VPC whose route table carries them. Unless on-premises or peered networks ' +
    "must reach S3/DynamoDB through this endpoint, replace it with a Gateway endpoint on the workloads' route tables.",
  *check(analysis) {
    const { model, prices, profile } = analysis;
    const gbByVia = new Map<string, number>();
    for (const flow of analysis.flows) {
      if (!flow.path.reachable || !flow.path.via) continue;
      const gb = trafficFor(profile, flow.workload.logicalId, flow.service).gbPerMonth;
      gbByVia.set(flow.path.via, (gbByVia.get(flow.path.via) ?? 0) + gb);
    }
    for (const endpoint of model.vpcEndpoints.values()) {
      if (
        endpoint.type !== 'Interface' ||
        !endpoint.service ||
        !GATEWAY_ENDPOINT_SERVICES.has(endpoint.service)
      )
        continue;
      if (endpoint.serviceRegion && endpoint.serviceRegion !== model.region) continue; // cross-Region: gateway endpoints cannot
      const azs = new Set(
        endpoint.enis.map(
          (eni) => eni.availabilityZone ?? model.subnets.get(eni.subnet)?.availabilityZone ?? eni.subnet,
        ),
      );
      const azCount = Math.max(1, azs.size);
      const hours = prices.hoursPerMonth * azCount * prices.prices.interfaceEndpointAzHour.usd;
      const gb = gbByVia.get(endpoint.logicalId) ?? 0;
      const monthly = Math.round((hours + gb * prices.prices.interfaceEndpointGb.usd) * 100) / 100;
      yield {
        resources: [endpoint.logicalId],
        message: `interface endpoint ${endpoint.logicalId} for ${endpoint.service} costs $${monthly.toFixed(2)}/month (${azCount} AZ × ${prices.hoursPerMonth} h + ${gb} GB); a gateway endpoint is free`,
        fix: `replace it with VpcEndpointType: Gateway and RouteTableIds of the callers' subnets (update aws:SourceVpce conditions to the new endpoint)`,
        monthlyCostUsd: monthly,
      };
    }
  },
};
