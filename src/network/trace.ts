/**
 * `trace(model, from, target, port)`: the network path of one TCP connection from a workload,
 * decided hop by hop exactly as the VPC would — DNS, security-group egress, NACL outbound (and
 * the return traffic), route-table longest prefix match, then the target (gateway endpoint,
 * interface endpoint ENI, NAT → IGW, IGW, local ENI, peering/TGW) with its own checks.
 */
import type { AddressHolder, Model } from '../model/index.ts';
import { syntheticId } from '../model/ids.ts';
import type { Workload } from '../model/workloads.ts';
import { UserError } from '../cli/user-error.ts';
import { publicServiceAddress } from './aws-prefixes.ts';
import { type Destination, nameTarget, resolveDestination } from './dns.ts';
import { type FlowContext, type FlowInterface, type FlowRecord, flowRecord } from './flow-logs.ts';
import { flowLogServiceName } from './hostnames.ts';
import { isPrivateAddress, parseIpv4 } from './ipv4.ts';
import { describeEntry, evaluateNacl } from './network-acls.ts';
import { type NetworkIndex, networkIndex } from './network-index.ts';
import type { BlockedBy, Hop, HopComponent, Path, PolicyPath, RouteKind, TraceTarget } from './path.ts';
import { lookupRoute } from './routing.ts';
import { describeRule, evaluateSecurityGroups } from './security-groups.ts';

export interface TraceOptions {
  /** Flow-record start time (epoch seconds). @default now */
  readonly now?: number;
}

const TCP = 6;

/** Ephemeral ports the client's response traffic comes back to (AWS NACL documentation). */
function ephemeralRange(workload: Workload): [number, number] {
  return workload.kind === 'lambda' || workload.kind === 'sam-function' ? [1024, 65535] : [32768, 61000];
}

export function trace(
  model: Model,
  fromWorkloadLogicalId: string,
  target: TraceTarget,
  port?: number,
  options: TraceOptions = {},
): Path {
  const workload = model.workloadsById.get(fromWorkloadLogicalId);
  if (!workload) {
    const known = model.workloads.map((w) => `${w.logicalId} (${w.kind})`).join(', ') || 'none';
    throw new UserError(`--from ${fromWorkloadLogicalId} is not a workload; workloads: ${known}`, {
      file: model.template.file,
    });
  }
  const index = networkIndex(model);
  const destination = resolveDestination(model, index, workload, nameTarget(model, target, port));
  const tracer = new PathTracer(
    model,
    index,
    workload,
    destination,
    options.now ?? Math.floor(Date.now() / 1000),
  );
  return tracer.run();
}

class PathTracer {
  private readonly hops: Hop[] = [];
  /** Flow records are built only when read (most callers never look at them). */
  private readonly records: Array<() => FlowRecord> = [];
  private blockedBy: BlockedBy | null = null;
  private route: RouteKind = 'none';
  private via: string | null = null;
  private endpointId: string | null = null;
  private policyPath: PolicyPath | null = null;
  private readonly flow: FlowContext;
  private readonly srcPort: number;
  private readonly ephemeral: [number, number];

  constructor(
    private readonly model: Model,
    private readonly index: NetworkIndex,
    private readonly workload: Workload,
    private readonly destination: Destination,
    now: number,
  ) {
    this.flow = { accountId: model.accountId, region: model.region, start: now };
    this.ephemeral = ephemeralRange(workload);
    this.srcPort =
      this.ephemeral[0] +
      (hashText(`${workload.logicalId}|${destination.host ?? destination.address}`) %
        (this.ephemeral[1] - this.ephemeral[0] + 1));
  }

  run(): Path {
    this.hops.push(this.destination.dnsHop);
    if (this.destination.dnsHop.result === 'block' || this.destination.address === null) {
      this.block('dns', this.destination.dnsHop.resource, this.destination.dnsHop.detail);
    } else if (this.workload.outsideVpc) {
      this.outsideVpc(this.destination.address);
    } else {
      this.inVpc(this.destination.address);
    }
    return this.result();
  }

  // ---- outside any VPC -------------------------------------------------------------------

