/**
 * Flow-log records aggregated per flow over a capture window, as VPC Flow Logs do: one record per
 * flow and window, start/end the first and last packet's second, bytes and packets summed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { captureWindowSeconds, FlowAggregator } from '../../src/twin/flow-aggregator.ts';
import { handTemplate } from '../model/hand-template.ts';
import type { StampedRecord } from '../../src/twin/flow-log-writer.ts';

const TO_S3 = { 'interface-id': 'eni-product', dstport: 443 };
const FROM_S3 = { 'interface-id': 'eni-product', srcport: 443 };

const at = (record: object, second: number, bytes = 100, packets = 2): StampedRecord => ({
  record,
  counts: { start: second, end: second, bytes, packets },
});

/** [what, window s, records added, clock after, emitted as [record, start, end, bytes, packets]]. */
const CASES: Array<
  [string, number, StampedRecord[], number, Array<[object, number, number, number, number]>]
> = [
  ['one request: one record', 1, [at(TO_S3, 100)], 101, [[TO_S3, 100, 100, 100, 2]]],
  [
    'two requests on one flow in one second: one record, summed',
    1,
    [at(TO_S3, 100), at(TO_S3, 100, 50, 1)],
    101,
    [[TO_S3, 100, 100, 150, 3]],
  ],
  [
    'both directions: two flows, two records',
    1,
    [at(TO_S3, 100), at(FROM_S3, 100, 900, 3)],
    101,
    [
      [TO_S3, 100, 100, 100, 2],
      [FROM_S3, 100, 100, 900, 3],
    ],
  ],
  [
    'a 60 s window: start and end are the first and last packet',
    60,
    [at(TO_S3, 120), at(TO_S3, 150), at(TO_S3, 179)],
    180,
    [[TO_S3, 120, 179, 300, 6]],
  ],
  [
    'a request in the next window ends the one before',
    1,
    [at(TO_S3, 100), at(TO_S3, 101)],
    102,
    [
      [TO_S3, 100, 100, 100, 2],
      [TO_S3, 101, 101, 100, 2],
    ],
  ],
  ['a window whose time is not up stays open', 60, [at(TO_S3, 120)], 150, []],
  [
    'the same flow as two objects (same interface, addresses, ports, protocol, action): one record',
    1,
    [at(TO_S3, 100), at({ ...TO_S3 }, 100, 50, 1)],
    101,
    [[TO_S3, 100, 100, 150, 3]],
  ],
];

describe('flow-log aggregation over a capture window', () => {
  for (const [what, window, added, clock, expected] of CASES) {
    it(what, () => {
      const emitted: StampedRecord[] = [];
      const aggregator = new FlowAggregator(
        window,
        (records) => emitted.push(...records),
        () => clock,
      );
      try {
        for (const stamped of added) aggregator.add(stamped);
        aggregator.closeDue();
        assert.deepEqual(
          emitted.map(({ record, counts }) => [
            record,
            counts.start,
            counts.end,
            counts.bytes,
            counts.packets,
          ]),
          expected,
        );
      } finally {
        emitted.length = 0;
        aggregator.close();
      }
    });
  }

  it('a flush ends the open window early, and nothing is counted twice', () => {
    const emitted: StampedRecord[] = [];
    const aggregator = new FlowAggregator(
      600,
      (records) => emitted.push(...records),
      () => 0,
    );
    aggregator.add(at(TO_S3, 100));
    aggregator.closeAll();
    aggregator.add(at(TO_S3, 101));
    aggregator.close();
    assert.deepEqual(
      emitted.map((s) => [s.counts.start, s.counts.bytes]),
      [
        [100, 100],
        [101, 100],
      ],
    );
  });
});

const flowLog = (properties: Record<string, unknown>) => ({
  type: 'AWS::EC2::FlowLog',
  properties: { ResourceId: 'vpc-1', ResourceType: 'VPC', TrafficType: 'ALL', ...properties },
});

/** [what, the template's flow logs, asked, the twin's window]. */
const WINDOWS: Array<[string, Record<string, ReturnType<typeof flowLog>>, number | undefined, number]> = [
  ['default: 1 s', { Log: flowLog({}) }, undefined, 1],
  ['asked 30 s, AWS default interval (600 s)', { Log: flowLog({}) }, 30, 30],
  ['asked 600 s, the template says 60', { Log: flowLog({ MaxAggregationInterval: 60 }) }, 600, 60],
  [
    'two flow logs: the shortest interval caps',
    { A: flowLog({ MaxAggregationInterval: 600 }), B: flowLog({ MaxAggregationInterval: 60 }) },
    300,
    60,
  ],
  ['no flow log: AWS default cap', {}, 900, 600],
  ['a fraction is cut to whole seconds, at least 1', {}, 0.4, 1],
];

describe("the twin's capture window", () => {
  for (const [what, resources, asked, expected] of WINDOWS) {
    it(`${what}: ${expected} s`, () => {
      assert.equal(captureWindowSeconds(handTemplate(resources), asked), expected);
    });
  }
});
