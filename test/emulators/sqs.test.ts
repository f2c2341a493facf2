/**
 * The SQS emulator over its own data dir, through the real @aws-sdk/client-sqs (AWS JSON 1.0, query
 * compatible) and raw query-protocol requests: send / receive / visibility / delete, long polling,
 * redrive to a dead-letter queue, FIFO groups and deduplication, the MD5 digests the SDK checks,
 * errors in both protocols, persistence across a restart and a SIGKILL.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import type { ServiceRequest } from '../../src/emulators/plugin.ts';
import { md5OfAttributes } from '../../src/emulators/sqs/md5.ts';
import { ACCOUNT, REGION, startHarness, type Harness } from './helpers.ts';
import { TEST_CALLER, TEST_CREDENTIALS } from './serve.ts';

let h: Harness;
let sqs: SQSClient;
const url = (name: string) => `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name}`;
const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: '*' }],
};

async function createQueues(): Promise<void> {
  const q = h.emulators.sqs;
  await q.ensureQueue({ name: 'orders', attributes: {}, policy: POLICY });
  await q.ensureQueue({ name: 'orders-dlq', attributes: {} });
  await q.ensureQueue({
    name: 'work',
    attributes: {
      RedrivePolicy: {
        deadLetterTargetArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:orders-dlq`,
        maxReceiveCount: 2,
      },
    },
  });
  await q.ensureQueue({ name: 'delayed', attributes: { DelaySeconds: 1 } });
  await q.ensureQueue({ name: 'tiny', attributes: { MaximumMessageSize: 1024 } });
  await q.ensureQueue({
    name: 'jobs.fifo',
    attributes: { FifoQueue: true, ContentBasedDeduplication: true },
  });
  await q.ensureQueue({ name: 'strict.fifo', attributes: { FifoQueue: 'true' } });
  await q.ensureQueue({ name: 'durable', attributes: {} });
  await q.ensureQueue({ name: 'scratch', attributes: {} });
}

before(async () => {
  h = await startHarness();
  await createQueues();
  sqs = new SQSClient({ ...h.clientConfig(), maxAttempts: 1 });
});
after(async () => {
  sqs.destroy();
  await h.close();
});

async function errorOf(promise: Promise<unknown>): Promise<SQSServiceException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof SQSServiceException) return err;
    throw err;
  }
  assert.fail('expected the call to fail');
}

const receive = (name: string, extra: Record<string, unknown> = {}) =>
  sqs.send(new ReceiveMessageCommand({ QueueUrl: url(name), ...extra }));

describe('MD5 of message attributes (the guide\u2019s algorithm; vectors of aws-md5-of-message-attributes)', () => {
  const cases: Array<
    [string, Record<string, { DataType: string; StringValue?: string; BinaryValue?: Buffer }>, string]
  > = [
    [
      'one String',
      { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } },
      '19e27d4e946b072f3f58da80d94fd778',
    ],
    [
      'a custom Number type',
      {
        customNumberTypeAttrib: {
          DataType: 'Number.float',
          StringValue: '4563442423554324324264524243.32543234',
        },
      },
      '9fe1b90bbd9965bdf77bac517c7d2495',
    ],
    [
      'a Binary',
      { binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') } },
      '31a92b15d92f8db860eda32aceb656c3',
    ],
    [
      'all three, sorted by name',
      {
        attribName1: { DataType: 'String', StringValue: 'attribValue 1' },
        customNumberTypeAttrib: {
          DataType: 'Number.float',
          StringValue: '4563442423554324324264524243.32543234',
        },
        binaryAttribute: { DataType: 'Binary', BinaryValue: Buffer.from('Hello binary world!') },
      },
      'c932db14a896c663f83c260297d594ff',
    ],
  ];
  for (const [name, attributes, digest] of cases) {
    it(`${name}: ${digest}, computed and answered by SendMessage and ReceiveMessage`, async () => {
      assert.equal(md5OfAttributes(attributes), digest);
      const MessageAttributes = Object.fromEntries(
        Object.entries(attributes).map(([k, v]) => [
          k,
          { ...v, BinaryValue: v.BinaryValue ? new Uint8Array(v.BinaryValue) : undefined },
        ]),
      );
      const sent = await sqs.send(
        new SendMessageCommand({ QueueUrl: url('scratch'), MessageBody: 'x', MessageAttributes }),
      );
      assert.equal(sent.MD5OfMessageAttributes, digest);
      const got = await receive('scratch', { MessageAttributeNames: ['All'] });
      assert.equal(got.Messages?.[0].MD5OfMessageAttributes, digest);
      assert.deepEqual(
        Object.keys(got.Messages?.[0].MessageAttributes ?? {}).sort(),
        Object.keys(attributes).sort(),
      );
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: url('scratch'), ReceiptHandle: got.Messages![0].ReceiptHandle }),
      );
    });
  }
});

describe('send, receive, visibility, delete', () => {
  it('sends and receives with the body MD5 the SDK verifies, and the system attributes asked for', async () => {
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl: url('scratch'), MessageBody: 'hello \u{1F600}' }),
    );
    assert.equal(sent.MD5OfMessageBody, createHash('md5').update('hello \u{1F600}', 'utf8').digest('hex'));
    const got = await receive('scratch', { MessageSystemAttributeNames: ['All'] });
    const m = got.Messages?.[0];
    assert.equal(m?.MessageId, sent.MessageId);
    assert.equal(m?.Body, 'hello \u{1F600}');
    assert.equal(m?.Attributes?.ApproximateReceiveCount, '1');
    assert.match(m?.Attributes?.SentTimestamp ?? '', /^\d{13}$/);
    assert.match(m?.Attributes?.SenderId ?? '', /^(AROA[A-Z0-9]+(:.+)?|\d{12})$/);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url('scratch'), ReceiptHandle: m?.ReceiptHandle }));
    assert.deepEqual((await receive('scratch')).Messages, undefined);
  });

  it('hides a received message for its visibility timeout, then gives it again with a new handle', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: url('scratch'), MessageBody: 'v' }));
    const first = (await receive('scratch', { VisibilityTimeout: 1 })).Messages?.[0];
    assert.ok(first);
    assert.equal((await receive('scratch')).Messages, undefined);
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url('scratch'),
        AttributeNames: ['ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    assert.equal(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible, '1');
    await new Promise((r) => setTimeout(r, 1100));
    const again = (await receive('scratch', { AttributeNames: ['ApproximateReceiveCount'] })).Messages?.[0];
    assert.equal(again?.MessageId, first.MessageId);
    assert.equal(again?.Attributes?.ApproximateReceiveCount, '2');
    assert.notEqual(again?.ReceiptHandle, first.ReceiptHandle);
    // The stale handle "succeeds" but deletes nothing; ChangeMessageVisibility 0 shows it at once.
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: url('scratch'), ReceiptHandle: first.ReceiptHandle }),
    );
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: url('scratch'),
        ReceiptHandle: again?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const third = (await receive('scratch')).Messages?.[0];
    assert.equal(third?.MessageId, first.MessageId);
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: url('scratch'), ReceiptHandle: third?.ReceiptHandle }),
    );
    assert.equal((await receive('scratch')).Messages, undefined);
  });

  it('DelaySeconds of the queue keeps a new message hidden, counted as delayed', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: url('delayed'), MessageBody: 'later' }));
    assert.equal((await receive('delayed')).Messages, undefined);
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url('delayed'), AttributeNames: ['All'] }),
    );
    assert.equal(attrs.Attributes?.ApproximateNumberOfMessagesDelayed, '1');
    assert.equal(attrs.Attributes?.DelaySeconds, '1');
    assert.equal(attrs.Attributes?.VisibilityTimeout, '30');
    assert.equal(attrs.Attributes?.MessageRetentionPeriod, '345600');
    assert.equal(attrs.Attributes?.MaximumMessageSize, '1048576');
    assert.equal(attrs.Attributes?.QueueArn, `arn:aws:sqs:${REGION}:${ACCOUNT}:delayed`);
    const got = await receive('delayed', { WaitTimeSeconds: 3 });
    assert.equal(got.Messages?.[0].Body, 'later');
  });

  it('long polling answers as soon as a message arrives, without blocking the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const started = Date.now();
    const waiting = receive('scratch', { WaitTimeSeconds: 5 });
    setTimeout(
      () => void sqs.send(new SendMessageCommand({ QueueUrl: url('scratch'), MessageBody: 'arrived' })),
      300,
    );
    const got = await waiting;
    clearInterval(timer);
    const took = Date.now() - started;
    assert.equal(got.Messages?.[0].Body, 'arrived');
    assert.ok(took >= 250 && took < 3000, `took ${took} ms`);
    assert.ok(ticks >= 5, `the event loop ticked ${ticks} times`);
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: url('scratch'), ReceiptHandle: got.Messages?.[0].ReceiptHandle }),
    );
  });

  it('long polling with nothing to receive answers empty after WaitTimeSeconds', async () => {
    const started = Date.now();
    const got = await receive('scratch', { WaitTimeSeconds: 1 });
    assert.equal(got.Messages, undefined);
    assert.ok(Date.now() - started >= 950);
  });

  it('a redrive policy moves a message received maxReceiveCount times to the dead-letter queue', async () => {
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url('work'), MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) {
      const got = await receive('work', { VisibilityTimeout: 0 });
      assert.equal(got.Messages?.[0].MessageId, sent.MessageId);
    }
    assert.equal((await receive('work')).Messages, undefined);
    const dead = (await receive('orders-dlq', { MessageSystemAttributeNames: ['All'] })).Messages?.[0];
    assert.equal(dead?.MessageId, sent.MessageId);
    assert.equal(dead?.Body, 'poison');
    assert.equal(dead?.Attributes?.DeadLetterQueueSourceArn, `arn:aws:sqs:${REGION}:${ACCOUNT}:work`);
  });

  it('batches: one bad entry fails alone; DeleteMessageBatch deletes by handle', async () => {
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url('scratch'),
        Entries: [
          { Id: 'a', MessageBody: 'one' },
          { Id: 'b', MessageBody: 'bad\u0000' },
          { Id: 'c', MessageBody: 'three' },
        ],
      }),
    );
    assert.deepEqual(
      out.Successful?.map((s) => s.Id),
      ['a', 'c'],
    );
    assert.equal(out.Failed?.[0].Id, 'b');
    assert.equal(out.Failed?.[0].Code, 'InvalidMessageContents');
    assert.equal(out.Failed?.[0].SenderFault, true);
    const got = await receive('scratch', { MaxNumberOfMessages: 10 });
    assert.deepEqual(
      got.Messages?.map((m) => m.Body),
      ['one', 'three'],
    );
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url('scratch'),
        Entries: got.Messages!.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
    assert.equal(deleted.Successful?.length, 2);
  });

  it('FIFO: a group waits behind its message in flight; duplicates within 5 minutes answer the first id', async () => {
    const q = url('jobs.fifo');
    const a = await sqs.send(new SendMessageCommand({ QueueUrl: q, MessageBody: 'a', MessageGroupId: 'g1' }));
    const dup = await sqs.send(
      new SendMessageCommand({ QueueUrl: q, MessageBody: 'a', MessageGroupId: 'g1' }),
    );
    assert.equal(dup.MessageId, a.MessageId);
    assert.match(a.SequenceNumber ?? '', /^\d{20}$/);
    await sqs.send(new SendMessageCommand({ QueueUrl: q, MessageBody: 'b', MessageGroupId: 'g1' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: q, MessageBody: 'c', MessageGroupId: 'g2' }));
    const first = (await receive('jobs.fifo')).Messages?.[0];
    assert.equal(first?.Body, 'a');
    assert.equal((await receive('jobs.fifo')).Messages?.[0].Body, 'c');
    assert.equal((await receive('jobs.fifo')).Messages, undefined);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: q, ReceiptHandle: first?.ReceiptHandle }));
    assert.equal((await receive('jobs.fifo')).Messages?.[0].Body, 'b');
  });

  it('GetQueueUrl, ListQueues (prefix, pages) and PurgeQueue', async () => {
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl, url('orders'));
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'orders' }));
    assert.deepEqual(listed.QueueUrls, [url('orders'), url('orders-dlq')]);
    const page = await sqs.send(new ListQueuesCommand({ MaxResults: 2 }));
    assert.equal(page.QueueUrls?.length, 2);
    const next = await sqs.send(new ListQueuesCommand({ MaxResults: 2, NextToken: page.NextToken }));
    assert.notDeepEqual(next.QueueUrls, page.QueueUrls);
    await sqs.send(new SendMessageCommand({ QueueUrl: url('scratch'), MessageBody: 'gone' }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url('scratch') }));
    assert.equal((await receive('scratch')).Messages, undefined);
    const again = await errorOf(sqs.send(new PurgeQueueCommand({ QueueUrl: url('scratch') })));
    assert.equal(again.name, 'PurgeQueueInProgress');
  });
});

describe('errors, as the SDK names them', () => {
  const cases: Array<{ name: string; call: () => Promise<unknown>; error: string; status: number }> = [
    {
      name: 'a queue that does not exist',
      call: () => sqs.send(new SendMessageCommand({ QueueUrl: url('nope'), MessageBody: 'x' })),
      error: 'QueueDoesNotExist',
      status: 400,
    },
    {
      name: 'GetQueueUrl of a queue that does not exist',
      call: () => sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })),
      error: 'QueueDoesNotExist',
      status: 400,
    },
    {
      name: 'a receipt handle that is not one',
      call: () => sqs.send(new DeleteMessageCommand({ QueueUrl: url('scratch'), ReceiptHandle: 'garbage' })),
      error: 'ReceiptHandleIsInvalid',
      status: 404,
    },
    {
      name: 'MaxNumberOfMessages 11',
      call: () => receive('scratch', { MaxNumberOfMessages: 11 }),
      error: 'InvalidParameterValue',
      status: 400,
    },
    {
      name: 'a message over MaximumMessageSize',
      call: () => sqs.send(new SendMessageCommand({ QueueUrl: url('tiny'), MessageBody: 'x'.repeat(1025) })),
      error: 'InvalidParameterValue',
      status: 400,
    },
    {
      name: 'a character XML does not allow',
      call: () => sqs.send(new SendMessageCommand({ QueueUrl: url('scratch'), MessageBody: 'a\u0001' })),
      error: 'InvalidMessageContents',
      status: 400,
    },
    {
      name: 'FIFO without MessageGroupId',
      call: () => sqs.send(new SendMessageCommand({ QueueUrl: url('jobs.fifo'), MessageBody: 'x' })),
      error: 'MissingParameter',
      status: 400,
    },
    {
      name: 'FIFO without deduplication id nor ContentBasedDeduplication',
      call: () =>
        sqs.send(
          new SendMessageCommand({ QueueUrl: url('strict.fifo'), MessageBody: 'x', MessageGroupId: 'g' }),
        ),
      error: 'InvalidParameterValue',
      status: 400,
    },
    {
      name: 'an empty batch',
      call: () => sqs.send(new SendMessageBatchCommand({ QueueUrl: url('scratch'), Entries: [] })),
      error: 'EmptyBatchRequest',
      status: 400,
    },
    {
      name: 'eleven entries in a batch',
      call: () =>
        sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: url('scratch'),
            Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, MessageBody: 'x' })),
          }),
        ),
      error: 'TooManyEntriesInBatchRequest',
      status: 400,
    },
    {
      name: 'an unknown queue attribute',
      call: () =>
        sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: url('scratch'), AttributeNames: ['Nope' as 'All'] }),
        ),
      error: 'InvalidAttributeName',
      status: 400,
    },
    {
      name: 'ChangeMessageVisibility of a message not in flight',
      call: async () => {
        await sqs.send(new SendMessageCommand({ QueueUrl: url('durable'), MessageBody: 'nf' }));
        const m = (await receive('durable', { VisibilityTimeout: 0 })).Messages![0];
        return sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: url('durable'),
            ReceiptHandle: m.ReceiptHandle,
            VisibilityTimeout: 5,
          }),
        );
      },
      error: 'MessageNotInflight',
      status: 400,
    },
    {
      name: 'an operation the twin does not emulate',
      call: () => sqs.send(new CreateQueueCommand({ QueueName: 'new' })),
      error: 'NotImplemented',
      status: 501,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.error} ${c.status}`, async () => {
      const error = await errorOf(c.call());
      assert.equal(error.name, c.error, error.message);
      assert.equal(error.$metadata.httpStatusCode, c.status);
    });
  }

  it('JSON errors carry __type and x-amzn-query-error', async () => {
    const response = await h.emulators.sqs.handle(
      jsonRequest('GetQueueUrl', { QueueName: 'nope' }),
      TEST_CALLER,
    );
    assert.equal(response.status, 400);
    assert.equal(response.headers['x-amzn-query-error'], 'AWS.SimpleQueueService.NonExistentQueue;Sender');
    assert.deepEqual(JSON.parse(String(response.body)), {
      __type: 'com.amazonaws.sqs#QueueDoesNotExist',
      message: 'The specified queue does not exist.',
    });
  });

  it('a denial in each protocol: query AccessDenied 403 XML; JSON 403 with AccessDenied;Sender', () => {
    const query = h.emulators.sqs.deny(
      'AccessDenied',
      'User: x is not authorized',
      formRequest({ Action: 'ListQueues' }),
    );
    assert.equal(query.status, 403);
    assert.match(String(query.body), /<Code>AccessDenied<\/Code>/);
    const json = h.emulators.sqs.deny(
      'AccessDenied',
      'User: x is not authorized',
      jsonRequest('ListQueues', {}),
    );
    assert.equal(json.status, 403);
    assert.equal(json.headers['x-amzn-query-error'], 'AccessDenied;Sender');
  });
});

function jsonRequest(operation: string, input: unknown): ServiceRequest {
  return {
    method: 'POST',
    url: new URL('http://127.0.0.1/'),
    headers: { 'x-amz-target': `AmazonSQS.${operation}`, 'content-type': 'application/x-amz-json-1.0' },
    body: Buffer.from(JSON.stringify(input)),
  };
}

function formRequest(params: Record<string, string>, path = '/'): ServiceRequest {
  return {
    method: 'POST',
    url: new URL(`http://127.0.0.1${path}`),
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: Buffer.from(new URLSearchParams({ Version: '2012-11-05', ...params }).toString()),
  };
}

describe('the query protocol (AWS CLI v1, older SDKs)', () => {
  it('SendMessage with a message attribute, ReceiveMessage, DeleteMessage — in XML', async () => {
    const sqsPlugin = h.emulators.sqs;
    const sent = await sqsPlugin.handle(
      formRequest({
        Action: 'SendMessage',
        QueueUrl: url('scratch'),
        MessageBody: 'from the CLI',
        'MessageAttribute.1.Name': 'attribName1',
        'MessageAttribute.1.Value.DataType': 'String',
        'MessageAttribute.1.Value.StringValue': 'attribValue 1',
      }),
      TEST_CALLER,
    );
    const xml = String(sent.body);
    assert.equal(sent.status, 200);
    assert.match(xml, /^<SendMessageResponse xmlns="http:\/\/queue.amazonaws.com\/doc\/2012-11-05\/">/);
    assert.match(xml, /<MD5OfMessageAttributes>19e27d4e946b072f3f58da80d94fd778<\/MD5OfMessageAttributes>/);
    const got = String(
      (
        await sqsPlugin.handle(
          // The older form: the queue's URL path instead of a QueueUrl parameter.
          formRequest(
            { Action: 'ReceiveMessage', 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All' },
            `/${ACCOUNT}/scratch`,
          ),
          TEST_CALLER,
        )
      ).body,
    );
    assert.match(got, /<Message>[\s\S]*<Body>from the CLI<\/Body>/);
    assert.match(got, /<Attribute>\s*<Name>ApproximateReceiveCount<\/Name>\s*<Value>1<\/Value>/);
    assert.match(
      got,
      /<MessageAttribute>\s*<Name>attribName1<\/Name>\s*<Value>[\s\S]*<StringValue>attribValue 1<\/StringValue>/,
    );
    const handle = /<ReceiptHandle>([^<]+)<\/ReceiptHandle>/.exec(got)?.[1] ?? '';
    const deleted = await sqsPlugin.handle(
      formRequest({ Action: 'DeleteMessage', QueueUrl: url('scratch'), ReceiptHandle: handle }),
      TEST_CALLER,
    );
    assert.equal(deleted.status, 200);
    assert.match(String(deleted.body), /<DeleteMessageResponse/);
  });

  it('errors as <ErrorResponse> with the query code', async () => {
    const response = await h.emulators.sqs.handle(
      formRequest({ Action: 'GetQueueUrl', QueueName: 'nope' }),
      TEST_CALLER,
    );
    assert.equal(response.status, 400);
    assert.match(
      String(response.body),
      /<Type>Sender<\/Type>\s*<Code>AWS.SimpleQueueService.NonExistentQueue<\/Code>/,
    );
  });
});

describe('authorization inputs', () => {
  const cases: Array<[string, ServiceRequest, string, string]> = [
    [
      'SendMessage',
      jsonRequest('SendMessage', { QueueUrl: url('orders') }),
      'sqs:SendMessage',
      `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`,
    ],
    [
      'SendMessageBatch',
      jsonRequest('SendMessageBatch', { QueueUrl: url('orders') }),
      'sqs:SendMessage',
      `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`,
    ],
    [
      'DeleteMessageBatch',
      jsonRequest('DeleteMessageBatch', { QueueUrl: url('orders') }),
      'sqs:DeleteMessage',
      `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`,
    ],
    [
      'GetQueueUrl',
      jsonRequest('GetQueueUrl', { QueueName: 'orders' }),
      'sqs:GetQueueUrl',
      `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`,
    ],
    ['ListQueues', jsonRequest('ListQueues', {}), 'sqs:ListQueues', '*'],
    [
      'ReceiveMessage (query, any host)',
      formRequest({ Action: 'ReceiveMessage', QueueUrl: `http://127.0.0.1:4566/${ACCOUNT}/orders` }),
      'sqs:ReceiveMessage',
      `arn:aws:sqs:${REGION}:${ACCOUNT}:orders`,
    ],
  ];
  for (const [name, request, action, resource] of cases) {
    it(`${name} → ${action} on ${resource}`, () => {
      const c = h.emulators.sqs.classify(request);
      assert.deepEqual(c.checks, [{ action, resource }]);
      assert.deepEqual(c.policyArns, resource === '*' ? [] : [resource]);
    });
  }
  it('the queue policy is the queue\u2019s resource policy', () => {
    assert.deepEqual(
      JSON.parse(h.emulators.sqs.resourcePolicy(`arn:aws:sqs:${REGION}:${ACCOUNT}:orders`) ?? '{}'),
      POLICY,
    );
    assert.equal(h.emulators.sqs.resourcePolicy(`arn:aws:sqs:${REGION}:${ACCOUNT}:scratch`), undefined);
  });
});

describe('persistence', () => {
  it('messages, their receive counts and visibility survive a restart; a torn last line is dropped', async () => {
    const q = url('durable');
    await sqs.send(new PurgeQueueCommand({ QueueUrl: q })).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    const sent = [];
    for (const body of ['k1', 'k2', 'k3'])
      sent.push(await sqs.send(new SendMessageCommand({ QueueUrl: q, MessageBody: body })));
    const inFlight = (await receive('durable', { VisibilityTimeout: 600 })).Messages![0];
    assert.equal(inFlight.Body, 'k1');
    const second = (await receive('durable', { VisibilityTimeout: 0 })).Messages![0];
    await sqs.send(new DeleteMessageCommand({ QueueUrl: q, ReceiptHandle: second.ReceiptHandle }));
    await appendFile(join(h.dataDir, 'sqs', 'queues', 'durable', 'messages.log'), '{"t":"m","id":"torn');
    await h.restart();
    sqs.destroy();
    sqs = new SQSClient({ ...h.clientConfig(), maxAttempts: 1 });
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q, AttributeNames: ['All'] }));
    assert.equal(attrs.Attributes?.ApproximateNumberOfMessages, '1');
    assert.equal(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible, '1');
    const left = (await receive('durable', { AttributeNames: ['All'] })).Messages![0];
    assert.equal(left.Body, 'k3');
    // The handle given before the restart still deletes the message in flight.
    await sqs.send(new DeleteMessageCommand({ QueueUrl: q, ReceiptHandle: inFlight.ReceiptHandle }));
    const after = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q, AttributeNames: ['All'] }));
    assert.equal(after.Attributes?.ApproximateNumberOfMessagesNotVisible, '1'); // k3, just received
    assert.ok(
      !(await readFile(join(h.dataDir, 'sqs', 'queues', 'durable', 'messages.log'), 'utf8')).includes('torn'),
    );
    // The template's configuration and policy are kept, and re-applied idempotently.
    await createQueues();
    assert.ok(h.emulators.sqs.resourcePolicy(`arn:aws:sqs:${REGION}:${ACCOUNT}:orders`));
  });

  it('compaction rewrites the log to its live messages and keeps them', async () => {
    const q = url('scratch');
    const body = 'y'.repeat(64 * 1024);
    for (let i = 0; i < 20; i++) {
      await sqs.send(new SendMessageCommand({ QueueUrl: q, MessageBody: body }));
      const got = (await receive('scratch')).Messages![0];
      await sqs.send(new DeleteMessageCommand({ QueueUrl: q, ReceiptHandle: got.ReceiptHandle }));
    }
    await sqs.send(new SendMessageCommand({ QueueUrl: q, MessageBody: 'kept' }));
    await new Promise((r) => setTimeout(r, 100));
    const log = await readFile(join(h.dataDir, 'sqs', 'queues', 'scratch', 'messages.log'));
    // 21 records of 64 KiB were written; the log was compacted once it passed 1 MiB.
    assert.ok(log.length < 1024 * 1024, `log is ${log.length} bytes`);
    assert.equal((await receive('scratch')).Messages?.[0].Body, 'kept');
  });
});

describe('SIGKILL', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'securecart-sqs-crash-'));
  });
  after(async () => {
    for (const child of children) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });
  async function boot(): Promise<{ child: ChildProcess; client: SQSClient }> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'sqs-crash-child.ts'), dataDir],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
    });
    const endpoint = (JSON.parse(line) as { endpoint: string }).endpoint;
    return {
      child,
      client: new SQSClient({ region: REGION, endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 }),
    };
  }

  it('every acknowledged message is there after the process is killed mid-stream', async () => {
    const first = await boot();
    const acknowledged = new Set<string>();
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        try {
          await first.client.send(
            new SendMessageCommand({ QueueUrl: url('orders'), MessageBody: `w${w}-${i}` }),
          );
          acknowledged.add(`w${w}-${i}`);
        } catch {
          return;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 600));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    first.client.destroy();
    assert.ok(acknowledged.size > 10, `${acknowledged.size} acknowledged`);
    const second = await boot();
    const found = new Set<string>();
    for (;;) {
      const got = await second.client.send(
        new ReceiveMessageCommand({
          QueueUrl: url('orders'),
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 600,
        }),
      );
      if (!got.Messages) break;
      for (const m of got.Messages) found.add(m.Body ?? '');
    }
    second.client.destroy();
    second.child.kill('SIGKILL');
    for (const body of acknowledged) assert.ok(found.has(body), `${body} was acknowledged and lost`);
  });
});