  private outsideVpc(address: string): void {
    const fn = this.workload.logicalId;
    if (isPrivateAddress(parseIpv4(address) ?? 0)) {
      this.hop(
        'outside-vpc',
        fn,
        'block',
        `${fn} has no VpcConfig: it runs outside every VPC and cannot reach the private address ${address}`,
      );
      return;
    }
    this.hop(
      'outside-vpc',
      fn,
      'pass',
      `${fn} has no VpcConfig: it runs in the Lambda service's network and reaches public endpoints directly (no VPC endpoint, no aws:SourceVpce)`,
    );
    if (!this.checkApi(false)) return;
    this.route = 'outside-vpc';
    this.policyPath = {
      kind: 'outside-vpc',
      publicSourceIp: publicServiceAddress('lambda', this.model.region, `${fn}/egress`),
    };
  }

  // ---- inside a VPC --------------------------------------------------------------------

  private inVpc(address: string): void {
    const w = this.workload;
    const subnetKey = w.subnets[0];
    const subnet = subnetKey ? this.model.subnets.get(subnetKey) : undefined;
    const vpc = w.vpc ? this.model.vpcs.get(w.vpc) : undefined;
    if (!subnet || !vpc || !w.privateIp) {
      const why =
        w.unresolved.join('; ') ||
        (subnet
          ? `subnet ${subnet.logicalId} has no known CIDR`
          : `subnet ${subnetKey ?? '(none)'} is not in the template`);
      this.hop('workload', w.logicalId, 'block', `cannot place ${w.logicalId} in the network: ${why}`);
      return;
    }
    const srcIp = w.privateIp;
    const dst = parseIpv4(address) as number;
    const holder = this.model.addresses.holderOf(address);
    const destinationGroups = this.groupsOf(holder);
    const eni: FlowInterface = {
      eniId: w.eniId,
      vpcId: vpc.physicalId,
      subnetId: subnet.physicalId,
      instanceId: w.kind === 'ec2' ? this.model.template.resources[w.logicalId]?.physicalId : undefined,
      availabilityZone: w.availabilityZone,
    };
    const dstService = flowLogServiceName(isPrivateAddress(dst) ? null : this.destination.service);
    const port = this.destination.port;

    // 1. Security group egress (stateful: the response is let back in).
    const egress = evaluateSecurityGroups(
      this.index.securityGroups,
      w.securityGroups,
      'egress',
      { address: dst, groups: destinationGroups },
      port,
      TCP,
      this.index.prefixListContains,
    );
    if (!egress.allowed) {
      this.hop(
        'security-group-egress',
        w.securityGroups[0] ?? null,
        'block',
        `no egress rule of ${w.securityGroups.join(', ') || '(no security groups)'} allows tcp ${port} to ${address}${destinationGroups.length ? ` (security groups ${destinationGroups.join(', ')})` : ''}${egress.unknownGroups.length ? `; not in the template: ${egress.unknownGroups.join(', ')}` : ''}`,
      );
      this.egressRecord({ eni, address, port, dstService }, 'REJECT', 1);
      return;
    }
    this.hop(
      'security-group-egress',
      egress.group ?? null,
      'pass',
      `${egress.group} allows ${describeRule(egress.rule!, 'egress')}`,
    );

    // 2. NACL of the workload's subnet: outbound request, inbound response (stateless).
    const sameSubnet = holder !== undefined && holder.subnet === subnet.logicalId;
    const sourceNacl = sameSubnet
      ? 'ok'
      : this.naclPair(subnet.networkAcl, 'outbound', dst, port, this.ephemeral, subnet.logicalId);
    if (sourceNacl !== 'ok') {
      // Request denied: the packet never leaves. Response denied: it left, the answer is dropped on the way in.
      const request = sourceNacl === 'request' ? 'REJECT' : 'ACCEPT';
      this.egressRecord({ eni, address, port, dstService }, request);
      if (sourceNacl === 'response')
        this.records.push(() =>
          flowRecord(this.flow, eni, {
            direction: 'ingress',
            srcaddr: address,
            dstaddr: srcIp,
            srcport: port,
            dstport: this.srcPort,
            action: 'REJECT',
            kind: 'response',
            srcService: dstService,
          }),
        );
      return;
    }
    if (sameSubnet)
      this.hop(
        'network-acl-outbound',
        subnet.networkAcl ?? null,
        'pass',
        `${address} is in the same subnet ${subnet.logicalId}: network ACLs do not apply`,
      );

    // 3. Route table: longest prefix match.
    const tableKey = subnet.routeTable;
    const table = tableKey ? this.index.routeTable(tableKey) : undefined;
    const match = table ? lookupRoute(table, dst) : undefined;
    if (!table || !match) {
      const ignored = table?.ignored.length
        ? `; ignored: ${table.ignored.map((i) => `${i.route.logicalId} (${i.reason})`).join(', ')}`
        : '';
      this.hop(
        'route-table',
        tableKey ?? null,
        'block',
        `no route in ${tableKey ?? '(no route table)'} matches ${address}${ignored}`,
      );
      this.egressRecord({ eni, address, port, dstService }, 'ACCEPT');
      return;
    }
    const target = match.route.target;
    const targetName =
      'ref' in target
        ? target.ref.kind === 'resource'
          ? target.ref.logicalId
          : target.ref.kind === 'external'
            ? target.ref.physicalId
            : '(unresolved)'
        : '';
    this.hop(
      'route-table',
      table.key,
      'pass',
      `${match.via} → ${target.kind}${targetName ? ` ${targetName}` : ''}${targetName === match.route.logicalId ? '' : ` (route ${match.route.logicalId})`}`,
    );

    const packet: Packet = { eni, address, port, dstService };
    switch (target.kind) {
      case 'local':
        this.local(packet);
        return;
      case 'gateway-endpoint':
        this.gatewayEndpoint(
          target.ref.kind === 'resource' ? target.ref.logicalId : undefined,
          target.ref.kind !== 'unresolved' ? target.ref.physicalId : '',
          packet,
        );
        return;
      case 'nat-gateway':
        this.natGateway(target.ref.kind === 'resource' ? target.ref.logicalId : undefined, packet);
        return;
      case 'internet-gateway':
        this.internetGateway(
          target.ref.kind === 'resource'
            ? target.ref.logicalId
            : target.ref.kind === 'external'
              ? target.ref.physicalId
              : '',
          packet,
        );
        return;
      case 'vpc-peering':
      case 'transit-gateway': {
        const name =
          target.ref.kind === 'resource'
            ? target.ref.logicalId
            : target.ref.kind === 'external'
              ? target.ref.physicalId
              : '(unresolved)';
        this.route = target.kind;
        this.via = target.ref.kind === 'resource' ? target.ref.logicalId : null;
        this.hop(
          target.kind,
          name,
          'block',
          `the path leaves the VPC through ${target.kind === 'vpc-peering' ? 'peering connection' : 'transit gateway'} ${name}; the other side is not modelled, so reachability is not decided`,
        );
        this.egressRecord(packet, 'ACCEPT', 1);
        return;
      }
      case 'unresolved':
        this.hop(
          'route-table',
          table.key,
          'block',
          `route ${match.route.logicalId} has an unresolved target: ${target.reason}`,
        );
        return;
      default:
        this.hop(
          'route-table',
          table.key,
          'block',
          `route ${match.route.logicalId} sends ${address} to a ${target.kind}, which this model does not follow`,
        );
    }
  }

