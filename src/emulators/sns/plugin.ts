/**
 * The SNS emulator: the query protocol @aws-sdk/client-sns speaks, topics and subscriptions from
 * the template, and Publish, PublishBatch, ListTopics, ListSubscriptionsByTopic and
 * GetTopicAttributes. Every other operation is answered 501 NotImplemented. A published message
 * goes to each subscription whose filter policy accepts it, through the `SnsDeliverer` the twin
 * gives (which decides, as AWS does, whether the queue's policy or the function's permissions let
 * `sns.amazonaws.com` deliver: src/twin/sns-delivery.ts). Nothing here enforces a policy: the gateway
 * authorizes `classify`'s checks against the topic policy `resourcePolicy` returns.
 * Sources: docs/emulator-semantics.md, "SNS".
 */
import { randomUUID } from 'node:crypto';
import type {
  Caller,
  Classified,
  DenyKind,
  EmulatorPlugin,
  PluginContext,
  ServiceRequest,
  ServiceResponse,
} from '../plugin.ts';
import { ServiceError } from '../common/service-error.ts';
import { classifySns } from './classify.ts';
import { denialResponse, errorResponse, snsError } from './errors.ts';
import { acceptsMessage, type MessageAttribute } from './filter-policy.ts';
import type { Notification } from './notification.ts';
import { topicOf, type SubscriptionDefinition, type Topic, type TopicDefinition } from './topic.ts';
import { inputOf, operationOf, outputResponse, type Input } from './wire.ts';

export type { TopicDefinition, SubscriptionDefinition } from './topic.ts';

/** Hands one message to one subscription; resolves once delivered or refused (never rejects). */
export interface SnsDeliverer {
  deliver(subscription: SubscriptionDefinition, notification: Notification): Promise<unknown>;
}

const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH = 10;

