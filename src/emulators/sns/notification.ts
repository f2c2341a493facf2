/**
 * What SNS delivers: the JSON envelope an SQS subscriber receives (unless RawMessageDelivery), and
 * the event a Lambda subscriber is invoked with. Field names and order as AWS writes them — the
 * envelope's `SigningCertURL` / `UnsubscribeURL`, the Lambda event's `SigningCertUrl` /
 * `UnsubscribeUrl`; `Subject` left out of the envelope when absent, `null` in the Lambda event;
 * attributes as `{Type, Value}` (Binary base64). Sources: docs/emulator-semantics.md, "SNS".
 *
 * The `Signature` is NOT a valid AWS signature: the twin holds no SNS signing key. It is a
 * base64 SHA-256 of the string AWS signs, so a subscriber that verifies signatures must be told it
 * runs in the twin.
 */
import { createHash } from 'node:crypto';
import type { MessageAttribute } from './filter-policy.ts';

/** One published message, as every subscription of the topic gets it. */
export interface Notification {
  readonly messageId: string;
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  /** ISO 8601 with milliseconds, UTC. */
  readonly timestamp: string;
  readonly attributes: Readonly<Record<string, MessageAttribute>>;
}

function regionOf(topicArn: string): string {
  return topicArn.split(':')[3] ?? 'us-east-1';
}

function signatureOf(n: Notification): string {
  // The string SignatureVersion 1 signs: Message, MessageId, Subject (if present), Timestamp, TopicArn, Type.
  const lines = ['Message', n.message, 'MessageId', n.messageId];
  if (n.subject !== undefined) lines.push('Subject', n.subject);
  lines.push('Timestamp', n.timestamp, 'TopicArn', n.topicArn, 'Type', 'Notification');
  return createHash('sha256')
    .update(lines.join('\n') + '\n')
    .digest('base64');
}

function signingCertUrl(topicArn: string): string {
  return `https://sns.${regionOf(topicArn)}.amazonaws.com/SimpleNotificationService-twin.pem`;
}

function unsubscribeUrl(topicArn: string, subscriptionArn: string): string {
  return `https://sns.${regionOf(topicArn)}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
}

function envelopeAttributes(
  attributes: Readonly<Record<string, MessageAttribute>>,
): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, a] of Object.entries(attributes))
    out[name] = { Type: a.DataType, Value: a.BinaryValue ?? a.StringValue ?? '' };
  return out;
}

/** The JSON body an SQS subscription without RawMessageDelivery receives. */
export function envelopeOf(n: Notification, subscriptionArn: string): string {
  const attributes = envelopeAttributes(n.attributes);
  return JSON.stringify({
    Type: 'Notification',
    MessageId: n.messageId,
    TopicArn: n.topicArn,
    Subject: n.subject,
    Message: n.message,
    Timestamp: n.timestamp,
    SignatureVersion: '1',
    Signature: signatureOf(n),
    SigningCertURL: signingCertUrl(n.topicArn),
    UnsubscribeURL: unsubscribeUrl(n.topicArn, subscriptionArn),
    MessageAttributes: Object.keys(attributes).length > 0 ? attributes : undefined,
  });
}

/** The event a Lambda subscription is invoked with (asynchronously), one record per message. */
export function lambdaEventOf(n: Notification, subscriptionArn: string): unknown {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: n.messageId,
          TopicArn: n.topicArn,
          Subject: n.subject ?? null,
          Message: n.message,
          Timestamp: n.timestamp,
          SignatureVersion: '1',
          Signature: signatureOf(n),
          SigningCertUrl: signingCertUrl(n.topicArn),
          UnsubscribeUrl: unsubscribeUrl(n.topicArn, subscriptionArn),
          MessageAttributes: envelopeAttributes(n.attributes),
        },
      },
    ],
  };
}
