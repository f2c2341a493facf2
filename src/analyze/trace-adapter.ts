/**
 * The one place the analyzer calls the network tracer (src/network/). It asks for the path from a
 * workload to a service's regional host (or to one REST API's host) on port 443 and keeps what
 * the analyzer needs. A tracer failure on one destination becomes a "none" path with the reason,
 * never a crash of the whole check.
 */
import type { Model } from '../model/index.ts';
import { trace, type PolicyPath } from '../network/index.ts';

export interface TraceHop {
  readonly component: string;
  readonly resource: string | null;
  readonly result: 'pass' | 'block';
  readonly detail: string;
}

export interface TracePath {
  readonly reachable: boolean;
  /** gateway-endpoint | interface-endpoint | nat-gateway | internet-gateway | local | outside-vpc | none | … */
  readonly route: string;
  /** Logical id of the endpoint / NAT gateway / internet gateway used. */
  readonly via: string | null;
  readonly hops: readonly TraceHop[];
  readonly blockedBy: {
    readonly component: string;
    readonly resource: string | null;
    readonly reason: string;
  } | null;
  /** The hostname the workload resolved. */
  readonly host?: string;
  /** Physical id of the VPC endpoint used (aws:SourceVpce). */
  readonly endpointId?: string;
  /** Physical id of the workload's VPC (aws:SourceVpc). */
  readonly vpcId?: string;
  /** Source address the service sees: private IP through an endpoint, public IP otherwise. */
  readonly sourceIp?: string;
  /** The network facts the policy engine turns into context keys; absent when no request arrives. */
  readonly policyPath?: PolicyPath;
}

export function traceWorkload(model: Model, workload: string, service: string, api?: string): TracePath {
  try {
    const path = trace(model, workload, api ? { resource: api } : { service }, 443);
    return {
      reachable: path.reachable,
      route: path.route,
      via: path.via ?? null,
      hops: path.hops.map((hop) => ({
        component: hop.component,
        resource: hop.resource ?? null,
        result: hop.result,
        detail: hop.detail,
      })),
      blockedBy: path.blockedBy
        ? {
            component: path.blockedBy.component,
            resource: path.blockedBy.resource ?? null,
            reason: path.blockedBy.reason,
          }
        : null,
      host: path.to.host ?? undefined,
      endpointId: path.endpointId ?? undefined,
      vpcId: path.vpcId ?? undefined,
      sourceIp: path.sourceIp ?? undefined,
      policyPath: path.policyPath ?? undefined,
    };
  } catch (error) {
    return {
      reachable: false,
      route: 'none',
      via: null,
      hops: [],
      blockedBy: { component: 'tracer', resource: null, reason: `not traced: ${(error as Error).message}` },
    };
  }
}
