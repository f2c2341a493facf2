import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_LOG_FORMAT, formatFlowRecord, parseLogFormat } from '../../src/network/flow-log-format.ts';
import { FLOW_LOG_FIELDS } from '../../src/network/flow-logs.ts';
import { flowLineTemplate } from '../../src/network/flow-line-template.ts';

const traced = {
  version: 5,
  'account-id': '123456789012',
  'interface-id': 'eni-0a1b2c3d4e5f60718',
  srcaddr: '10.0.1.10',
  dstaddr: '52.216.0.1',
  srcport: 49152,
  dstport: 443,
  protocol: 6,
  packets: 0,
  bytes: 0,
  start: 0,
  end: 0,
  action: 'ACCEPT',
  'log-status': 'OK',
  'traffic-path': 7,
  'pkt-dst-aws-service': 'S3',
  'sublocation-type': '',
};

const formats: [string, readonly string[]][] = [
  ['the default v2 format', parseLogFormat(DEFAULT_LOG_FORMAT)],
  ['all v5 fields', FLOW_LOG_FIELDS],
  ['counts first and last', ['bytes', 'interface-id', 'action', 'packets']],
  ['counts side by side', ['start', 'end', 'bytes', 'packets']],
  ['no counts', ['interface-id', 'srcaddr', 'sublocation-type']],
];

for (const [name, fields] of formats) {
  test(`a line template gives formatFlowRecord's line: ${name}`, () => {
    const template = flowLineTemplate(traced, fields);
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.nat(), fc.nat(), (start, end, bytes, packets) => {
        const counts = { start, end, bytes, packets };
        assert.equal(template(counts), formatFlowRecord({ ...traced, ...counts }, fields));
      }),
    );
  });
}