  // ---- targets -------------------------------------------------------------------------

  private local(p: Packet): void {
    const holder = this.model.addresses.holderOf(p.address);
    const w = this.workload;
    if (!holder) {
      this.hop(
        'local',
        null,
        'block',
        `the local route delivers to ${p.address}, but no modelled network interface has that address`,
      );
      this.egressRecord(p, 'ACCEPT', 1);
      return;
    }
    const src = parseIpv4(w.privateIp as string) as number;
    const destinationSubnet = this.model.subnets.get(holder.subnet);
    const dstEni: FlowInterface = {
      eniId: this.eniOf(holder),
      vpcId: p.eni.vpcId,
      subnetId: destinationSubnet?.physicalId ?? '-',
      availabilityZone: destinationSubnet?.availabilityZone,
    };
    let resource: string;
    if (holder.kind === 'endpoint-eni') {
      const endpoint = this.model.vpcEndpoints.get(holder.endpoint);
      resource = holder.endpoint;
      this.hop(
        'interface-endpoint',
        holder.endpoint,
        'pass',
        `${p.address} is ENI ${holder.eniId} of ${endpoint?.type ?? ''} endpoint ${holder.endpoint} (${endpoint?.serviceName ?? 'unknown service'}) in ${holder.subnet}`,
      );
    } else if (holder.kind === 'database') {
      const database = this.model.databases.get(holder.database);
      resource = holder.database;
      if (database && database.port !== p.port) {
        this.hop(
          'rds',
          holder.database,
          'block',
          `${holder.database} listens on ${database.port}, not ${p.port}`,
        );
        this.egressRecord(p, 'ACCEPT', 1);
        return;
      }
      this.hop(
        'rds',
        holder.database,
        'pass',
        `${p.address} is ${database?.kind === 'cluster' ? 'DB cluster' : 'DB instance'} ${holder.database} (${database?.engine ?? 'engine unknown'}, port ${database?.port}) in ${holder.subnet}`,
      );
    } else {
      resource = holder.kind === 'workload' ? holder.workload : holder.natGateway;
      this.hop('local', resource, 'pass', `${p.address} is ${holder.kind} ${resource} in ${holder.subnet}`);
    }

    // The destination subnet's NACL (when it is another subnet), then its security groups.
    const sameSubnet = holder.subnet === w.subnets[0];
    const destinationNacl =
      sameSubnet || !destinationSubnet
        ? 'ok'
        : this.naclPair(
            destinationSubnet.networkAcl,
            'inbound',
            src,
            p.port,
            this.ephemeral,
            destinationSubnet.logicalId,
          );
    if (destinationNacl !== 'ok') {
      const srcIp = w.privateIp as string;
      this.egressRecord(p, 'ACCEPT', 1);
      this.records.push(() =>
        flowRecord(this.flow, dstEni, {
          direction: 'ingress',
          srcaddr: srcIp,
          dstaddr: p.address,
          srcport: this.srcPort,
          dstport: p.port,
          action: destinationNacl === 'request' ? 'REJECT' : 'ACCEPT',
          kind: 'request',
        }),
      );
      if (destinationNacl === 'response')
        this.records.push(() =>
          flowRecord(this.flow, dstEni, {
            direction: 'egress',
            srcaddr: p.address,
            dstaddr: srcIp,
            srcport: p.port,
            dstport: this.srcPort,
            action: 'REJECT',
            kind: 'response',
            trafficPath: 1,
          }),
        );
      return;
    }
    const groups = this.groupsOf(holder);
    if (holder.kind !== 'nat-gateway') {
      const ingress = evaluateSecurityGroups(
        this.index.securityGroups,
        groups,
        'ingress',
        { address: src, groups: w.securityGroups },
        p.port,
        TCP,
        this.index.prefixListContains,
      );
      if (!ingress.allowed) {
        this.hop(
          'security-group-ingress',
          groups[0] ?? null,
          'block',
          `no ingress rule of ${groups.join(', ') || '(no security groups)'} admits tcp ${p.port} from ${w.privateIp} (security groups ${w.securityGroups.join(', ') || 'none'})${ingress.unknownGroups.length ? `; not in the template: ${ingress.unknownGroups.join(', ')}` : ''}`,
        );
        this.egressRecord(p, 'ACCEPT', 1);
        this.records.push(() =>
          flowRecord(this.flow, dstEni, {
            direction: 'ingress',
            srcaddr: w.privateIp as string,
            dstaddr: p.address,
            srcport: this.srcPort,
            dstport: p.port,
            action: 'REJECT',
            kind: 'request',
          }),
        );
        return;
      }
      this.hop(
        'security-group-ingress',
        ingress.group ?? null,
        'pass',
        `${ingress.group} admits ${describeRule(ingress.rule!, 'ingress')}`,
      );
    }

    if (holder.kind === 'endpoint-eni') {
      const endpoint = this.model.vpcEndpoints.get(holder.endpoint);
      if (endpoint?.service === 'execute-api' || this.destination.apiId) {
        if (!this.checkApi(true)) {
          this.roundTrip(p, dstEni);
          return;
        }
      }
      this.route = 'interface-endpoint';
      this.via = holder.endpoint;
      this.endpointId = endpoint?.physicalId ?? null;
      this.policyPath = {
        kind: 'interface-endpoint',
        vpcEndpointId: this.endpointId ?? undefined,
        vpcEndpointAccount: this.model.accountId,
        vpcId: p.eni.vpcId,
        vpcSourceIp: w.privateIp,
      };
    } else {
      this.route = 'local';
      this.via = resource;
      this.policyPath = { kind: 'local', vpcId: p.eni.vpcId, vpcSourceIp: w.privateIp };
    }
    this.roundTrip(p, dstEni);
  }

