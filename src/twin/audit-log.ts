/**
 * The twin's audit log: one CloudTrail-shaped event per request, as JSON lines.
 * Field names follow the CloudTrail record contents:
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeSync, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';

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

export function toAuditEvent(input: AuditInput): AuditEvent {
  const { identity } = input;
  const userIdentity: Record<string, unknown> = { type: identity.type };
  if (identity.principalId) userIdentity.principalId = identity.principalId;
  if (identity.arn) userIdentity.arn = identity.arn;
  if (identity.accountId) userIdentity.accountId = identity.accountId;
  if (identity.accessKeyId) userIdentity.accessKeyId = identity.accessKeyId;
  if (identity.sessionIssuerArn) {
    userIdentity.sessionContext = {
      sessionIssuer: {
        type: 'Role',
        arn: identity.sessionIssuerArn,
        accountId: identity.accountId,
        userName: identity.sessionIssuerArn.split('/').at(-1),
      },
    };
  }
  return {
    eventVersion: '1.09',
    userIdentity,
    // CloudTrail writes seconds precision, UTC, no milliseconds.
    eventTime: input.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: `${input.service}.amazonaws.com`,
    eventName: input.operation,
    awsRegion: input.region,
    sourceIPAddress: input.sourceIPAddress,
    ...(input.userAgent ? { userAgent: input.userAgent } : {}),
    ...(input.errorCode ? { errorCode: input.errorCode, errorMessage: input.errorMessage } : {}),
    requestID: input.requestId,
    eventID: randomUUID(),
    readOnly: input.readOnly,
    resources: input.resources.map((arn) => ({ ARN: arn })),
    eventType: 'AwsApiCall',
    recipientAccountId: input.recipientAccountId,
    ...(input.vpcEndpointId ? { vpcEndpointId: input.vpcEndpointId } : {}),
    ...(input.workload || input.route || input.outcome
      ? {
          securecart: {
            workload: input.workload,
            route: input.route,
            ...(input.networkInterfaces?.length ? { networkInterfaces: [...input.networkInterfaces] } : {}),
            ...(input.connection ? { connection: input.connection } : {}),
            ...(input.outcome ? { outcome: input.outcome } : {}),
          },
        }
      : {}),
  };
}

/** Appends events to a JSON-lines file; each write reaches the OS before the request is answered. */
export class AuditLog {
  private readonly fd: number;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
  }

  record(input: AuditInput): AuditEvent {
    const event = toAuditEvent(input);
    writeSync(this.fd, JSON.stringify(event) + '\n');
    return event;
  }

  close(): void {
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
