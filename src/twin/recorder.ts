/**
 * The record step: for every request, flow-log records on each ENI the path crossed (ACCEPT when
 * packets flowed — an IAM denial included —, REJECT when the path was blocked), exactly one
 * CloudTrail-shaped audit event, the cost meter, and a line for the live summary.
 */
import { jsonRequestId } from '../emulators/common/request-id.ts';
import type { FlowRecord as PathFlowRecord } from '../network/flow-logs.ts';
import type { AuditLog } from './audit-log.ts';
import type { CostMeter } from './cost-meter.ts';
import type { FlowLogWriter, StampedRecord } from './flow-log-writer.ts';

export type Outcome = 'allowed' | 'denied' | 'blocked' | 'refused' | 'error';

export interface RequestRecord {
  /** `internet` or the workload's logical id: where the request entered. */
  readonly entry: string;
  /** The workload whose credentials signed the request, when known. */
  readonly workload?: string;
  readonly service: string;
  readonly operation: string;
  readonly resources: readonly string[];
  readonly route: string;
  readonly via: string | null;
  readonly endpointId: string | null;
  readonly sourceIp: string;
  readonly principalArn?: string;
  readonly roleArn?: string;
  readonly accessKeyId?: string;
  readonly accountId: string;
  readonly outcome: Outcome;
  readonly status?: number;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** For a blocked path: the network component and rule that stopped it. */
  readonly blockedBy?: string;
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly flowRecords: readonly PathFlowRecord[];
  readonly servicePort: number;
  readonly userAgent?: string;
  /** The request id the service answered with (CloudTrail's requestID); generated when absent. */
  readonly requestId?: string;
}

export type SummaryListener = (record: RequestRecord) => void;

/** A TCP connection through a database entry (no API call: flow records only, as on AWS). */
export interface ConnectionRecord {
  readonly workload: string;
  readonly database: string;
  readonly route: string;
  readonly outcome: 'allowed' | 'blocked';
  readonly blockedBy?: string;
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly flowRecords: readonly PathFlowRecord[];
  readonly servicePort: number;
}

export type ConnectionListener = (record: ConnectionRecord) => void;

const READ_ONLY = /^(Get|List|Describe|Head|Scan|Query|BatchGet|Invoke$)/;

export class Recorder {
  private readonly listeners: SummaryListener[] = [];

  constructor(
    private readonly audit: AuditLog,
    private readonly flowLogs: FlowLogWriter,
    private readonly meter: CostMeter,
    private readonly region: string,
  ) {}

  private readonly connectionListeners: ConnectionListener[] = [];

  /** Hands every pending flow-log and audit line to the OS now (log readers in this process). */
  flush(): void {
    this.flowLogs.flush();
    this.audit.flush();
  }

  onRecord(listener: SummaryListener): void {
    this.listeners.push(listener);
  }

  onConnection(listener: ConnectionListener): void {
    this.connectionListeners.push(listener);
  }

  recordConnection(connection: ConnectionRecord): void {
    const now = Math.floor(Date.now() / 1000);
    this.flowLogs.write(connection.flowRecords.map((r) => stamp(r, connection, now)));
    if (connection.outcome === 'allowed')
      this.meter.add(connection.route, null, connection.requestBytes + connection.responseBytes);
    for (const listener of this.connectionListeners) listener(connection);
  }

  record(request: RequestRecord): void {
    const now = Math.floor(Date.now() / 1000);
    if (request.flowRecords.length > 0)
      this.flowLogs.write(request.flowRecords.map((r) => stamp(r, request, now)));
    if (request.outcome !== 'blocked')
      this.meter.add(request.route, request.via, request.requestBytes + request.responseBytes);
    const join = joinKeysOf(request.flowRecords);
    this.audit.record({
      time: new Date(),
      service: request.service,
      operation: request.operation,
      region: this.region,
      recipientAccountId: request.accountId,
      identity: request.principalArn
        ? {
            type: request.principalArn.includes(':assumed-role/') ? 'AssumedRole' : 'IAMUser',
            arn: request.principalArn,
            accountId: request.accountId,
            accessKeyId: request.accessKeyId,
            sessionIssuerArn: request.roleArn,
          }
        : { type: 'Anonymous', accessKeyId: request.accessKeyId },
      sourceIPAddress: request.sourceIp,
      userAgent: request.userAgent,
      vpcEndpointId: request.endpointId ?? undefined,
      resources: request.resources,
      readOnly: READ_ONLY.test(request.operation),
      errorCode: request.errorCode,
      errorMessage: request.blockedBy
        ? `${request.errorMessage ?? ''}`.trim() || request.blockedBy
        : request.errorMessage,
      requestId: request.requestId ?? jsonRequestId(),
      workload: request.workload ?? (request.entry === 'internet' ? undefined : request.entry),
      route: request.route,
      networkInterfaces: join.networkInterfaces,
      connection: join.connection,
      outcome: request.outcome,
    });
    for (const listener of this.listeners) listener(request);
  }
}

/** The traced record with this request's time, byte and packet counts. */
function stamp(
  record: PathFlowRecord,
  request: Pick<RequestRecord, 'servicePort' | 'requestBytes' | 'responseBytes'>,
  now: number,
): StampedRecord {
  const requestDirection = record.dstport === request.servicePort;
  const rejected = record.action === 'REJECT';
  const bytes = rejected ? 60 : requestDirection ? request.requestBytes + 40 : request.responseBytes + 40;
  return {
    record,
    counts: { start: now, end: now, bytes, packets: rejected ? 1 : Math.max(1, Math.ceil(bytes / 1460)) + 1 },
  };
}

interface JoinKeys {
  readonly networkInterfaces: readonly string[];
  readonly connection?: string;
}

// A path's flow records are memoized with the path: its join keys are computed once.
const joinKeys = new WeakMap<readonly PathFlowRecord[], JoinKeys>();

/** What joins an audit event to its flow records: the ENIs and the TCP connection. */
function joinKeysOf(records: readonly PathFlowRecord[]): JoinKeys {
  let keys = joinKeys.get(records);
  if (!keys) {
    keys = {
      networkInterfaces: [...new Set(records.map((r) => r['interface-id']))],
      connection: records[0] ? connectionKey(records[0]) : undefined,
    };
    joinKeys.set(records, keys);
  }
  return keys;
}

/** The same key for both directions of a TCP connection: `addr:port|addr:port`, sorted. */
export function connectionKey(record: {
  srcaddr?: unknown;
  srcport?: unknown;
  dstaddr?: unknown;
  dstport?: unknown;
}): string {
  return [
    `${String(record.srcaddr)}:${String(record.srcport)}`,
    `${String(record.dstaddr)}:${String(record.dstport)}`,
  ]
    .sort()
    .join('|');
}
