/**
 * Network paths as the gateway needs them, memoized per (workload, destination, port): the model
 * is static, so a path is traced once and every later request reuses it. A request at the
 * internet entry comes from outside every VPC: a public path whose source address is
 * INTERNET_SOURCE_IP.
 */
import type { Model } from '../model/index.ts';
import { trace, type Path, type TraceTarget } from '../network/index.ts';
import type { FlowRecord } from '../network/flow-logs.ts';
import type { NetworkPathFacts } from '../policy/index.ts';

/**
 * The public address the twin gives callers at the internet entry (aws:SourceIp). A documentation
 * address (RFC 5737 TEST-NET-3) so that it can never be mistaken for a real client.
 */
export const INTERNET_SOURCE_IP = '203.0.113.10';

export interface NetworkPath {
  readonly reachable: boolean;
  readonly route: string;
  /** Logical id of the endpoint or gateway used. */
  readonly via: string | null;
  readonly endpointId: string | null;
  readonly endpointService: string | null;
  /** What the policy engine turns into context keys. */
  readonly facts: NetworkPathFacts;
  /** Address the service sees (CloudTrail sourceIPAddress). */
  readonly sourceIp: string;
  readonly blockedBy: Path['blockedBy'];
  readonly flowRecords: readonly FlowRecord[];
  /**
   * Set when the packets reach the service but the service itself refuses (the tracer's
   * `api-gateway` hop: a public API called through an execute-api endpoint). Not a network block.
   */
  readonly serviceRefusal?: string;
}

export const INTERNET_PATH: NetworkPath = {
  reachable: true,
  route: 'internet',
  via: null,
  endpointId: null,
  endpointService: null,
  facts: { kind: 'outside-vpc', publicSourceIp: INTERNET_SOURCE_IP },
  sourceIp: INTERNET_SOURCE_IP,
  blockedBy: null,
  flowRecords: [],
};

export class NetworkPaths {
  private readonly cache = new Map<string, NetworkPath>();

  constructor(private readonly model: Model) {}

  /** The path from a workload to a service (`{service}`), host (`{host}`) or resource (`{resource}`). */
  from(workload: string, target: TraceTarget, port: number): NetworkPath {
    const key = `${workload}|${target.service ?? ''}|${target.host ?? ''}|${target.resource ?? ''}|${target.ip ?? ''}|${port}`;
    let path = this.cache.get(key);
    if (!path) {
      path = this.traced(workload, target, port);
      this.cache.set(key, path);
    }
    return path;
  }

  private traced(workload: string, target: TraceTarget, port: number): NetworkPath {
    const traced = trace(this.model, workload, target, port);
    if (traced.blockedBy?.component === 'api-gateway') return this.refusedByService(traced);
    const endpoint = traced.via ? this.model.vpcEndpoints.get(traced.via) : undefined;
    const facts: NetworkPathFacts = traced.policyPath ? { ...traced.policyPath } : { kind: 'local' };
    return {
      reachable: traced.reachable,
      route: traced.route,
      via: traced.via,
      endpointId: traced.endpointId,
      endpointService: endpoint?.service ?? null,
      facts,
      sourceIp: traced.sourceIp ?? traced.from.privateIp ?? '-',
      blockedBy: traced.blockedBy,
      flowRecords: traced.flowRecords,
    };
  }

  /** The network carried the request to an interface endpoint; the service behind it refuses. */
  private refusedByService(traced: ReturnType<typeof trace>): NetworkPath {
    const via =
      traced.hops.find((h) => h.component === 'interface-endpoint' && h.result === 'pass')?.resource ?? null;
    const endpoint = via ? this.model.vpcEndpoints.get(via) : undefined;
    const vpc = endpoint?.vpc.kind === 'resource' ? this.model.vpcs.get(endpoint.vpc.logicalId) : undefined;
    const sourceIp = traced.from.privateIp ?? '-';
    return {
      reachable: true,
      route: 'interface-endpoint',
      via,
      endpointId: endpoint?.physicalId ?? null,
      endpointService: endpoint?.service ?? null,
      facts: {
        kind: 'interface-endpoint',
        vpcEndpointId: endpoint?.physicalId,
        vpcId: vpc?.physicalId,
        vpcSourceIp: sourceIp,
      },
      sourceIp,
      blockedBy: null,
      flowRecords: traced.flowRecords,
      serviceRefusal: traced.blockedBy?.reason,
    };
  }
}
