/**
 * SNS's deliveries, decided as AWS decides them. SNS sends to a subscribed queue or invokes a
 * subscribed function as the service principal `sns.amazonaws.com`, with `aws:SourceArn` = the
 * topic's ARN and `aws:SourceAccount` = its account: the queue's policy must allow `sqs:SendMessage`
 * to that principal (without one, AWS drops the message, the publisher still gets its MessageId),
 * and the function's permissions (AWS::Lambda::Permission) `lambda:InvokeFunction`. Evaluated with
 * the twin's policy engine against the resource policy alone (a service principal has no identity
 * policies), then the message is enqueued through the SQS emulator's own API, or the function
 * invoked asynchronously. Every delivery, allowed or refused with its reason, is recorded in the
 * audit log as the call SNS makes (`sqs:SendMessage`, `lambda:Invoke`; principal sns.amazonaws.com).
 * Sources: docs/emulator-semantics.md, "SNS".
 */
import type { SqsEmulator } from '../emulators/sqs/plugin.ts';
import type { SnsDeliverer, SubscriptionDefinition } from '../emulators/sns/plugin.ts';
import { envelopeOf, lambdaEventOf, type Notification } from '../emulators/sns/notification.ts';
import { SNS_PRINCIPAL, snsMayDeliver, type DeliveryResult } from '../policy/sns-delivery.ts';
import type { Recorder } from './recorder.ts';

// The decision is pure and shared with the analyzer's sns-delivery-refused (src/policy/sns-delivery.ts).
export { SNS_PRINCIPAL, snsMayDeliver, type DeliveryResult };

export interface SnsDeliveryOptions {
  readonly sqs: SqsEmulator;
  /** The function's resource-based policy (its permissions), by ARN. */
  readonly functionPolicy?: (functionArn: string) => string | undefined;
  /** Invokes a function asynchronously (InvocationType Event). */
  readonly invoke?: (functionArn: string, event: unknown) => Promise<unknown>;
  readonly recorder?: Recorder;
  /** Where a refused or failed delivery is also said (the twin's console). */
  readonly log?: (line: string) => void;
}

export class SnsDelivery implements SnsDeliverer {
  constructor(private readonly options: SnsDeliveryOptions) {}

  async deliver(subscription: SubscriptionDefinition, notification: Notification): Promise<DeliveryResult> {
    let result: DeliveryResult;
    try {
      result =
        subscription.protocol === 'sqs'
          ? await this.toQueue(subscription, notification)
          : subscription.protocol === 'lambda'
            ? await this.toFunction(subscription, notification)
            : { delivered: false, reason: `protocol ${subscription.protocol} is not delivered by the twin` };
    } catch (error) {
      result = { delivered: false, reason: error instanceof Error ? error.message : String(error) };
    }
    this.record(subscription, notification, result);
    return result;
  }

  private async toQueue(s: SubscriptionDefinition, n: Notification): Promise<DeliveryResult> {
    const verdict = snsMayDeliver(
      this.options.sqs.resourcePolicy(s.endpoint),
      'sqs:SendMessage',
      s.endpoint,
      n.topicArn,
    );
    if (!verdict.delivered) return verdict;
    const input = s.rawMessageDelivery
      ? { MessageBody: n.message, MessageAttributes: rawAttributes(n) }
      : { MessageBody: envelopeOf(n, s.arn) };
    await this.options.sqs.enqueue(s.endpoint, input, SNS_PRINCIPAL);
    return { delivered: true };
  }

  private async toFunction(s: SubscriptionDefinition, n: Notification): Promise<DeliveryResult> {
    const verdict = snsMayDeliver(
      this.options.functionPolicy?.(s.endpoint),
      'lambda:InvokeFunction',
      s.endpoint,
      n.topicArn,
    );
    if (!verdict.delivered) return verdict;
    if (!this.options.invoke) return { delivered: false, reason: 'the twin runs no Lambda function here' };
    // Asynchronous invocation: SNS does not wait for the function's result.
    void this.options.invoke(s.endpoint, lambdaEventOf(n, s.arn)).catch((error: unknown) => {
      this.options.log?.(`SNS → ${s.endpoint}: the invocation failed: ${String(error)}`);
    });
    return { delivered: true };
  }

  private record(s: SubscriptionDefinition, n: Notification, result: DeliveryResult): void {
    if (!result.delivered)
      this.options.log?.(`SNS ${n.topicArn} → ${s.endpoint}: not delivered: ${result.reason ?? ''}`);
    const account = n.topicArn.split(':')[4] ?? '';
    this.options.recorder?.record({
      entry: SNS_PRINCIPAL,
      service: s.protocol === 'lambda' ? 'lambda' : 'sqs',
      operation: s.protocol === 'lambda' ? 'Invoke' : 'SendMessage',
      resources: [s.endpoint, n.topicArn],
      route: 'aws-service',
      via: null,
      endpointId: null,
      sourceIp: SNS_PRINCIPAL,
      principalArn: SNS_PRINCIPAL,
      accountId: account,
      outcome: result.delivered ? 'allowed' : 'denied',
      status: result.delivered ? 200 : 403,
      errorCode: result.delivered ? undefined : 'AccessDenied',
      errorMessage: result.reason,
      requestBytes: Buffer.byteLength(n.message),
      responseBytes: 0,
      flowRecords: [],
      servicePort: 443,
    });
  }
}

/** A raw delivery's SQS message attributes: Publish's, as SendMessage takes them. */
function rawAttributes(n: Notification): Record<string, unknown> | undefined {
  const entries = Object.entries(n.attributes);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([name, a]) => [name, { ...a }]));
}