  private gatewayEndpoint(logicalId: string | undefined, physicalId: string, p: Packet): void {
    const endpoint = logicalId ? this.model.vpcEndpoints.get(logicalId) : undefined;
    if (!endpoint) {
      this.hop(
        'gateway-endpoint',
        physicalId || null,
        'block',
        `route target ${physicalId} is a VPC endpoint outside the template: not followed`,
      );
      return;
    }
    if (endpoint.type === 'GatewayLoadBalancer') {
      this.hop(
        'gateway-endpoint',
        endpoint.logicalId,
        'block',
        `${endpoint.logicalId} is a Gateway Load Balancer endpoint: traffic goes to inspection appliances outside the model`,
      );
      this.egressRecord(p, 'ACCEPT', 1);
      return;
    }
    if (endpoint.type === 'Interface') {
      this.hop(
        'gateway-endpoint',
        endpoint.logicalId,
        'block',
        `${endpoint.logicalId} is an interface endpoint: a route cannot target it`,
      );
      return;
    }
    this.hop(
      'gateway-endpoint',
      endpoint.logicalId,
      'pass',
      `gateway endpoint ${endpoint.logicalId} (${endpoint.serviceName}): ${p.address} is in prefix list ${endpoint.prefixListId} of ${endpoint.service} in ${endpoint.serviceRegion}, the endpoint's own Region`,
    );
    this.route = 'gateway-endpoint';
    this.via = endpoint.logicalId;
    this.endpointId = endpoint.physicalId;
    this.policyPath = {
      kind: 'gateway-endpoint',
      vpcEndpointId: endpoint.physicalId,
      vpcEndpointAccount: this.model.accountId,
      vpcId: p.eni.vpcId,
      vpcSourceIp: this.workload.privateIp,
    };
    this.roundTrip(p, undefined, 7);
  }