export class SnsEmulator implements EmulatorPlugin {
  readonly service = 'sns';
  private ctx?: PluginContext;
  private readonly topics = new Map<string, Topic>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private deliverer?: SnsDeliverer) {}

  /** Sets who delivers (the twin builds it after the plugins). */
  setDeliverer(deliverer: SnsDeliverer): void {
    this.deliverer = deliverer;
  }

  start(ctx: PluginContext): Promise<void> {
    this.ctx = ctx;
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    await this.settled();
    this.ctx = undefined;
  }

  /** Resolves when every delivery started so far has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Creates (or replaces) a topic from the template. */
  ensureTopic(def: TopicDefinition): { arn: string } {
    const topic = topicOf(def);
    this.topics.set(topic.arn, topic);
    return { arn: topic.arn };
  }

  classify(req: ServiceRequest): Classified {
    return classifySns(req);
  }

  async handle(req: ServiceRequest, caller: Caller): Promise<ServiceResponse> {
    const operation = operationOf(req);
    try {
      const output = await this.dispatch(operation, inputOf(req), caller);
      return outputResponse(operation, output);
    } catch (error) {
      if (error instanceof ServiceError) return errorResponse(error);
      throw error;
    }
  }

  deny(kind: DenyKind, message: string): ServiceResponse {
    return denialResponse(kind, message);
  }

  error(code: string, message: string, status: number): ServiceResponse {
    return errorResponse(new ServiceError(code, message, status));
  }

  resourcePolicy(arn: string): string | undefined {
    return this.topics.get(arn)?.policy;
  }

  private dispatch(operation: string, input: Input, caller: Caller): Promise<Input> | Input {
    switch (operation) {
      case 'Publish':
        return this.publish(input);
      case 'PublishBatch':
        return this.publishBatch(input);
      case 'ListTopics':
        return { Topics: [...this.topics.keys()].sort().map((arn) => ({ TopicArn: arn })) };
      case 'ListSubscriptionsByTopic':
        return this.listSubscriptions(input, caller);
      case 'GetTopicAttributes':
        return this.topicAttributes(input, caller);
      default:
        throw snsError(
          'NotImplemented',
          `The twin emulates Publish, PublishBatch, ListTopics, ListSubscriptionsByTopic and GetTopicAttributes of SNS, not ${operation}.`,
        );
    }
  }

  private topicOf(arn: unknown): Topic {
    if (typeof arn !== 'string' || arn === '')
      throw snsError(
        'InvalidParameter',
        'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
      );
    const topic = this.topics.get(arn);
    if (!topic) throw snsError('NotFound', 'Topic does not exist');
    return topic;
  }

  private notificationOf(topic: Topic, entry: Input): Notification {
    if (typeof entry.Message !== 'string' || entry.Message === '')
      throw snsError('InvalidParameter', 'Invalid parameter: Empty message');
    const attributes: Record<string, MessageAttribute> = {};
    const given = (entry.MessageAttributes ?? {}) as Record<string, Input>;
    for (const [name, value] of Object.entries(given)) {
      const dataType = typeof value.DataType === 'string' ? value.DataType : '';
      if (!/^(String|Number|Binary)(\.|$)/.test(dataType))
        throw snsError(
          'InvalidParameter',
          `Invalid parameter: MessageAttributes Reason: The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
        );
      attributes[name] = {
        DataType: dataType,
        StringValue: typeof value.StringValue === 'string' ? value.StringValue : undefined,
        BinaryValue: typeof value.BinaryValue === 'string' ? value.BinaryValue : undefined,
      };
    }
    return {
      messageId: randomUUID(),
      topicArn: topic.arn,
      subject: typeof entry.Subject === 'string' ? entry.Subject : undefined,
      message: entry.Message,
      timestamp: new Date().toISOString(),
      attributes,
    };
  }

  /** Fans a message out to the topic's subscriptions, in the background (Publish does not wait). */
  private fanOut(topic: Topic, notification: Notification): void {
    for (const subscription of topic.subscriptions) {
      if (subscription.filterPolicy && !acceptsMessage(subscription.filterPolicy, notification.attributes))
        continue;
      if (!this.deliverer) continue;
      const delivery = this.deliverer.deliver(subscription, notification).catch(() => undefined);
      this.pending.add(delivery);
      void delivery.finally(() => this.pending.delete(delivery));
    }
  }

  private publish(input: Input): Input {
    const topic = this.topicOf(input.TopicArn ?? input.TargetArn);
    const notification = this.notificationOf(topic, input);
    this.fanOut(topic, notification);
    return { MessageId: notification.messageId };
  }

  private publishBatch(input: Input): Input {
    const topic = this.topicOf(input.TopicArn);
    const entries = Array.isArray(input.PublishBatchRequestEntries)
      ? (input.PublishBatchRequestEntries as Input[])
      : [];
    if (entries.length === 0)
      throw snsError('EmptyBatchRequest', 'The batch request does not contain any entries.');
    if (entries.length > MAX_BATCH)
      throw snsError(
        'TooManyEntriesInBatchRequest',
        `The batch request contains more entries than permissible (${MAX_BATCH}).`,
      );
    const ids = new Set<string>();
    for (const entry of entries) {
      const id = typeof entry.Id === 'string' ? entry.Id : '';
      if (!BATCH_ID.test(id))
        throw snsError(
          'InvalidBatchEntryId',
          'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        );
      if (ids.has(id))
        throw snsError(
          'BatchEntryIdsNotDistinct',
          'Two or more batch entries in the request have the same Id.',
        );
      ids.add(id);
    }
    const successful: Input[] = [];
    const failed: Input[] = [];
    for (const entry of entries) {
      try {
        const notification = this.notificationOf(topic, entry);
        this.fanOut(topic, notification);
        successful.push({ Id: entry.Id, MessageId: notification.messageId });
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        failed.push({ Id: entry.Id, Code: error.code, Message: error.message, SenderFault: true });
      }
    }
    return { Successful: successful, Failed: failed };
  }

  private listSubscriptions(input: Input, caller: Caller): Input {
    const topic = this.topicOf(input.TopicArn);
    return {
      Subscriptions: topic.subscriptions.map((s) => ({
        SubscriptionArn: s.arn,
        Owner: this.ctx?.accountId ?? caller.accountId,
        Protocol: s.protocol,
        Endpoint: s.endpoint,
        TopicArn: topic.arn,
      })),
    };
  }

  private topicAttributes(input: Input, caller: Caller): Input {
    const topic = this.topicOf(input.TopicArn);
    const attributes = new Map<string, string>([
      ['TopicArn', topic.arn],
      ['Owner', this.ctx?.accountId ?? caller.accountId],
      ['DisplayName', topic.displayName],
      ['SubscriptionsConfirmed', String(topic.subscriptions.length)],
      ['SubscriptionsPending', '0'],
      ['SubscriptionsDeleted', '0'],
    ]);
    if (topic.policy !== undefined) attributes.set('Policy', topic.policy);
    return { Attributes: attributes };
  }
}
