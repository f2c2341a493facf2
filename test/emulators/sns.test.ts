/**
 * The SNS emulator with the real @aws-sdk/client-sns (query protocol) and its delivery, as AWS
 * delivers: the JSON envelope to an SQS subscription, the raw message with RawMessageDelivery,
 * filter policies on message attributes, and no delivery unless the queue's policy lets
 * sns.amazonaws.com send for the topic (aws:SourceArn).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTopicsCommand,
  PublishBatchCommand,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { acceptsMessage, parseFilterPolicy } from '../../src/emulators/sns/filter-policy.ts';
import { lambdaEventOf } from '../../src/emulators/sns/notification.ts';
import { SnsDelivery, snsMayDeliver } from '../../src/twin/sns-delivery.ts';
import { ACCOUNT, REGION, startHarness, type Harness } from './helpers.ts';

const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:orders`;
const OTHER_TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:other`;
const queueArn = (name: string) => `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
const queueUrl = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
const allowSns = (name: string, topic = TOPIC) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'sns.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: queueArn(name),
      Condition: { ArnEquals: { 'aws:SourceArn': topic } },
    },
  ],
});
const sub = (name: string, extra: Record<string, unknown> = {}) => ({
  arn: `${TOPIC}:00000000-0000-0000-0000-${name.padStart(12, '0').slice(-12)}`,
  protocol: 'sqs',
  endpoint: queueArn(name),
  rawMessageDelivery: false,
  ...extra,
});

let h: Harness;
let sns: SNSClient;
let sqs: SQSClient;
const log: string[] = [];

before(async () => {
  h = await startHarness();
  const q = h.emulators.sqs;
  await q.ensureQueue({ name: 'envelope', attributes: {}, policy: allowSns('envelope') });
  await q.ensureQueue({ name: 'raw', attributes: {}, policy: allowSns('raw') });
  await q.ensureQueue({ name: 'filtered', attributes: {}, policy: allowSns('filtered') });
  await q.ensureQueue({ name: 'no-policy', attributes: {} });
  await q.ensureQueue({ name: 'other-topic', attributes: {}, policy: allowSns('other-topic', OTHER_TOPIC) });
  h.emulators.sns.ensureTopic({
    name: 'orders',
    arn: TOPIC,
    subscriptions: [
      sub('envelope'),
      sub('raw', { rawMessageDelivery: true }),
      sub('filtered', { filterPolicy: parseFilterPolicy({ color: ['red', { prefix: 'bl' }] }) }),
      sub('no-policy'),
      sub('other-topic'),
    ],
  });
  h.emulators.sns.setDeliverer(new SnsDelivery({ sqs: h.emulators.sqs, log: (line) => log.push(line) }));
  sns = new SNSClient({ ...h.clientConfig(), maxAttempts: 1 });
  sqs = new SQSClient({ ...h.clientConfig(), maxAttempts: 1 });
});

after(async () => {
  await h?.close();
});

async function drain(name: string): Promise<Message[]> {
  await h.emulators.sns.settled();
  const out = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl(name),
      MaxNumberOfMessages: 10,
      MessageAttributeNames: ['All'],
    }),
  );
  return out.Messages ?? [];
}

describe('Publish and delivery to SQS', () => {
  it('delivers the JSON envelope, with every field AWS writes', async () => {
    const published = await sns.send(
      new PublishCommand({
        TopicArn: TOPIC,
        Message: 'order 42 placed',
        Subject: 'orders',
        MessageAttributes: { color: { DataType: 'String', StringValue: 'green' } },
      }),
    );
    assert.match(published.MessageId ?? '', /^[0-9a-f-]{36}$/);
    const [message, ...rest] = await drain('envelope');
    assert.equal(rest.length, 0);
    const envelope = JSON.parse(message.Body ?? '') as Record<string, unknown>;
    assert.deepEqual(Object.keys(envelope), [
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    assert.equal(envelope.Type, 'Notification');
    assert.equal(envelope.MessageId, published.MessageId);
    assert.equal(envelope.TopicArn, TOPIC);
    assert.equal(envelope.Subject, 'orders');
    assert.equal(envelope.Message, 'order 42 placed');
    assert.match(String(envelope.Timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(String(envelope.UnsubscribeURL), /\?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:/);
    assert.deepEqual(envelope.MessageAttributes, { color: { Type: 'String', Value: 'green' } });
  });

  it('leaves Subject and MessageAttributes out of the envelope when the message has none', async () => {
    await sns.send(new PublishCommand({ TargetArn: TOPIC, Message: 'plain' }));
    const [message] = await drain('envelope');
    const envelope = JSON.parse(message.Body ?? '') as Record<string, unknown>;
    assert.equal('Subject' in envelope, false);
    assert.equal('MessageAttributes' in envelope, false);
    await drain('raw');
  });

  it('RawMessageDelivery: the message itself, its attributes as SQS message attributes', async () => {
    await sns.send(
      new PublishCommand({
        TopicArn: TOPIC,
        Message: '{"order":42}',
        MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } },
      }),
    );
    const [message] = await drain('raw');
    assert.equal(message.Body, '{"order":42}');
    assert.deepEqual(message.MessageAttributes?.color, { DataType: 'String', StringValue: 'red' });
  });

  it('a queue without a policy for sns.amazonaws.com receives nothing; the refusal is said', async () => {
    await sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'lost' }));
    assert.deepEqual(await drain('no-policy'), []);
    assert.ok(
      log.some((line) => /no-policy has no resource-based policy/.test(line)),
      log.join('\n'),
    );
  });

  it("a queue whose policy names another topic's aws:SourceArn receives nothing", async () => {
    await sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'wrong topic' }));
    assert.deepEqual(await drain('other-topic'), []);
  });

  it('the filter policy decides which messages the subscription gets', async () => {
    await drain('filtered');
    for (const color of ['red', 'blue', 'green']) {
      await sns.send(
        new PublishCommand({
          TopicArn: TOPIC,
          Message: color,
          MessageAttributes: { color: { DataType: 'String', StringValue: color } },
        }),
      );
    }
    await sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'no attribute' }));
    const got = (await drain('filtered')).map(
      (m) => (JSON.parse(m.Body ?? '') as { Message: string }).Message,
    );
    assert.deepEqual(got.sort(), ['blue', 'red']);
  });

  it('PublishBatch: each entry delivered, its own MessageId', async () => {
    await drain('envelope');
    const out = await sns.send(
      new PublishBatchCommand({
        TopicArn: TOPIC,
        PublishBatchRequestEntries: [
          { Id: 'a', Message: 'one' },
          { Id: 'b', Message: 'two' },
        ],
      }),
    );
    assert.deepEqual(
      out.Successful?.map((s) => s.Id),
      ['a', 'b'],
    );
    const got = (await drain('envelope')).map(
      (m) => (JSON.parse(m.Body ?? '') as { Message: string }).Message,
    );
    assert.deepEqual(got.sort(), ['one', 'two']);
  });

  it('a topic that does not exist: NotFound 404', async () => {
    const error = await sns
      .send(new PublishCommand({ TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:nope`, Message: 'x' }))
      .catch((e: unknown) => e);
    assert.equal((error as Error).name, 'NotFoundException');
    assert.equal((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 404);
  });

  it('ListTopics, ListSubscriptionsByTopic, GetTopicAttributes', async () => {
    const topics = await sns.send(new ListTopicsCommand({}));
    assert.deepEqual(
      topics.Topics?.map((t) => t.TopicArn),
      [TOPIC],
    );
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: TOPIC }));
    assert.equal(subs.Subscriptions?.length, 5);
    assert.equal(subs.Subscriptions?.[0].Protocol, 'sqs');
    assert.equal(subs.Subscriptions?.[0].Endpoint, queueArn('envelope'));
    const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn: TOPIC }));
    assert.equal(attrs.Attributes?.TopicArn, TOPIC);
    assert.equal(attrs.Attributes?.Owner, ACCOUNT);
  });
});

describe('delivery authorization (sns.amazonaws.com, aws:SourceArn)', () => {
  const text = (name: string, topic = TOPIC) => JSON.stringify(allowSns(name, topic));
  const rows: Array<[string, string | undefined, boolean]> = [
    ['no queue policy', undefined, false],
    ['a policy allowing the topic', text('q'), true],
    ['a policy allowing another topic', text('q', OTHER_TOPIC), false],
    [
      'a policy allowing only an IAM role',
      JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/r` },
            Action: 'sqs:SendMessage',
            Resource: queueArn('q'),
          },
        ],
      }),
      false,
    ],
  ];
  for (const [name, policy, allowed] of rows)
    it(`${name}: ${allowed ? 'delivered' : 'not delivered'}`, () => {
      assert.equal(snsMayDeliver(policy, 'sqs:SendMessage', queueArn('q'), TOPIC).delivered, allowed);
    });
});

describe('filter policies (MessageAttributes scope)', () => {
  const attr = (DataType: string, StringValue: string) => ({ DataType, StringValue });
  const rows: Array<[string, unknown, Record<string, { DataType: string; StringValue: string }>, boolean]> = [
    ['exact string', { c: ['red'] }, { c: attr('String', 'red') }, true],
    ['exact string, case-sensitive', { c: ['red'] }, { c: attr('String', 'Red') }, false],
    ['missing attribute', { c: ['red'] }, {}, false],
    ['prefix', { c: [{ prefix: 'bl' }] }, { c: attr('String', 'blue') }, true],
    ['anything-but', { c: [{ 'anything-but': ['red', 'blue'] }] }, { c: attr('String', 'green') }, true],
    ['anything-but, listed', { c: [{ 'anything-but': 'red' }] }, { c: attr('String', 'red') }, false],
    ['numeric range', { p: [{ numeric: ['>=', 100, '<', 200] }] }, { p: attr('Number', '150') }, true],
    [
      'numeric range, outside',
      { p: [{ numeric: ['>=', 100, '<', 200] }] },
      { p: attr('Number', '200') },
      false,
    ],
    ['number exact', { p: [5] }, { p: attr('Number', '5.0') }, true],
    ['String.Array: any element', { i: ['rugby'] }, { i: attr('String.Array', '["soccer","rugby"]') }, true],
    ['exists false, absent', { c: [{ exists: false }] }, {}, true],
    ['exists true, present', { c: [{ exists: true }] }, { c: attr('String', 'x') }, true],
    [
      'two keys: both must match (AND)',
      { c: ['red'], s: ['L'] },
      { c: attr('String', 'red'), s: attr('String', 'M') },
      false,
    ],
  ];
  for (const [name, policy, attributes, expected] of rows)
    it(`${name}: ${expected ? 'accepted' : 'rejected'}`, () => {
      assert.equal(acceptsMessage(parseFilterPolicy(policy), attributes), expected);
    });

  it('refuses what it cannot evaluate (MessageBody scope, $or)', () => {
    assert.throws(() => parseFilterPolicy({ c: ['red'] }, 'MessageBody'), /MessageBody/);
    assert.throws(() => parseFilterPolicy({ $or: [] }), /\$or/);
  });
});

describe('the Lambda event', () => {
  it('Records[0]: EventSource aws:sns, the Sns object as Lambda gets it', () => {
    const event = lambdaEventOf(
      {
        messageId: 'id',
        topicArn: TOPIC,
        message: 'hi',
        timestamp: '2026-01-01T00:00:00.000Z',
        attributes: { a: { DataType: 'String', StringValue: 'v' } },
      },
      `${TOPIC}:sub`,
    ) as {
      Records: Array<{ EventSource: string; EventSubscriptionArn: string; Sns: Record<string, unknown> }>;
    };
    const [record] = event.Records;
    assert.equal(record.EventSource, 'aws:sns');
    assert.equal(record.EventSubscriptionArn, `${TOPIC}:sub`);
    assert.equal(record.Sns.Subject, null);
    assert.equal(record.Sns.Type, 'Notification');
    assert.ok('SigningCertUrl' in record.Sns && 'UnsubscribeUrl' in record.Sns);
    assert.deepEqual(record.Sns.MessageAttributes, { a: { Type: 'String', Value: 'v' } });
  });
});