  private natGateway(logicalId: string | undefined, p: Packet): void {
    const nat = logicalId ? this.model.natGateways.get(logicalId) : undefined;
    if (!nat) {
      this.hop(
        'nat-gateway',
        logicalId ?? null,
        'block',
        'route target is a NAT gateway outside the template: not followed',
      );
      return;
    }
    if (nat.connectivityType === 'private') {
      this.hop(
        'nat-gateway',
        nat.logicalId,
        'block',
        `${nat.logicalId} is a private NAT gateway: it cannot send traffic to an internet gateway`,
      );
      this.egressRecord(p, 'ACCEPT', 1);
      return;
    }
    const natSubnet = this.model.subnets.get(nat.subnet.kind === 'resource' ? nat.subnet.logicalId : '');
    const dst = parseIpv4(p.address) as number;
    const src = parseIpv4(this.workload.privateIp as string) as number;
    if (!natSubnet || !nat.privateIp) {
      this.hop('nat-gateway', nat.logicalId, 'block', `${nat.logicalId} is in an unknown subnet`);
      return;
    }
    if (
      natSubnet.logicalId !== this.workload.subnets[0] &&
      this.naclPair(natSubnet.networkAcl, 'inbound', src, p.port, this.ephemeral, natSubnet.logicalId) !==
        'ok'
    ) {
      this.egressRecord(p, 'ACCEPT', 1);
      return;
    }
    const table = natSubnet.routeTable ? this.index.routeTable(natSubnet.routeTable) : undefined;
    const match = table ? lookupRoute(table, dst) : undefined;
    const igwKey =
      match?.route.target.kind === 'internet-gateway' && match.route.target.ref.kind === 'resource'
        ? match.route.target.ref.logicalId
        : undefined;
    const igw = igwKey ? this.model.internetGateways.get(igwKey) : undefined;
    if (!igw || !igw.vpcs.includes(this.workload.vpc ?? '')) {
      const why = !match
        ? `has no route for ${p.address}`
        : igw
          ? `routes ${p.address} to ${igw.logicalId}, which is not attached to the VPC`
          : `routes ${p.address} to ${match.route.target.kind}, not to an internet gateway`;
      this.hop(
        'nat-gateway',
        nat.logicalId,
        'block',
        `${nat.logicalId} is in ${natSubnet.logicalId}, whose route table ${natSubnet.routeTable} ${why}: a NAT gateway needs an internet gateway route`,
      );
      this.egressRecord(p, 'ACCEPT', 1);
      return;
    }
    // The NAT gateway's side: its subnet NACL outbound to the internet (responses come back to ports 1024-65535).
    if (
      this.naclPair(natSubnet.networkAcl, 'outbound', dst, p.port, [1024, 65535], natSubnet.logicalId) !==
      'ok'
    ) {
      this.egressRecord(p, 'ACCEPT', 1);
      return;
    }
    const publicIp = nat.publicIp ?? publicServiceAddress('ec2', this.model.region, `${nat.logicalId}/eip`);
    this.hop(
      'nat-gateway',
      nat.logicalId,
      'pass',
      `${nat.logicalId} in ${natSubnet.logicalId} translates ${this.workload.privateIp} to ${publicIp}${nat.publicIp ? '' : ' (EIP address not known before deployment; placeholder)'}; ${match!.via} → ${igw.logicalId}`,
    );
    this.hop(
      'internet-gateway',
      igw.logicalId,
      'pass',
      `${igw.logicalId} is attached to ${this.workload.vpc}`,
    );
    this.route = 'nat-gateway';
    this.via = nat.logicalId;
    this.policyPath = { kind: 'nat-gateway', publicSourceIp: publicIp };
    const natEni: FlowInterface = {
      eniId: syntheticId('eni', `${nat.logicalId}/eni`),
      vpcId: p.eni.vpcId,
      subnetId: natSubnet.physicalId,
      availabilityZone: natSubnet.availabilityZone,
    };
    const natIp = nat.privateIp;
    this.roundTrip(p, undefined, 1);
    this.records.push(() =>
      flowRecord(this.flow, natEni, {
        direction: 'egress',
        srcaddr: natIp,
        dstaddr: p.address,
        srcport: this.srcPort,
        dstport: p.port,
        action: 'ACCEPT',
        kind: 'request',
        trafficPath: 8,
        pktSrcaddr: this.workload.privateIp,
        dstService: p.dstService,
      }),
    );
  }

