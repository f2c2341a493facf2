/**
 * The twin's flow logs aggregate as VPC Flow Logs do: the requests of one flow within a capture
 * window are one record per interface and direction, bytes summed, and `securecart flow-logs`
 * joins that record to every request it carries. The window never exceeds the template's
 * MaxAggregationInterval.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startTwin, type Twin } from '../../src/twin/twin.ts';
import { readFlowLogs } from '../../src/twin/flow-log-reader.ts';

const TEMPLATE = `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Subnet: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  Routes: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  Association: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Subnet, RouteTableId: !Ref Routes}}
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties: {VpcId: !Ref Vpc, ServiceName: com.amazonaws.us-east-1.s3, RouteTableIds: [!Ref Routes]}
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceId: !Ref Vpc, ResourceType: VPC, TrafficType: ALL, MaxAggregationInterval: 60, LogDestinationType: s3, LogDestination: arn:aws:s3:::flow-logs-bucket}
  FnSg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: fn, VpcId: !Ref Vpc}}
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: '2012-10-17'
            Statement: [{Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::agg-images/*}]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code: {ZipFile: "exports.handler = async () => ({});"}
      VpcConfig: {SubnetIds: [!Ref Subnet], SecurityGroupIds: [!Ref FnSg]}
  Images: {Type: AWS::S3::Bucket, Properties: {BucketName: agg-images}}
`;

const REQUESTS = 5;
let twin: Twin;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'twin-flow-aggregation-'));
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  // Asked for 10 minutes; the template's MaxAggregationInterval (60 s) caps it.
  twin = await startTwin({
    templateFile: join(dir, 'template.yaml'),
    dataDir: join(dir, 'data'),
    port: 0,
    seedDir: null,
    flowWindowSeconds: 600,
  });
});

after(async () => {
  await twin?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('flow-log aggregation in the twin', () => {
  it(`${REQUESTS} requests on one flow: one record per interface and direction, joined to all ${REQUESTS}`, async () => {
    const fn = twin.state.workloads.Fn;
    const s3 = new S3Client({
      region: twin.state.region,
      endpoint: fn.endpoint,
      forcePathStyle: true,
      credentials: {
        accessKeyId: fn.accessKeyId,
        secretAccessKey: fn.secretAccessKey,
        sessionToken: fn.sessionToken,
      },
    });
    for (let i = 0; i < REQUESTS; i++) {
      const missing = await s3
        .send(new GetObjectCommand({ Bucket: 'agg-images', Key: `k${i}` }))
        .catch((e) => e);
      assert.equal(missing.name, 'NoSuchKey');
    }
    s3.destroy();
    // Within the 60 s window nothing is written yet; a flush ends the window early.
    assert.equal(readFlowLogs(twin.state.flowLogs, twin.state.auditLog).length, 0);
    twin.recorder.flush();
    const rows = readFlowLogs(twin.state.flowLogs, twin.state.auditLog, { workload: 'Fn' });
    const directions = rows.map(
      (r) =>
        `${r.record['interface-id']} ${r.record.srcaddr}:${r.record.srcport} > ${r.record.dstaddr}:${r.record.dstport}`,
    );
    assert.equal(
      new Set(directions).size,
      rows.length,
      `one record per interface and direction: ${directions}`,
    );
    assert.ok(rows.length >= 2, directions.join(', '));
    for (const row of rows) {
      assert.equal(row.record.action, 'ACCEPT');
      assert.equal(row.events.length, REQUESTS);
      assert.ok(Number(row.record.packets) >= 2 * REQUESTS, `packets ${row.record.packets}`);
    }
  });
});
