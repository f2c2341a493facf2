/**
 * The twin's flow logs aggregate as VPC Flow Logs do: the requests of one flow within a capture
 * window are one record per interface and direction, bytes summed, and `securecart flow-logs`
 * joins that record to every request it carries. The window never exceeds the template's
 * MaxAggregationInterval. Each TCP connection is its own flow: its records carry the caller's real
 * ephemeral port.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Twin } from '../../src/twin/twin.ts';
import { s3ClientAs, startTemplateTwin, vpcWithFunction, type TemplateTwin } from './template-twin.ts';
import { readFlowLogs } from '../../src/twin/flow-log-reader.ts';

const POLICIES = `
        - PolicyName: read
          PolicyDocument:
            Version: '2012-10-17'
            Statement: [{Effect: Allow, Action: s3:GetObject, Resource: arn:aws:s3:::agg-images/*}]`;

const TEMPLATE = `
Resources:${vpcWithFunction(POLICIES)}
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties: {ResourceId: !Ref Vpc, ResourceType: VPC, TrafficType: ALL, MaxAggregationInterval: 60, LogDestinationType: s3, LogDestination: arn:aws:s3:::flow-logs-bucket}
  Images: {Type: AWS::S3::Bucket, Properties: {BucketName: agg-images}}
`;

const REQUESTS = 5;
let twin: Twin;
let running: TemplateTwin | undefined;

before(async () => {
  // Asked for 10 minutes; the template's MaxAggregationInterval (60 s) caps it.
  running = await startTemplateTwin(TEMPLATE, 'twin-flow-aggregation-', { twin: { flowWindowSeconds: 600 } });
  twin = running.twin;
});

after(async () => {
  await running?.stop();
});

describe('flow-log aggregation in the twin', () => {
  it(`${REQUESTS} requests on one flow: one record per interface and direction, joined to all ${REQUESTS}`, async () => {
    const s3 = s3ClientAs(twin, 'Fn');
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
    // What each record covered, for the message when the assertion fails.
    const spans = rows.map(
      (r) => `${r.record.start}-${r.record.end}/${r.record.packets}p/${r.events.length}e`,
    );
    assert.equal(
      new Set(directions).size,
      rows.length,
      `one record per interface and direction: ${directions} (${spans})`,
    );
    assert.ok(rows.length >= 2, directions.join(', '));
    for (const row of rows) {
      assert.equal(row.record.action, 'ACCEPT');
      assert.equal(row.events.length, REQUESTS);
      assert.ok(Number(row.record.packets) >= 2 * REQUESTS, `packets ${row.record.packets}`);
    }
  });

  it("two connections are two flows: each record carries its connection's own port and requests", async () => {
    twin.recorder.flush();
    const earlier = new Set(
      readFlowLogs(twin.state.flowLogs, twin.state.auditLog).map((r) => String(r.record.srcport)),
    );
    const first = s3ClientAs(twin, 'Fn');
    const second = s3ClientAs(twin, 'Fn');
    for (const client of [first, second, first])
      await client.send(new GetObjectCommand({ Bucket: 'agg-images', Key: 'none' })).catch(() => undefined);
    first.destroy();
    second.destroy();
    twin.recorder.flush();
    // The request direction of the new flows (this flow log's format has no flow-direction field).
    const rows = readFlowLogs(twin.state.flowLogs, twin.state.auditLog, { workload: 'Fn' }).filter(
      (r) => String(r.record.dstport) === '443' && !earlier.has(String(r.record.srcport)),
    );
    const ports = rows.map((r) => Number(r.record.srcport));
    assert.equal(new Set(ports).size, 2, `two source ports: ${ports}`);
    for (const port of ports) assert.ok(port >= 1024 && port <= 65535, `an ephemeral port: ${port}`);
    assert.deepEqual(
      rows.map((r) => r.events.length).sort(),
      [1, 2],
      'the first connection carried two requests',
    );
  });
});