  private internetGateway(key: string, p: Packet): void {
    const igw = this.model.internetGateways.get(key);
    if (!igw || !igw.vpcs.includes(this.workload.vpc ?? '')) {
      this.hop(
        'internet-gateway',
        key || null,
        'block',
        `${key} is not an internet gateway attached to ${this.workload.vpc}`,
      );
      this.egressRecord(p, 'ACCEPT', 8);
      return;
    }
    const w = this.workload;
    if (!w.publicIp) {
      const why =
        w.kind === 'lambda' || w.kind === 'sam-function'
          ? "a VPC Lambda function's ENI never has a public IP (only a NAT gateway gives it the internet)"
          : w.kind === 'ecs'
            ? 'AssignPublicIp is not ENABLED'
            : `the instance has no public IP (AssociatePublicIpAddress / MapPublicIpOnLaunch of ${w.subnets[0]})`;
      this.hop(
        'internet-gateway',
        igw.logicalId,
        'block',
        `${igw.logicalId} drops traffic from ${w.privateIp}: ${why}`,
      );
      this.egressRecord(p, 'ACCEPT', 8);
      return;
    }
    const publicIp =
      w.publicAddress ?? publicServiceAddress('ec2', this.model.region, `${w.logicalId}/public-ip`);
    this.hop(
      'internet-gateway',
      igw.logicalId,
      'pass',
      `${igw.logicalId} translates ${w.privateIp} to its public IP ${publicIp}${w.publicAddress ? '' : ' (not known before deployment; placeholder)'}`,
    );
    if (!this.checkApi(false)) return;
    this.route = 'internet-gateway';
    this.via = igw.logicalId;
    this.policyPath = { kind: 'internet-gateway', publicSourceIp: publicIp };
    this.roundTrip(p, undefined, 8);
  }

  /** API Gateway's own network rule: private APIs only through an endpoint, public APIs never through one. */
  private checkApi(throughEndpoint: boolean): boolean {
    const api = this.destination.api;
    if (!this.destination.apiId) return true;
    if (!api) {
      this.hop(
        'api-gateway',
        null,
        'pass',
        `API ${this.destination.apiId} is not in the template: its endpoint type is unknown`,
      );
      return true;
    }
    const isPrivate = api.endpointTypes.includes('PRIVATE');
    if (throughEndpoint && !isPrivate) {
      this.hop(
        'api-gateway',
        api.logicalId,
        'block',
        `${api.logicalId} is a ${api.endpointTypes.join('/')} (public) API: with private DNS on an execute-api endpoint, the VPC resolves every *.execute-api name to the endpoint, which refuses public APIs (HTTP 403)`,
      );
      return false;
    }
    if (!throughEndpoint && isPrivate) {
      this.hop(
        'api-gateway',
        api.logicalId,
        'block',
        `${api.logicalId} is a PRIVATE API: it answers only requests through an execute-api interface endpoint`,
      );
      return false;
    }
    this.hop(
      'api-gateway',
      api.logicalId,
      'pass',
      `${api.logicalId} is a ${api.endpointTypes.join('/')} API reached ${throughEndpoint ? 'through the endpoint (its resource policy decides next)' : 'over its public endpoint'}`,
    );
    return true;
  }

