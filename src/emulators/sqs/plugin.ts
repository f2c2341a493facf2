/**
 * The SQS emulator: both of SQS's protocols (AWS JSON 1.0 `X-Amz-Target: AmazonSQS.<Op>` and the
 * query protocol), queues from the template (AWS::SQS::Queue, AWS::SQS::QueuePolicy as each queue's
 * resource policy) and SendMessage[Batch], ReceiveMessage (long polling), DeleteMessage[Batch],
 * ChangeMessageVisibility[Batch], GetQueueUrl, GetQueueAttributes, ListQueues, PurgeQueue. Every
 * other operation is answered 501 NotImplemented rather than pretended. Nothing here enforces a
 * policy: the gateway authorizes `classify`'s checks against the queue policy `resourcePolicy`
 * returns. Sources: docs/emulator-semantics.md, "SQS".
 */
import type {
  Caller,
  Classified,
  DenyKind,
  EmulatorPlugin,
  PluginContext,
  ServiceRequest,
  ServiceResponse,
} from '../plugin.ts';
import { PluginState } from '../common/plugin-state.ts';
import { ServiceError } from '../common/service-error.ts';
import { callerUserId } from '../../policy/index.ts';
import { classifySqs } from './classify.ts';
import { denialResponse, errorResponse, sqsError } from './errors.ts';
import { md5OfAttributes, type Attributes } from './md5.ts';
import { messageOf } from './message-input.ts';
import {
  decodeHandle,
  nextVisibleIn,
  type Message,
  type NewMessage,
  type Payload,
  type Queue,
} from './queue.ts';
import { QueueStore } from './queue-store.ts';
import { settingsAttributes, settingsOf } from './queue-settings.ts';
import { parseQueueUrl, queueArn, queueUrl } from './queue-url.ts';
import { inputOf, operationOf, outputResponse, protocolOf, type Input } from './wire.ts';

/** A queue as the template defines it (AWS::SQS::Queue properties, and its queue policy). */
export interface QueueDefinition {
  readonly name: string;
  /** VisibilityTimeout, MessageRetentionPeriod, DelaySeconds, ReceiveMessageWaitTimeSeconds,
   * MaximumMessageSize, FifoQueue, ContentBasedDeduplication, RedrivePolicy. */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly policy?: unknown;
}

const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_BATCH = 10;
/** "The total size of all messages sent in a single SendMessageBatch call cannot exceed 1,048,576 bytes". */
const MAX_BATCH_BYTES = 1_048_576;
const SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
];
const QUEUE_ATTRIBUTES = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'VisibilityTimeout',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'Policy',
  'RedrivePolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
];

export class SqsEmulator implements EmulatorPlugin {
  readonly service = 'sqs';
  private readonly state = new PluginState('SQS', (dataDir) => new QueueStore(dataDir));
  private stopping = false;

  async start(ctx: PluginContext): Promise<void> {
    this.stopping = false;
    await this.state.start(ctx);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const store = this.state.store;
    this.state.stop();
    await store?.close();
  }

  /** Creates the queue, or re-applies the template's configuration to the existing one (its messages stay). */
  async ensureQueue(def: QueueDefinition): Promise<{ url: string; arn: string }> {
    const { store, ctx } = this.state.running();
    const attributes = { ...def.attributes, Policy: def.policy ?? '' };
    const settings = settingsOf(attributes);
    if (settings.fifo !== def.name.endsWith('.fifo'))
      throw new Error(`a FIFO queue's name must end with .fifo (and only a FIFO queue's): ${def.name}`);
    const existing = store.byName.get(def.name);
    const now = Math.floor(Date.now() / 1000);
    if (existing) {
      if (JSON.stringify(existing.meta.settings) !== JSON.stringify(settings)) {
        existing.meta.settings = settings;
        existing.meta.lastModified = now;
        await existing.saveMeta();
      }
      return { url: existing.meta.url, arn: existing.meta.arn };
    }
    const queue = await store.add({
      name: def.name,
      accountId: ctx.accountId,
      arn: queueArn(ctx.region, ctx.accountId, def.name),
      url: queueUrl(ctx.region, ctx.accountId, def.name),
      created: now,
      lastModified: now,
      settings,
    });
    return { url: queue.meta.url, arn: queue.meta.arn };
  }

  classify(req: ServiceRequest): Classified {
    const { ctx } = this.state.running();
    return classifySqs(req, ctx.region, ctx.accountId);
  }

  async handle(req: ServiceRequest, caller: Caller): Promise<ServiceResponse> {
    const protocol = protocolOf(req);
    const operation = operationOf(req);
    try {
      const output = await this.dispatch(operation, inputOf(req), caller);
      return outputResponse(protocol, operation, output);
    } catch (error) {
      if (error instanceof ServiceError) return errorResponse(protocol, error);
      throw error;
    }
  }

