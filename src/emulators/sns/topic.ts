/**
 * A topic and its subscriptions, as the template defines them (AWS::SNS::Topic, its inline
 * `Subscription`, AWS::SNS::Subscription, AWS::SNS::TopicPolicy). The twin keeps topics in memory:
 * they are re-created from the template at every boot, and SNS stores no messages.
 */
import type { FilterPolicy } from './filter-policy.ts';

export interface SubscriptionDefinition {
  readonly arn: string;
  /** `sqs` or `lambda` (others are refused at boot). */
  readonly protocol: string;
  /** The queue's or the function's ARN. */
  readonly endpoint: string;
  readonly rawMessageDelivery: boolean;
  readonly filterPolicy?: FilterPolicy;
}

export interface TopicDefinition {
  readonly name: string;
  readonly arn: string;
  readonly displayName?: string;
  /** The topic policy document (object or JSON text), if any. */
  readonly policy?: unknown;
  readonly subscriptions: readonly SubscriptionDefinition[];
}

export interface Topic {
  readonly name: string;
  readonly arn: string;
  readonly displayName: string;
  readonly policy?: string;
  readonly subscriptions: readonly SubscriptionDefinition[];
}

export function topicOf(def: TopicDefinition): Topic {
  return {
    name: def.name,
    arn: def.arn,
    displayName: def.displayName ?? '',
    policy:
      def.policy === undefined || def.policy === ''
        ? undefined
        : typeof def.policy === 'string'
          ? def.policy
          : JSON.stringify(def.policy),
    subscriptions: def.subscriptions,
  };
}
