/**
 * The VPC Flow Logs (v5 fields) records a traced path would produce: one record per direction
 * per network interface in the VPC that sees the packets. `-` where a field does not apply.
 */

export interface FlowRecord {
  readonly version: number;
  readonly 'account-id': string;
  readonly 'interface-id': string;
  readonly srcaddr: string;
  readonly dstaddr: string;
  readonly srcport: number;
  readonly dstport: number;
  readonly protocol: number;
  readonly packets: number;
  readonly bytes: number;
  readonly start: number;
  readonly end: number;
  readonly action: 'ACCEPT' | 'REJECT';
  readonly 'log-status': 'OK';
  readonly 'vpc-id': string;
  readonly 'subnet-id': string;
  readonly 'instance-id': string;
  readonly 'tcp-flags': number;
  readonly type: 'IPv4';
  readonly 'pkt-srcaddr': string;
  readonly 'pkt-dstaddr': string;
  readonly region: string;
  readonly 'az-id': string;
  readonly 'sublocation-type': string;
  readonly 'sublocation-id': string;
  readonly 'pkt-src-aws-service': string;
  readonly 'pkt-dst-aws-service': string;
  readonly 'flow-direction': 'ingress' | 'egress';
  /** 1 same VPC, 7 gateway endpoint, 8 internet gateway; only on egress records. */
  readonly 'traffic-path': number | '-';
}

/** The v5 field order, as the flow-log format string lists them. */
export const FLOW_LOG_FIELDS: ReadonlyArray<keyof FlowRecord> = [
  'version',
  'account-id',
  'interface-id',
  'srcaddr',
  'dstaddr',
  'srcport',
  'dstport',
  'protocol',
  'packets',
  'bytes',
  'start',
  'end',
  'action',
  'log-status',
  'vpc-id',
  'subnet-id',
  'instance-id',
  'tcp-flags',
  'type',
  'pkt-srcaddr',
  'pkt-dstaddr',
  'region',
  'az-id',
  'sublocation-type',
  'sublocation-id',
  'pkt-src-aws-service',
  'pkt-dst-aws-service',
  'flow-direction',
  'traffic-path',
];

/** An interface the records are written for. */
export interface FlowInterface {
  readonly eniId: string;
  readonly vpcId: string;
  readonly subnetId: string;
  readonly instanceId?: string;
  readonly availabilityZone?: string;
}

export interface FlowContext {
  readonly accountId: string;
  readonly region: string;
  readonly start: number;
}

/** TCP flags as flow logs aggregate them: SYN|FIN for the client side, SYN-ACK|FIN for the server, SYN alone when refused. */
const FLAGS = { request: 3, response: 19, refused: 2 } as const;

export function flowRecord(
  context: FlowContext,
  eni: FlowInterface,
  packet: {
    direction: 'ingress' | 'egress';
    srcaddr: string;
    dstaddr: string;
    srcport: number;
    dstport: number;
    action: 'ACCEPT' | 'REJECT';
    kind: 'request' | 'response';
    trafficPath?: number;
    pktSrcaddr?: string;
    pktDstaddr?: string;
    srcService?: string;
    dstService?: string;
  },
): FlowRecord {
  const refused = packet.action === 'REJECT';
  const request = packet.kind === 'request';
  return {
    version: 5,
    'account-id': context.accountId,
    'interface-id': eni.eniId,
    srcaddr: packet.srcaddr,
    dstaddr: packet.dstaddr,
    srcport: packet.srcport,
    dstport: packet.dstport,
    protocol: 6,
    packets: refused ? 1 : request ? 8 : 6,
    bytes: refused ? 60 : request ? 1240 : 5420,
    start: context.start,
    end: context.start + 60,
    action: packet.action,
    'log-status': 'OK',
    'vpc-id': eni.vpcId,
    'subnet-id': eni.subnetId,
    'instance-id': eni.instanceId ?? '-',
    'tcp-flags': refused ? FLAGS.refused : request ? FLAGS.request : FLAGS.response,
    type: 'IPv4',
    'pkt-srcaddr': packet.pktSrcaddr ?? packet.srcaddr,
    'pkt-dstaddr': packet.pktDstaddr ?? packet.dstaddr,
    region: context.region,
    'az-id': azId(eni.availabilityZone, context.region),
    'sublocation-type': '-',
    'sublocation-id': '-',
    'pkt-src-aws-service': packet.srcService ?? '-',
    'pkt-dst-aws-service': packet.dstService ?? '-',
    'flow-direction': packet.direction,
    'traffic-path':
      packet.direction === 'egress' && packet.trafficPath !== undefined ? packet.trafficPath : '-',
  };
}

/**
 * AZ id such as `use1-az1`. AWS maps AZ names to ids per account; the model uses the name's
 * letter (a → az1), which is stable but not the account's real mapping.
 */
export function azId(availabilityZone: string | undefined, region: string): string {
  if (!availabilityZone) return '-';
  const parts = region.split('-');
  const code = `${parts[0]}${parts
    .slice(1, -1)
    .map((part) => part[0])
    .join('')}${parts[parts.length - 1]}`;
  const letter = availabilityZone.slice(-1);
  return /[a-z]/.test(letter) ? `${code}-az${letter.charCodeAt(0) - 96}` : '-';
}
