/**
 * A queue's configuration: the attributes CloudFormation's AWS::SQS::Queue and SetQueueAttributes
 * take, with AWS's defaults and valid ranges (CreateQueue API reference; docs/emulator-semantics.md,
 * "SQS"), and how GetQueueAttributes shows them (every value a string).
 */
import { sqsError } from './errors.ts';

export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

export interface QueueSettings {
  readonly visibilityTimeout: number;
  readonly messageRetentionPeriod: number;
  readonly delaySeconds: number;
  readonly receiveMessageWaitTimeSeconds: number;
  readonly maximumMessageSize: number;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  readonly redrivePolicy?: RedrivePolicy;
  /** The queue policy (JSON text), from AWS::SQS::QueuePolicy or the Policy attribute. */
  readonly policy?: string;
}

export const DEFAULT_SETTINGS: QueueSettings = {
  visibilityTimeout: 30,
  messageRetentionPeriod: 345_600,
  delaySeconds: 0,
  receiveMessageWaitTimeSeconds: 0,
  maximumMessageSize: 1_048_576,
  fifo: false,
  contentBasedDeduplication: false,
};

/** [min, max] of each numeric attribute. */
const RANGES: Readonly<Record<string, readonly [number, number]>> = {
  VisibilityTimeout: [0, 43_200],
  MessageRetentionPeriod: [60, 1_209_600],
  DelaySeconds: [0, 900],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  MaximumMessageSize: [1_024, 1_048_576],
};

function integer(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : Number(String(value));
  const [min, max] = RANGES[name];
  if (!Number.isInteger(n) || n < min || n > max)
    throw sqsError('InvalidParameterValue', `Invalid value for the parameter ${name}.`);
  return n;
}

function bool(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  return value === true || String(value).toLowerCase() === 'true';
}

/** The redrive policy as a JSON text or object (CloudFormation accepts both). */
function redrive(value: unknown): RedrivePolicy | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw sqsError('InvalidParameterValue', 'Invalid value for the parameter RedrivePolicy.');
    }
  }
  const policy = parsed as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  const max = Number(policy.maxReceiveCount ?? 10);
  if (typeof policy.deadLetterTargetArn !== 'string' || !Number.isInteger(max) || max < 1 || max > 1000)
    throw sqsError('InvalidParameterValue', 'Invalid value for the parameter RedrivePolicy.');
  return { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: max };
}

/** Settings from attributes named as CreateQueue / CloudFormation name them; the rest defaulted. */
export function settingsOf(
  attributes: Readonly<Record<string, unknown>>,
  base = DEFAULT_SETTINGS,
): QueueSettings {
  const policy = attributes.Policy;
  return {
    visibilityTimeout: integer('VisibilityTimeout', attributes.VisibilityTimeout) ?? base.visibilityTimeout,
    messageRetentionPeriod:
      integer('MessageRetentionPeriod', attributes.MessageRetentionPeriod) ?? base.messageRetentionPeriod,
    delaySeconds: integer('DelaySeconds', attributes.DelaySeconds) ?? base.delaySeconds,
    receiveMessageWaitTimeSeconds:
      integer('ReceiveMessageWaitTimeSeconds', attributes.ReceiveMessageWaitTimeSeconds) ??
      base.receiveMessageWaitTimeSeconds,
    maximumMessageSize:
      integer('MaximumMessageSize', attributes.MaximumMessageSize) ?? base.maximumMessageSize,
    fifo: bool(attributes.FifoQueue) ?? base.fifo,
    contentBasedDeduplication: bool(attributes.ContentBasedDeduplication) ?? base.contentBasedDeduplication,
    redrivePolicy: 'RedrivePolicy' in attributes ? redrive(attributes.RedrivePolicy) : base.redrivePolicy,
    policy:
      policy === undefined
        ? base.policy
        : typeof policy === 'string'
          ? policy || undefined
          : JSON.stringify(policy),
  };
}

/** The configuration attributes as GetQueueAttributes returns them. */
export function settingsAttributes(settings: QueueSettings): Record<string, string> {
  const out: Record<string, string> = {
    VisibilityTimeout: String(settings.visibilityTimeout),
    MessageRetentionPeriod: String(settings.messageRetentionPeriod),
    DelaySeconds: String(settings.delaySeconds),
    ReceiveMessageWaitTimeSeconds: String(settings.receiveMessageWaitTimeSeconds),
    MaximumMessageSize: String(settings.maximumMessageSize),
  };
  if (settings.policy !== undefined) out.Policy = settings.policy;
  if (settings.redrivePolicy) out.RedrivePolicy = JSON.stringify(settings.redrivePolicy);
  if (settings.fifo) {
    out.FifoQueue = 'true';
    out.ContentBasedDeduplication = String(settings.contentBasedDeduplication);
  }
  return out;
}
