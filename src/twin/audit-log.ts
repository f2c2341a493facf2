/**
 * The twin's audit log: one CloudTrail-shaped event per request, as JSON lines.
 * Field names follow the CloudTrail record contents:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { closeSync, mkdirSync, openSync, readFileSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppendBatch } from './append-batch.ts';
import { jsonRequestId } from '../emulators/common/request-id.ts';
import { auditLine, userIdentityOf } from './audit-line.ts';
import { isoSeconds } from '../policy/iso-seconds.ts';

/** Who made the request, as CloudTrail's userIdentity shows an assumed role (what a Lambda runs as). */
export interface AuditIdentity {
  readonly type: 'AssumedRole' | 'IAMUser' | 'AWSAccount' | 'AWSService' | 'Anonymous';
  readonly arn?: string;
  readonly accountId?: string;
  readonly accessKeyId?: string;
  readonly principalId?: string;
  readonly sessionIssuerArn?: string;
}

/** What the gateway knows about a request once it has been decided. */
export interface AuditInput {
  readonly time: Date;
  /** IAM service prefix, e.g. 's3' → eventSource 's3.amazonaws.com'. */
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly recipientAccountId: string;
  readonly identity: AuditIdentity;
  readonly sourceIPAddress: string;
  readonly userAgent?: string;
  readonly vpcEndpointId?: string;
  readonly resources: readonly string[];
  readonly readOnly: boolean;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestId: string;
  /** SecureCart extension: the workload the request came from, and the network route it took. */
  readonly workload?: string;
  readonly route?: string;
  /** The network interfaces whose flow-log records this request produced (to join the two logs). */
  readonly networkInterfaces?: readonly string[];
  /** The TCP connection (`addr:port|addr:port`, sorted) its flow-log records describe. */
  readonly connection?: string;
  /** SecureCart outcome: allowed / denied / blocked / refused / error. */
  readonly outcome?: string;
}

export interface AuditEvent {
  readonly eventVersion: '1.09';
  readonly userIdentity: Record<string, unknown>;
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly requestID: string;
  readonly eventID: string;
  readonly readOnly: boolean;
  readonly resources: { ARN: string; accountId?: string }[];
  readonly eventType: 'AwsApiCall';
  readonly recipientAccountId: string;
  readonly vpcEndpointId?: string;
  readonly securecart?: {
    workload?: string;
    route?: string;
    networkInterfaces?: string[];
    connection?: string;
    outcome?: string;
  };
}

/** The event as an object (tests, readers); the log itself writes `auditLine`, its JSON text. */
export function toAuditEvent(input: AuditInput, eventId: string = randomUUID()): AuditEvent {
  const event: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: userIdentityOf(input.identity),
    // CloudTrail writes seconds precision, UTC, no milliseconds.
    eventTime: isoSeconds(input.time),
    eventSource: `${input.service}.amazonaws.com`,
    eventName: input.operation,
    awsRegion: input.region,
    sourceIPAddress: input.sourceIPAddress,
  };
  if (input.userAgent) event.userAgent = input.userAgent;
  if (input.errorCode) {
    event.errorCode = input.errorCode;
    event.errorMessage = input.errorMessage;
  }
  event.requestID = input.requestId;
  event.eventID = eventId;
  event.readOnly = input.readOnly;
  event.resources = input.resources.map((arn) => ({ ARN: arn }));
  event.eventType = 'AwsApiCall';
  event.recipientAccountId = input.recipientAccountId;
  if (input.vpcEndpointId) event.vpcEndpointId = input.vpcEndpointId;
  if (input.workload || input.route || input.outcome) {
    const securecart: Record<string, unknown> = { workload: input.workload, route: input.route };
    if (input.networkInterfaces?.length) securecart.networkInterfaces = [...input.networkInterfaces];
    if (input.connection) securecart.connection = input.connection;
    if (input.outcome) securecart.outcome = input.outcome;
    event.securecart = securecart;
  }
  return event as unknown as AuditEvent;
}

/**
 * Appends events to a JSON-lines file. Lines are batched (`AppendBatch`): what is appended within
 * 10 ms, or until 64 KB are pending, reaches the OS in one write. In the twin this runs in the log
 * worker, which also flushes after every batch of records it is sent (`log-worker.ts`).
 */
export class AuditLog {
  private readonly fd: number;
  private readonly batch = new AppendBatch('audit log');

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
  }

  record(input: AuditInput): void {
    this.batch.append(this.fd, auditLine(input, jsonRequestId()) + '\n');
  }

  /** Hands every pending line to the OS now. */
  flush(): void {
    this.batch.flush();
  }

  close(): void {
    this.batch.flush();
    closeSync(this.fd);
  }
}

/** Reads every event of an audit log file (skipping a torn last line after a crash). */
export function readAuditLog(file: string): AuditEvent[] {
  if (!existsSync(file)) return [];
  const events: AuditEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as AuditEvent);
    } catch {
      // A process killed mid-write leaves a partial last line; every complete line is kept.
    }
  }
  return events;
}