  // ---- helpers -------------------------------------------------------------------------

  /** NACL check of one subnet for a connection: the request in `direction`, the response the other way. */
  private naclPair(
    aclKey: string | undefined,
    direction: 'inbound' | 'outbound',
    peer: number,
    port: number,
    ephemeral: [number, number],
    subnet: string,
  ): 'ok' | 'request' | 'response' {
    const acl = aclKey ? this.index.acl(aclKey) : undefined;
    const forward: HopComponent = direction === 'outbound' ? 'network-acl-outbound' : 'network-acl-inbound';
    const back: HopComponent = direction === 'outbound' ? 'network-acl-inbound' : 'network-acl-outbound';
    if (!acl) {
      this.hop(forward, aclKey ?? null, 'block', `subnet ${subnet} has no known network ACL`);
      return 'request';
    }
    const peerText = formatPeer(peer);
    const request = evaluateNacl(acl, direction, peer, TCP, port);
    if (!request.allowed) {
      this.hop(
        forward,
        acl.key,
        'block',
        `${acl.key} ${direction} ${describeEntry(request.entry)} denies tcp ${port} ${direction === 'outbound' ? 'to' : 'from'} ${peerText}`,
      );
      return 'request';
    }
    const responseDirection = direction === 'outbound' ? 'inbound' : 'outbound';
    const response = evaluateNacl(acl, responseDirection, peer, TCP, ephemeral[0], ephemeral[1]);
    if (!response.allowed) {
      this.hop(
        forward,
        acl.key,
        'pass',
        `${acl.key} ${direction} ${describeEntry(request.entry)} allows tcp ${port}`,
      );
      this.hop(
        back,
        acl.key,
        'block',
        `${acl.key} ${responseDirection} ${describeEntry(response.entry)} denies the return traffic ${direction === 'outbound' ? 'from' : 'to'} ${peerText} on ephemeral port ${response.deniedPort} (the client uses ${ephemeral[0]}-${ephemeral[1]}; NACLs are stateless)`,
      );
      return 'response';
    }
    this.hop(
      forward,
      acl.key,
      'pass',
      `${acl.key} ${direction} ${describeEntry(request.entry)} allows tcp ${port}; ${responseDirection} ${describeEntry(response.entry)} allows the return traffic on ${ephemeral[0]}-${ephemeral[1]}`,
    );
    return 'ok';
  }

  /** The network interface holding an address: the endpoint's or workload's own, else a stable id in AWS's shape. */
  private eniOf(holder: AddressHolder): string {
    if (holder.kind === 'endpoint-eni') return holder.eniId;
    if (holder.kind === 'workload')
      return this.model.workloadsById.get(holder.workload)?.eniId ?? syntheticId('eni', holder.workload);
    return syntheticId('eni', `${holder.kind === 'database' ? holder.database : holder.natGateway}/eni`);
  }

  private groupsOf(holder: ReturnType<Model['addresses']['holderOf']>): string[] {
    if (!holder) return [];
    const keys = (refs: ReadonlyArray<{ kind: string; logicalId?: string; physicalId?: string }>): string[] =>
      refs.flatMap((ref) =>
        ref.kind === 'resource'
          ? [ref.logicalId as string]
          : ref.kind === 'external'
            ? [ref.physicalId as string]
            : [],
      );
    if (holder.kind === 'endpoint-eni')
      return keys(this.model.vpcEndpoints.get(holder.endpoint)?.securityGroups ?? []);
    if (holder.kind === 'database')
      return keys(this.model.databases.get(holder.database)?.securityGroups ?? []);
    if (holder.kind === 'workload')
      return this.model.workloadsById.get(holder.workload)?.securityGroups ?? [];
    return [];
  }

  /** The request record on the caller's ENI; traffic-path is '-' when the packet never left the VPC's routing. */
  private egressRecord(p: Packet, action: 'ACCEPT' | 'REJECT', trafficPath?: number): void {
    this.records.push(() =>
      flowRecord(this.flow, p.eni, {
        direction: 'egress',
        srcaddr: this.workload.privateIp as string,
        dstaddr: p.address,
        srcport: this.srcPort,
        dstport: p.port,
        action,
        kind: 'request',
        trafficPath,
        dstService: p.dstService,
      }),
    );
  }

