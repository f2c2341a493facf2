/**
 * The twin's two logs for a decided request: flow-log records on each ENI the path crossed (ACCEPT
 * when packets flowed — an IAM denial included —, REJECT when the path was blocked) and exactly one
 * CloudTrail-shaped audit event. `RequestLogs` writes them in the thread that calls it; the twin
 * runs it in a worker (`ThreadedRequestLogs`), off the thread that serves requests.
 */
import { jsonRequestId } from '../emulators/common/request-id.ts';
import type { FlowRecord as PathFlowRecord } from '../network/flow-logs.ts';
import { callerUserId } from '../policy/context.ts';
import { connectionFlows } from './connection-flows.ts';
import { AuditLog } from './audit-log.ts';
import { FlowLogWriter, type StampedRecord } from './flow-log-writer.ts';
import { DEFAULT_FLOW_WINDOW_SECONDS, FlowAggregator } from './flow-aggregator.ts';
import type { ConnectionRecord, RequestRecord } from './recorder.ts';

/** What the recorder hands its logs: in this thread or another. */
export interface RequestLogSink {
  /** `timeMs`: when the request was answered (epoch milliseconds). */
  request(record: RequestRecord, timeMs: number): void;
  connection(record: ConnectionRecord, timeMs: number): void;
  /** Hands every line recorded so far to the OS before returning (log readers in this process). */
  flush(): void;
  close(): void;
}

/** Where the logs go, as plain data (it crosses to the log worker). */
export interface RequestLogFiles {
  readonly flowDir: string;
  /** The flow log's LogFormat fields, in order. */
  readonly flowFields: readonly string[];
  /** The capture window over which a flow's packets make one record, seconds (default 1). */
  readonly flowWindowSeconds?: number;
  readonly auditFile: string;
  readonly region: string;
}

const READ_ONLY = /^(Get|List|Describe|Head|Scan|Query|BatchGet|Invoke$)/;

export class RequestLogs implements RequestLogSink {
  private readonly flowLogs: FlowLogWriter;
  private readonly flows: FlowAggregator;
  private readonly audit: AuditLog;
  private readonly region: string;

  constructor(files: RequestLogFiles) {
    this.flowLogs = new FlowLogWriter(files.flowDir, files.flowFields);
    this.flows = new FlowAggregator(files.flowWindowSeconds ?? DEFAULT_FLOW_WINDOW_SECONDS, (records) =>
      this.flowLogs.write(records),
    );
    this.audit = new AuditLog(files.auditFile);
    this.region = files.region;
  }

  connection(connection: ConnectionRecord, timeMs: number): void {
    const now = Math.floor(timeMs / 1000);
    const records = connectionFlows(connection.flowRecords, connection.servicePort, connection.clientPort);
    for (const r of records) this.flows.add(stamp(r, connection, now));
  }

  request(request: RequestRecord, timeMs: number): void {
    const now = Math.floor(timeMs / 1000);
    const records = connectionFlows(request.flowRecords, request.servicePort, request.clientPort);
    for (const r of records) this.flows.add(stamp(r, request, now));
    const join = joinKeysOf(records);
    this.audit.record({
      time: new Date(timeMs),
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
            principalId: callerUserId(request.principalArn, request.accountId, request.roleArn),
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
  }

  /** Everything recorded so far to the OS, open capture windows included (they end early). */
  flush(): void {
    this.flows.closeAll();
    this.flowLogs.flush();
    this.audit.flush();
  }

  /** The lines of closed windows and the audit events to the OS; open windows stay open. */
  writeOut(): void {
    this.flows.closeDue();
    this.flowLogs.flush();
    this.audit.flush();
  }

  close(): void {
    this.flows.close();
    this.flowLogs.close();
    this.audit.close();
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
