/**
 * The tracer's result: one network path from a workload to a target, hop by hop, in the JSON
 * shape of issue 3, plus the flow-log records the path would produce and the facts the policy
 * engine turns into context keys.
 */
import type { FlowRecord } from './flow-logs.ts';

export type RouteKind =
  | 'gateway-endpoint'
  | 'interface-endpoint'
  | 'nat-gateway'
  | 'internet-gateway'
  | 'local'
  | 'outside-vpc'
  | 'vpc-peering'
  | 'transit-gateway'
  | 'none';

export type HopComponent =
  | 'workload'
  | 'dns'
  | 'security-group-egress'
  | 'network-acl-outbound'
  | 'route-table'
  | 'gateway-endpoint'
  | 'interface-endpoint'
  | 'security-group-ingress'
  | 'network-acl-inbound'
  | 'nat-gateway'
  | 'internet-gateway'
  | 'outside-vpc'
  | 'local'
  | 'rds'
  | 'api-gateway'
  | 'vpc-peering'
  | 'transit-gateway';

export interface Hop {
  readonly component: HopComponent;
  /** Logical id of the deciding resource (or `<Vpc>/DefaultNetworkAcl`…); null when there is none. */
  readonly resource: string | null;
  readonly result: 'pass' | 'block';
  /** Names the rule that decided. */
  readonly detail: string;
}

export interface BlockedBy {
  readonly component: HopComponent;
  readonly resource: string | null;
  readonly reason: string;
}

/** The same shape `src/policy` takes as `RequestFacts.path`. */
export interface PolicyPath {
  readonly kind:
    'gateway-endpoint' | 'interface-endpoint' | 'nat-gateway' | 'internet-gateway' | 'outside-vpc' | 'local';
  readonly vpcEndpointId?: string;
  readonly vpcEndpointAccount?: string;
  readonly vpcId?: string;
  readonly vpcSourceIp?: string;
  readonly publicSourceIp?: string;
}

export interface Path {
  readonly from: {
    readonly workload: string;
    readonly kind: string;
    readonly vpc: string | null;
    readonly subnet: string | null;
    readonly privateIp: string | null;
  };
  readonly to: {
    readonly host: string | null;
    readonly address: string | null;
    readonly port: number;
    /** The AWS service the host belongs to, e.g. 's3'. */
    readonly service: string | null;
    readonly serviceRegion: string | null;
    /** The target resource's logical id (database, API, endpoint ENI…), when known. */
    readonly resource: string | null;
  };
  readonly reachable: boolean;
  readonly route: RouteKind;
  /** Logical id of the endpoint / gateway used, or null. */
  readonly via: string | null;
  readonly hops: Hop[];
  readonly blockedBy: BlockedBy | null;
  /** vpce-… id when the path goes through a VPC endpoint (aws:SourceVpce), else null. */
  readonly endpointId: string | null;
  /** vpc-… id when the path goes through a VPC endpoint (aws:SourceVpc), else null. */
  readonly vpcId: string | null;
  /** Through an endpoint: the private IP (aws:VpcSourceIp); on a public path: the public IP (aws:SourceIp). */
  readonly sourceIp: string | null;
  readonly sourceIpKind: 'vpc' | 'public' | null;
  /** Null when the path is blocked or leaves through peering/TGW (no request reaches the service). */
  readonly policyPath: PolicyPath | null;
  readonly flowRecords: FlowRecord[];
}

/** What to trace to: exactly one of these. */
export interface TraceTarget {
  /** A service short name: 's3', 'dynamodb', 'secretsmanager', 'execute-api', 'kms', 'sts'… */
  readonly service?: string;
  readonly host?: string;
  readonly ip?: string;
  /** A logical id: RDS instance/cluster, REST API, bucket, table, secret, key, workload. */
  readonly resource?: string;
}
