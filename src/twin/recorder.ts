/**
 * The record step: for every request, its logs — flow-log records on each ENI the path crossed and
 * exactly one CloudTrail-shaped audit event (`RequestLogs`, written off the serving thread in the
 * twin) —, the cost meter, and a line for the live summary.
 */
import type { FlowRecord as PathFlowRecord } from '../network/flow-logs.ts';
import type { CostMeter } from './cost-meter.ts';
import type { RequestLogSink } from './request-logs.ts';

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
  /**
   * The caller's ephemeral port (its TCP connection to the entry): it replaces the traced port in
   * the flow records, so each connection is its own flow, as on AWS. Absent: the traced port.
   */
  readonly clientPort?: number;
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
  /** The client's ephemeral port, as for a request. */
  readonly clientPort?: number;
}

export type ConnectionListener = (record: ConnectionRecord) => void;

export class Recorder {
  private readonly listeners: SummaryListener[] = [];
  private readonly connectionListeners: ConnectionListener[] = [];

  constructor(
    private readonly logs: RequestLogSink,
    private readonly meter: CostMeter,
  ) {}

  /** Hands every flow-log and audit line recorded so far to the OS (log readers in this process). */
  flush(): void {
    this.logs.flush();
  }

  onRecord(listener: SummaryListener): void {
    this.listeners.push(listener);
  }

  onConnection(listener: ConnectionListener): void {
    this.connectionListeners.push(listener);
  }

  recordConnection(connection: ConnectionRecord): void {
    this.logs.connection(connection, Date.now());
    if (connection.outcome === 'allowed')
      this.meter.add(connection.route, null, connection.requestBytes + connection.responseBytes);
    for (const listener of this.connectionListeners) listener(connection);
  }

  record(request: RequestRecord): void {
    this.logs.request(request, Date.now());
    if (request.outcome !== 'blocked')
      this.meter.add(request.route, request.via, request.requestBytes + request.responseBytes);
    for (const listener of this.listeners) listener(request);
  }
}
