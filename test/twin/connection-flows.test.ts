/**
 * A path's flow records for one connection: the caller's real port replaces the traced one — as
 * the source of the request direction, the destination of the response — and each (path, port)
 * variant is made once, so aggregation and the audit join can go by object identity.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionFlows } from '../../src/twin/connection-flows.ts';
import type { FlowRecord } from '../../src/network/flow-logs.ts';

const record = (srcport: number, dstport: number) => ({ srcport, dstport }) as unknown as FlowRecord;
const path: readonly FlowRecord[] = [record(40001, 443), record(443, 40001)];

test('the request direction gets the port as source, the response as destination', () => {
  assert.deepEqual(
    connectionFlows(path, 443, 51000).map((r) => [r.srcport, r.dstport]),
    [
      [51000, 443],
      [443, 51000],
    ],
  );
});

test('one variant per (path, port); no port, or no records: the traced records themselves', () => {
  assert.equal(connectionFlows(path, 443, 51000), connectionFlows(path, 443, 51000));
  assert.notEqual(connectionFlows(path, 443, 51000), connectionFlows(path, 443, 51001));
  assert.equal(connectionFlows(path, 443, undefined), path);
  const none: readonly FlowRecord[] = [];
  assert.equal(connectionFlows(none, 443, 51000), none);
});