  /** The records of a completed connection: request and response on the caller's ENI (and on the destination ENI in the VPC). */
  private roundTrip(p: Packet, dstEni: FlowInterface | undefined, trafficPath = 1): void {
    const src = this.workload.privateIp as string;
    const request = {
      srcaddr: src,
      dstaddr: p.address,
      srcport: this.srcPort,
      dstport: p.port,
      action: 'ACCEPT' as const,
    };
    const response = {
      srcaddr: p.address,
      dstaddr: src,
      srcport: p.port,
      dstport: this.srcPort,
      action: 'ACCEPT' as const,
    };
    this.records.push(() =>
      flowRecord(this.flow, p.eni, {
        ...request,
        direction: 'egress',
        kind: 'request',
        trafficPath,
        dstService: p.dstService,
      }),
    );
    this.records.push(() =>
      flowRecord(this.flow, p.eni, {
        ...response,
        direction: 'ingress',
        kind: 'response',
        srcService: p.dstService,
      }),
    );
    if (dstEni) {
      this.records.push(() =>
        flowRecord(this.flow, dstEni, { ...request, direction: 'ingress', kind: 'request' }),
      );
      this.records.push(() =>
        flowRecord(this.flow, dstEni, { ...response, direction: 'egress', kind: 'response', trafficPath: 1 }),
      );
    }
  }

  private hop(
    component: HopComponent,
    resource: string | null,
    result: 'pass' | 'block',
    detail: string,
  ): void {
    this.hops.push({ component, resource, result, detail });
    if (result === 'block' && !this.blockedBy) this.block(component, resource, detail);
  }

  private block(component: HopComponent, resource: string | null, reason: string): void {
    this.blockedBy = { component, resource, reason };
  }

  private result(): Path {
    const w = this.workload;
    const reachable = this.blockedBy === null && this.policyPath !== null;
    const policy = reachable ? this.policyPath : null;
    const throughEndpoint = policy?.kind === 'gateway-endpoint' || policy?.kind === 'interface-endpoint';
    const leftVpc = this.route === 'vpc-peering' || this.route === 'transit-gateway';
    return new TracedPath(
      {
        from: {
          workload: w.logicalId,
          kind: w.kind,
          vpc: w.vpc ?? null,
          subnet: w.subnets[0] ?? null,
          privateIp: w.privateIp ?? null,
        },
        to: {
          host: this.destination.host,
          address: this.destination.address,
          port: this.destination.port,
          service: this.destination.service,
          serviceRegion: this.destination.serviceRegion,
          resource: this.destination.resource ?? (this.route === 'interface-endpoint' ? this.via : null),
        },
        reachable,
        route: reachable || leftVpc ? this.route : 'none',
        via: reachable || leftVpc ? this.via : null,
        hops: this.hops,
        blockedBy: this.blockedBy,
        endpointId: throughEndpoint ? this.endpointId : null,
        vpcId: throughEndpoint ? ((w.vpc && this.model.vpcs.get(w.vpc)?.physicalId) ?? null) : null,
        sourceIp: throughEndpoint ? (w.privateIp ?? null) : (policy?.publicSourceIp ?? null),
        sourceIpKind: throughEndpoint ? 'vpc' : policy?.publicSourceIp ? 'public' : null,
        policyPath: policy,
      },
      this.records,
    );
  }
}

/** A Path whose flow records are built on first read (most callers never read them); JSON includes them. */
class TracedPath implements Path {
  readonly from!: Path['from'];
  readonly to!: Path['to'];
  readonly reachable!: boolean;
  readonly route!: RouteKind;
  readonly via!: string | null;
  readonly hops!: Hop[];
  readonly blockedBy!: BlockedBy | null;
  readonly endpointId!: string | null;
  readonly vpcId!: string | null;
  readonly sourceIp!: string | null;
  readonly sourceIpKind!: 'vpc' | 'public' | null;
  readonly policyPath!: PolicyPath | null;
  #records: FlowRecord[] | undefined;

  constructor(
    fields: Omit<Path, 'flowRecords'>,
    private readonly builders: ReadonlyArray<() => FlowRecord>,
  ) {
    Object.assign(this, fields);
    Object.defineProperty(this, 'builders', { enumerable: false });
  }

  get flowRecords(): FlowRecord[] {
    this.#records ??= this.builders.map((build) => build());
    return this.#records;
  }

  toJSON(): Path {
    return { ...this, flowRecords: this.flowRecords };
  }
}
interface Packet {
  readonly eni: FlowInterface;
  readonly address: string;
  readonly port: number;
  readonly dstService: string;
}

function formatPeer(address: number): string {
  return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
}

function hashText(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}
