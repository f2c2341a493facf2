import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_LOG_FORMAT,
  formatFlowRecord,
  parseFlowRecord,
  parseLogFormat,
} from '../../src/network/flow-log-format.ts';

test('the default format has the 14 version-2 fields in AWS order', () => {
  const fields = parseLogFormat(DEFAULT_LOG_FORMAT);
  assert.equal(fields.length, 14);
  assert.deepEqual(fields.slice(0, 3), ['version', 'account-id', 'interface-id']);
  assert.equal(fields.at(-1), 'log-status');
});

test('AWS documentation example round-trips (accepted SSH traffic, default format)', () => {
  // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-records-examples.html
  const line =
    '2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK';
  const fields = parseLogFormat(DEFAULT_LOG_FORMAT);
  const record = parseFlowRecord(line, fields);
  assert.equal(record['interface-id'], 'eni-1235b8ca123456789');
  assert.equal(record['dstport'], '22');
  assert.equal(record['action'], 'ACCEPT');
  assert.equal(formatFlowRecord(record, fields), line);
});

test('missing fields print as "-" and parse back as undefined', () => {
  const fields = parseLogFormat('${version} ${vpc-id} ${pkt-dst-aws-service} ${traffic-path}');
  const line = formatFlowRecord({ version: 5, 'vpc-id': 'vpc-0abc', 'traffic-path': 7 }, fields);
  assert.equal(line, '5 vpc-0abc - 7');
  assert.equal(parseFlowRecord(line, fields)['pkt-dst-aws-service'], undefined);
});

test('malformed formats and lines are refused with a message', () => {
  assert.throws(() => parseLogFormat('version account-id'), /LogFormat/);
  assert.throws(() => parseLogFormat('${version} and ${bytes}'), /LogFormat/);
  assert.throws(() => parseFlowRecord('5 vpc-1', ['version']), /2 fields/);
});
