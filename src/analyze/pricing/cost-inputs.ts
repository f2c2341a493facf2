/**
 * Derives the estimator's plain inputs from an analysis: NAT gateways and endpoints with their
 * AZs, and one flow per traced (workload, destination) with the profile's traffic.
 */
import type { Analysis } from '../analysis.ts';
import { logicalIdOf } from '../../model/refs.ts';
import type { CostFlow, CostInputs } from './estimate.ts';
import { trafficFor } from './traffic-profile.ts';

export function costInputs(analysis: Analysis): CostInputs {
  const { model, profile } = analysis;
  const azOfSubnet = (subnet: string | undefined): string | undefined =>
    subnet === undefined ? undefined : model.subnets.get(subnet)?.availabilityZone;

  const natAz = new Map<string, string | undefined>();
  const natGateways = [...model.natGateways.values()].map((nat) => {
    const subnet = logicalIdOf(nat.subnet);
    const az = azOfSubnet(subnet);
    natAz.set(nat.logicalId, az);
    return {
      logicalId: nat.logicalId,
      vpc: subnet ? logicalIdOf(model.subnets.get(subnet)?.vpc) : undefined,
      az,
    };
  });

  const endpointAzs = new Map<string, string[]>();
  const interfaceEndpoints: CostInputs['interfaceEndpoints'][number][] = [];
  const gatewayEndpoints: CostInputs['gatewayEndpoints'][number][] = [];
  for (const endpoint of model.vpcEndpoints.values()) {
    const vpc = logicalIdOf(endpoint.vpc);
    if (endpoint.type === 'Interface') {
      const azs = [
        ...new Set(endpoint.enis.map((eni) => eni.availabilityZone ?? azOfSubnet(eni.subnet) ?? eni.subnet)),
      ];
      endpointAzs.set(endpoint.logicalId, azs);
      interfaceEndpoints.push({
        logicalId: endpoint.logicalId,
        service: endpoint.service ?? endpoint.serviceName ?? '?',
        vpc,
        azs,
      });
    } else if (endpoint.type === 'Gateway' && endpoint.service) {
      gatewayEndpoints.push({ logicalId: endpoint.logicalId, service: endpoint.service, vpc });
    }
  }

  const flows: CostFlow[] = analysis.flows.map((flow) => {
    const az = flow.workload.availabilityZone ?? azOfSubnet(flow.workload.subnets[0]);
    const via = flow.path.via ?? undefined;
    let viaAz: string | undefined;
    if (via && flow.path.route === 'nat-gateway') viaAz = natAz.get(via);
    if (via && flow.path.route === 'interface-endpoint') {
      // The endpoint's regional name resolves to the ENI in the caller's AZ when there is one.
      const azs = endpointAzs.get(via) ?? [];
      viaAz = az !== undefined && azs.includes(az) ? az : azs[0];
    }
    return {
      workload: flow.workload.logicalId,
      service: flow.service,
      vpc: flow.workload.vpc,
      az,
      route: flow.path.route,
      reachable: flow.path.reachable,
      via,
      viaAz,
      traffic: trafficFor(profile, flow.workload.logicalId, flow.service),
    };
  });
  return { natGateways, interfaceEndpoints, gatewayEndpoints, flows };
}
