/**
 * SQS through the twin, with the real @aws-sdk/client-sqs acting as the template's workloads: the
 * queue comes from the template (AWS::SQS::Queue + AWS::SQS::QueuePolicy); `Worker` reaches it
 * through the SQS interface endpoint (private DNS) and sends, receives and deletes; the same
 * credentials from the internet entry are denied by the queue policy (Deny unless aws:SourceVpce);
 * `Isolated`, in a VPC with no endpoint and no route out, never reaches SQS (connection reset).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { readAuditLog } from '../../src/twin/audit-log.ts';
import { EMPTY_HANDLER, inlineFunction, lambdaRole, recordingTwin } from './template-twin.ts';

const fn = (name: string, subnet: string, securityGroup: string) =>
  inlineFunction(name, EMPTY_HANDLER, {
    subnet,
    securityGroup,
    properties: '      Environment: {Variables: {QUEUE_URL: !Ref Queue}}',
  });

const TEMPLATE = `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16, EnableDnsSupport: true, EnableDnsHostnames: true}}
  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  Routes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  Association: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Subnet, RouteTableId: !Ref Routes}}
  WorkerSg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: worker, VpcId: !Ref Vpc}}
  EndpointSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: sqs endpoint
      VpcId: !Ref Vpc
      SecurityGroupIngress: [{IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !Ref WorkerSg}]
  SqsEndpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.us-east-1.sqs
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
      SubnetIds: [!Ref Subnet]
      SecurityGroupIds: [!Ref EndpointSg]
  OtherVpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.1.0.0/16}}
  OtherSubnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref OtherVpc, CidrBlock: 10.1.1.0/24, AvailabilityZone: us-east-1a}}
  OtherRoutes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref OtherVpc}}
  OtherAssociation: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref OtherSubnet, RouteTableId: !Ref OtherRoutes}}
  OtherSg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: other, VpcId: !Ref OtherVpc}}
  Dlq: {Type: AWS::SQS::Queue}
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: orders
      VisibilityTimeout: 45
      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3}
  QueuePolicy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Sid: OnlyThroughTheEndpoint
            Effect: Deny
            Principal: '*'
            Action: 'sqs:*'
            Resource: !GetAtt Queue.Arn
            Condition: {StringNotEquals: {'aws:SourceVpce': !Ref SqsEndpoint}}
${lambdaRole(`        - PolicyName: sqs
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: [sqs:SendMessage, sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueUrl, sqs:GetQueueAttributes]
                Resource: !GetAtt Queue.Arn`)}${fn('Worker', 'Subnet', 'WorkerSg')}${fn('Isolated', 'OtherSubnet', 'OtherSg')}
`;

const { running, records } = recordingTwin(TEMPLATE, 'twin-sqs-');

/** An SQS client acting as Worker's role, at `where`'s entry. */
function client(where: 'Worker' | 'Isolated' | 'internet'): SQSClient {
  const { state } = running.twin;
  const w = state.workloads.Worker;
  return new SQSClient({
    region: state.region,
    endpoint: where === 'internet' ? state.internet.endpoint : state.workloads[where].endpoint,
    maxAttempts: 1,
    credentials: {
      accessKeyId: w.accessKeyId,
      secretAccessKey: w.secretAccessKey,
      sessionToken: w.sessionToken,
    },
  });
}

describe('SQS in the twin', () => {
  it('creates the template queue: its URL is what Ref gives the functions, its attributes the template\u2019s', async () => {
    const { state } = running.twin;
    const queueUrl = state.workloads.Worker.environment.QUEUE_URL;
    assert.equal(queueUrl, `https://sqs.us-east-1.amazonaws.com/${state.account}/orders`);
    assert.equal(state.resources.Queue.physicalId, queueUrl);
    assert.equal(state.resources.Queue.arn, `arn:aws:sqs:us-east-1:${state.account}:orders`);
    const sqs = client('Worker');
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl, queueUrl);
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }),
    );
    assert.equal(attrs.Attributes?.VisibilityTimeout, '45');
    assert.equal(
      JSON.parse(attrs.Attributes?.RedrivePolicy ?? '{}').deadLetterTargetArn,
      state.resources.Dlq.arn,
    );
    assert.match(attrs.Attributes?.Policy ?? '', /OnlyThroughTheEndpoint/);
    assert.ok(!running.twin.boot.warnings.some((w) => /SQS/.test(w)), running.twin.boot.warnings.join('\n'));
  });

  it('Worker, through the interface endpoint: sends, receives and deletes', async () => {
    const queueUrl = running.twin.state.workloads.Worker.environment.QUEUE_URL;
    const sqs = client('Worker');
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"order":42}' }));
    assert.equal(records.at(-1)?.outcome, 'allowed');
    assert.equal(records.at(-1)?.route, 'interface-endpoint');
    assert.equal(records.at(-1)?.operation, 'SendMessage');
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    assert.equal(got.Messages?.[0].MessageId, sent.MessageId);
    assert.equal(got.Messages?.[0].Body, '{"order":42}');
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: got.Messages?.[0].ReceiptHandle }),
    );
    assert.equal(records.at(-1)?.outcome, 'allowed');
    running.twin.recorder.flush();
    const event = readAuditLog(running.twin.state.auditLog).at(-1);
    assert.equal(event?.eventSource, 'sqs.amazonaws.com');
    assert.equal(event?.eventName, 'DeleteMessage');
  });

  it('the same credentials from the internet: denied by the queue policy (no aws:SourceVpce)', async () => {
    const queueUrl = running.twin.state.workloads.Worker.environment.QUEUE_URL;
    const error = await client('internet')
      .send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'stolen' }))
      .catch((e: unknown) => e as Error & { $metadata: { httpStatusCode: number } });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'AccessDenied');
    assert.equal(error.$metadata.httpStatusCode, 403);
    assert.match(
      error.message,
      /sqs:SendMessage on resource: arn:aws:sqs:us-east-1:\d{12}:orders with an explicit deny in a resource-based policy/,
    );
    const record = records.at(-1);
    assert.equal(record?.outcome, 'denied');
    assert.equal(record?.route, 'internet');
  });

  it('Isolated, in a VPC with no SQS endpoint and no route out: connection reset, a blocked audit event', async () => {
    const queueUrl = running.twin.state.workloads.Worker.environment.QUEUE_URL;
    const error = await client('Isolated')
      .send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'lost' }))
      .catch((e: unknown) => e);
    assert.ok(error instanceof Error);
    assert.match(String((error as { code?: string }).code ?? error.message), /ECONNRESET|socket hang up/);
    const record = records.at(-1);
    assert.equal(record?.service, 'sqs');
    assert.equal(record?.outcome, 'blocked');
    assert.match(record?.blockedBy ?? '', /route-table .*no route/);
  });
});