  deny(kind: DenyKind, message: string, req: ServiceRequest): ServiceResponse {
    return denialResponse(protocolOf(req), kind, message);
  }

  error(code: string, message: string, status: number, req: ServiceRequest): ServiceResponse {
    return errorResponse(protocolOf(req), new ServiceError(code, message, status));
  }

  resourcePolicy(arn: string): string | undefined {
    return this.state.store?.byArn(arn)?.settings.policy;
  }

  /**
   * Sends a message to a queue on behalf of another service (SNS delivering to a subscription),
   * with SendMessage's validation, without HTTP: the caller has already decided that the queue's
   * policy lets that service send. `input` is SendMessage's (MessageBody, MessageAttributes).
   */
  async enqueue(queueArn: string, input: Input, senderId: string): Promise<{ messageId: string }> {
    const queue = this.state.running().store.byArn(queueArn);
    if (!queue) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    const [sent] = await queue.send([messageOf(input, queue.settings, senderId)]);
    return { messageId: sent.id };
  }

  private dispatch(operation: string, input: Input, caller: Caller): Promise<Input> | Input {
    switch (operation) {
      case 'SendMessage':
        return this.sendMessage(input, caller);
      case 'SendMessageBatch':
        return this.sendMessageBatch(input, caller);
      case 'ReceiveMessage':
        return this.receiveMessage(input);
      case 'DeleteMessage':
        return this.deleteMessage(input);
      case 'DeleteMessageBatch':
        return this.deleteMessageBatch(input);
      case 'ChangeMessageVisibility':
        return this.changeVisibility(input);
      case 'ChangeMessageVisibilityBatch':
        return this.changeVisibilityBatch(input);
      case 'GetQueueUrl':
        return this.getQueueUrl(input);
      case 'GetQueueAttributes':
        return this.getQueueAttributes(input);
      case 'ListQueues':
        return this.listQueues(input);
      case 'PurgeQueue':
        return this.queueOf(input)
          .purge()
          .then(() => ({}));
      default:
        throw sqsError(
          'NotImplemented',
          `The twin emulates SendMessage[Batch], ReceiveMessage, DeleteMessage[Batch], ChangeMessageVisibility[Batch], GetQueueUrl, GetQueueAttributes, ListQueues and PurgeQueue of SQS, not ${operation}.`,
        );
    }
  }

  private queueOf(input: Input): Queue {
    const { store, ctx } = this.state.running();
    if (typeof input.QueueUrl !== 'string' || input.QueueUrl === '')
      throw sqsError('MissingParameter', 'The request must contain the parameter QueueUrl.');
    const ref = parseQueueUrl(input.QueueUrl);
    const queue = ref && ref.accountId === ctx.accountId ? store.byName.get(ref.name) : undefined;
    if (!queue) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return queue;
  }

  private senderId(caller: Caller): string {
    return callerUserId(caller.principalArn, caller.accountId, caller.roleArn) ?? caller.accountId;
  }

  private async sendMessage(input: Input, caller: Caller): Promise<Input> {
    const queue = this.queueOf(input);
    const [sent] = await queue.send([messageOf(input, queue.settings, this.senderId(caller))]);
    return {
      MessageId: sent.id,
      MD5OfMessageBody: sent.md5,
      MD5OfMessageAttributes: sent.md5Attributes,
      MD5OfMessageSystemAttributes: sent.md5System,
      SequenceNumber: sent.sequenceNumber,
    };
  }

