/**
 * SNS in the twin: a template with a topic, an SQS subscription whose queue policy lets
 * sns.amazonaws.com send for the topic (aws:SourceArn), a second queue subscribed without such a
 * policy, and Lambda subscriptions with and without the function's permission. A workload publishes
 * with the real @aws-sdk/client-sns through the internet entry with its own credentials; the first
 * queue receives SNS's JSON envelope, the second nothing — as on AWS — and every delivery, allowed
 * or refused, is recorded.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { inlineFunction, lambdaRole, recordingTwin } from './template-twin.ts';

const fn = (name: string) =>
  inlineFunction(name, 'exports.handler = async (event) => event.Records[0].EventSource;');

const TEMPLATE = `
Resources:${lambdaRole(`        - PolicyName: publish
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - {Effect: Allow, Action: sns:Publish, Resource: !Sub 'arn:aws:sns:\${AWS::Region}:\${AWS::AccountId}:orders'}
              - {Effect: Allow, Action: sqs:ReceiveMessage, Resource: '*'}`)}${fn('Publisher')}${fn('Subscriber')}${fn('Unpermitted')}
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: orders
      Subscription: [{Protocol: lambda, Endpoint: !GetAtt Subscriber.Arn}]
  Allowed: {Type: AWS::SQS::Queue, Properties: {QueueName: allowed}}
  Forgotten: {Type: AWS::SQS::Queue, Properties: {QueueName: forgotten}}
  AllowedPolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Allowed]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: sns.amazonaws.com}
            Action: sqs:SendMessage
            Resource: !GetAtt Allowed.Arn
            Condition: {ArnEquals: {aws:SourceArn: !Ref Topic}}
  AllowedSubscription:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref Topic, Protocol: sqs, Endpoint: !GetAtt Allowed.Arn}
  ForgottenSubscription:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref Topic, Protocol: sqs, Endpoint: !GetAtt Forgotten.Arn}
  UnpermittedSubscription:
    Type: AWS::SNS::Subscription
    Properties: {TopicArn: !Ref Topic, Protocol: lambda, Endpoint: !GetAtt Unpermitted.Arn}
  SubscriberPermission:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Subscriber
      Action: lambda:InvokeFunction
      Principal: sns.amazonaws.com
      SourceArn: !Ref Topic
`;

const { running, records } = recordingTwin(TEMPLATE, 'twin-sns-');

function clientOptions(workload: string, endpoint = running.twin.state.internet.endpoint) {
  const w = running.twin.state.workloads[workload];
  return {
    region: running.twin.state.region,
    endpoint,
    maxAttempts: 1,
    credentials: {
      accessKeyId: w.accessKeyId,
      secretAccessKey: w.secretAccessKey,
      sessionToken: w.sessionToken,
    },
  };
}

const queueUrl = (name: string) =>
  `https://sqs.${running.twin.state.region}.amazonaws.com/${running.twin.state.account}/${name}`;
const topicArn = () => `arn:aws:sns:${running.twin.state.region}:${running.twin.state.account}:orders`;

describe('SNS → SQS and Lambda through the twin', () => {
  it('a workload publishes with its own credentials; the gateway authorizes sns:Publish', async () => {
    const sns = new SNSClient(clientOptions('Publisher'));
    const out = await sns.send(
      new PublishCommand({ TopicArn: topicArn(), Message: 'order 7', Subject: 'new order' }),
    );
    assert.match(out.MessageId ?? '', /^[0-9a-f-]{36}$/);
    const record = records.find((r) => r.service === 'sns' && r.operation === 'Publish');
    assert.equal(record?.outcome, 'allowed');
    assert.deepEqual(record?.resources, [topicArn()]);
  });

  it('the queue whose policy allows sns.amazonaws.com for the topic receives the envelope', async () => {
    const sqs = new SQSClient(clientOptions('Publisher'));
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl('allowed'), WaitTimeSeconds: 5 }),
    );
    const [message, ...rest] = out.Messages ?? [];
    assert.equal(rest.length, 0);
    const envelope = JSON.parse(message?.Body ?? '{}') as Record<string, unknown>;
    assert.equal(envelope.Type, 'Notification');
    assert.equal(envelope.TopicArn, topicArn());
    assert.equal(envelope.Subject, 'new order');
    assert.equal(envelope.Message, 'order 7');
    assert.match(String(envelope.UnsubscribeURL), /SubscriptionArn=arn:aws:sns:[^:]+:\d{12}:orders:/);
  });

  it('the queue without such a policy receives nothing; both deliveries are recorded', async () => {
    const sqs = new SQSClient(clientOptions('Publisher'));
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl('forgotten'), WaitTimeSeconds: 1 }),
    );
    assert.equal(out.Messages, undefined);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && records.filter((r) => r.entry === 'sns.amazonaws.com').length < 4)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const deliveries = records.filter((r) => r.entry === 'sns.amazonaws.com');
    const to = (name: string) => deliveries.find((r) => r.resources[0].endsWith(`:${name}`));
    assert.equal(to('allowed')?.outcome, 'allowed');
    assert.equal(to('forgotten')?.outcome, 'denied');
    assert.match(to('forgotten')?.errorMessage ?? '', /no resource-based policy/);
    assert.equal(to('allowed')?.operation, 'SendMessage');
  });

  it('the Lambda subscription with a permission is invoked; the one without is refused', () => {
    const deliveries = records.filter((r) => r.entry === 'sns.amazonaws.com' && r.service === 'lambda');
    const subscriber = deliveries.find((r) => /:function:[^:]*Subscriber/.test(r.resources[0]));
    const unpermitted = deliveries.find((r) => /:function:[^:]*Unpermitted/.test(r.resources[0]));
    assert.equal(subscriber?.outcome, 'allowed', JSON.stringify(deliveries));
    assert.equal(unpermitted?.outcome, 'denied');
  });
});