  /** The Entries of a batch request, checked as SQS checks a batch before any entry. */
  private entriesOf(input: Input): Input[] {
    const entries = Array.isArray(input.Entries) ? (input.Entries as Input[]) : [];
    if (entries.length === 0)
      throw sqsError(
        'EmptyBatchRequest',
        'There should be at least one SendMessageBatchRequestEntry in the request.',
      );
    if (entries.length > MAX_BATCH)
      throw sqsError(
        'TooManyEntriesInBatchRequest',
        `Maximum number of entries per request are ${MAX_BATCH}. You have sent ${entries.length}.`,
      );
    const ids = new Set<string>();
    for (const entry of entries) {
      const id = typeof entry.Id === 'string' ? entry.Id : '';
      if (!BATCH_ID.test(id))
        throw sqsError(
          'InvalidBatchEntryId',
          'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        );
      if (ids.has(id)) throw sqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
      ids.add(id);
    }
    return entries;
  }

  private async sendMessageBatch(input: Input, caller: Caller): Promise<Input> {
    const queue = this.queueOf(input);
    const entries = this.entriesOf(input);
    const failed: Input[] = [];
    const accepted: Array<{ id: string; message: NewMessage }> = [];
    let total = 0;
    for (const entry of entries) {
      try {
        const message = messageOf(entry, queue.settings, this.senderId(caller));
        total += Buffer.byteLength(message.payload.body) + attributesSizeOf(message);
        accepted.push({ id: String(entry.Id), message });
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message });
      }
    }
    if (total > MAX_BATCH_BYTES)
      throw sqsError(
        'BatchRequestTooLong',
        `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`,
      );
    const sent = await queue.send(accepted.map((a) => a.message));
    const successful = sent.map((s, i) => ({
      Id: accepted[i].id,
      MessageId: s.id,
      MD5OfMessageBody: s.md5,
      MD5OfMessageAttributes: s.md5Attributes,
      MD5OfMessageSystemAttributes: s.md5System,
      SequenceNumber: s.sequenceNumber,
    }));
    return { Successful: successful, Failed: failed };
  }

  private integerMember(input: Input, member: string, min: number, max: number): number | undefined {
    const value = input[member];
    if (value === undefined || value === null) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw sqsError(
        'InvalidParameterValue',
        `Value ${String(value)} for parameter ${member} is invalid. Reason: Must be between ${min} and ${max}, if provided.`,
      );
    return n;
  }

  private async receiveMessage(input: Input): Promise<Input> {
    const { store } = this.state.running();
    const queue = this.queueOf(input);
    const max = this.integerMember(input, 'MaxNumberOfMessages', 1, 10) ?? 1;
    const visibility =
      this.integerMember(input, 'VisibilityTimeout', 0, 43_200) ?? queue.settings.visibilityTimeout;
    const wait =
      this.integerMember(input, 'WaitTimeSeconds', 0, 20) ?? queue.settings.receiveMessageWaitTimeSeconds;
    const deadline = Date.now() + wait * 1000;
    let received = await queue.receive(max, visibility, (arn) => store.byArn(arn));
    // Long polling: wait for a message to arrive (or become visible) without holding the event loop.
    while (received.length === 0 && !this.stopping) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      await queue.waitForChange(Math.max(1, Math.min(left, nextVisibleIn(queue), 1000)));
      if (this.stopping || this.state.store !== store) break;
      received = await queue.receive(max, visibility, (arn) => store.byArn(arn));
    }
    const systemNames = new Set([
      ...stringList(input.AttributeNames),
      ...stringList(input.MessageSystemAttributeNames),
    ]);
    const attributeNames = stringList(input.MessageAttributeNames);
    if (received.length === 0) return {};
    return {
      Messages: received.map(({ message, payload, receiptHandle }) =>
        this.messageOutput(message, payload, receiptHandle, systemNames, attributeNames),
      ),
    };
  }

  private messageOutput(
    m: Message,
    payload: Payload,
    receiptHandle: string,
    systemNames: ReadonlySet<string>,
    attributeNames: readonly string[],
  ): Input {
    const all: Record<string, string | undefined> = {
      SenderId: m.senderId,
      SentTimestamp: String(m.sent),
      ApproximateReceiveCount: String(m.receiveCount),
      ApproximateFirstReceiveTimestamp: m.firstReceive === undefined ? undefined : String(m.firstReceive),
      SequenceNumber: m.sequenceNumber,
      MessageDeduplicationId: m.sequenceNumber === undefined ? undefined : m.dedupId,
      MessageGroupId: m.groupId,
      AWSTraceHeader: payload.systemAttributes?.AWSTraceHeader?.StringValue,
      DeadLetterQueueSourceArn: m.sourceArn,
    };
    const attributes: Record<string, string> = {};
    for (const name of SYSTEM_ATTRIBUTES) {
      const value = all[name];
      if (value !== undefined && (systemNames.has('All') || systemNames.has(name))) attributes[name] = value;
    }
    const messageAttributes: Record<string, Payload['body'] | object> = {};
    for (const [name, value] of Object.entries(payload.attributes ?? {}))
      if (attributeNames.some((pattern) => matchesAttribute(pattern, name))) messageAttributes[name] = value;
    const returned = Object.keys(messageAttributes).length > 0;
    const digestable: Attributes = Object.fromEntries(
      Object.entries(
        messageAttributes as Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>,
      ).map(([name, v]) => [
        name,
        {
          DataType: v.DataType,
          StringValue: v.StringValue,
          BinaryValue: v.BinaryValue === undefined ? undefined : Buffer.from(v.BinaryValue, 'base64'),
        },
      ]),
    );
    return {
      MessageId: m.id,
      ReceiptHandle: receiptHandle,
      MD5OfBody: m.md5,
      Body: payload.body,
      Attributes: Object.keys(attributes).length > 0 ? attributes : undefined,
      MD5OfMessageAttributes: returned ? md5OfAttributes(digestable) : undefined,
      MessageAttributes: returned ? messageAttributes : undefined,
    };
  }

  private handleFor(queue: Queue, receiptHandle: unknown) {
    if (typeof receiptHandle !== 'string' || receiptHandle === '')
      throw sqsError('MissingParameter', 'The request must contain the parameter ReceiptHandle.');
    const handle = decodeHandle(receiptHandle);
    if (handle.queue !== queue.meta.name)
      throw sqsError(
        'ReceiptHandleIsInvalid',
        `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`,
      );
    return handle;
  }

  private async deleteMessage(input: Input): Promise<Input> {
    const queue = this.queueOf(input);
    await queue.delete(this.handleFor(queue, input.ReceiptHandle));
    return {};
  }

  private async deleteMessageBatch(input: Input): Promise<Input> {
    const queue = this.queueOf(input);
    const successful: Input[] = [];
    const failed: Input[] = [];
    for (const entry of this.entriesOf(input)) {
      try {
        await queue.delete(this.handleFor(queue, entry.ReceiptHandle));
        successful.push({ Id: entry.Id });
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message });
      }
    }
    return { Successful: successful, Failed: failed };
  }

  private async changeVisibility(input: Input): Promise<Input> {
    const queue = this.queueOf(input);
    const handle = this.handleFor(queue, input.ReceiptHandle);
    const seconds = this.integerMember(input, 'VisibilityTimeout', 0, 43_200);
    if (seconds === undefined)
      throw sqsError('MissingParameter', 'The request must contain the parameter VisibilityTimeout.');
    await queue.changeVisibility(handle, seconds);
    return {};
  }

  private async changeVisibilityBatch(input: Input): Promise<Input> {
    this.queueOf(input);
    const successful: Input[] = [];
    const failed: Input[] = [];
    for (const entry of this.entriesOf(input)) {
      try {
        await this.changeVisibility({ ...entry, QueueUrl: input.QueueUrl });
        successful.push({ Id: entry.Id });
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message });
      }
    }
    return { Successful: successful, Failed: failed };
  }

  private getQueueUrl(input: Input): Input {
    const { store, ctx } = this.state.running();
    if (typeof input.QueueName !== 'string' || input.QueueName === '')
      throw sqsError('MissingParameter', 'The request must contain the parameter QueueName.');
    const owner =
      typeof input.QueueOwnerAWSAccountId === 'string' ? input.QueueOwnerAWSAccountId : ctx.accountId;
    const queue = owner === ctx.accountId ? store.byName.get(input.QueueName) : undefined;
    if (!queue) throw sqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return { QueueUrl: queue.meta.url };
  }

  private getQueueAttributes(input: Input): Input {
    const queue = this.queueOf(input);
    const names = stringList(input.AttributeNames);
    for (const name of names)
      if (name !== 'All' && !QUEUE_ATTRIBUTES.includes(name))
        throw sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    const counts = queue.counts();
    const all: Record<string, string> = {
      QueueArn: queue.meta.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(queue.meta.created),
      LastModifiedTimestamp: String(queue.meta.lastModified),
      ...settingsAttributes(queue.settings),
    };
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(all))
      if (names.includes('All') || names.includes(name)) attributes[name] = value;
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  }

  private listQueues(input: Input): Input {
    const { store, ctx } = this.state.running();
    const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
    const maxResults = this.integerMember(input, 'MaxResults', 1, 1000);
    const after =
      typeof input.NextToken === 'string' ? Buffer.from(input.NextToken, 'base64').toString('utf8') : '';
    const names = [...store.byName.keys()].filter((name) => name.startsWith(prefix) && name > after).sort();
    const page = maxResults === undefined ? names.slice(0, 1000) : names.slice(0, maxResults);
    const more = maxResults !== undefined && names.length > page.length;
    if (page.length === 0) return {};
    return {
      QueueUrls: page.map((name) => queueUrl(ctx.region, ctx.accountId, name)),
      NextToken: more ? Buffer.from(page[page.length - 1], 'utf8').toString('base64') : undefined,
    };
  }
}

/** Bytes a message's attributes count toward a batch's size. */
function attributesSizeOf(message: NewMessage): number {
  let size = 0;
  for (const [name, v] of Object.entries(message.payload.attributes ?? {}))
    size +=
      Buffer.byteLength(name) +
      Buffer.byteLength(v.DataType) +
      (v.BinaryValue === undefined
        ? Buffer.byteLength(v.StringValue ?? '')
        : Buffer.from(v.BinaryValue, 'base64').length);
  return size;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `All`, `.*`, an exact name, or a prefix ending in `.*` ("bar.*" returns every name starting with "bar."). */
function matchesAttribute(pattern: string, name: string): boolean {
  if (pattern === 'All' || pattern === '.*') return true;
  if (pattern.endsWith('.*')) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}
