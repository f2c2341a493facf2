/**
 * The request logs as the twin writes them: records cross to the log worker flat
 * (`record-wire.ts`) and come back whole; the worker writes the same flow-log lines and the same
 * audit events as writing in the serving thread; `flush()` returns only once the lines are on
 * disk; a process that exits without closing its logs still has every line on disk.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowRecord } from '../../src/network/flow-logs.ts';
import { DEFAULT_LOG_FORMAT, parseFlowRecord, parseLogFormat } from '../../src/network/flow-log-format.ts';
import { WireDecoder, WireEncoder } from '../../src/twin/record-wire.ts';
import { RequestLogs, type RequestLogFiles, type RequestLogSink } from '../../src/twin/request-logs.ts';
import { ThreadedRequestLogs } from '../../src/twin/threaded-request-logs.ts';
import { readAuditLog } from '../../src/twin/audit-log.ts';
import type { ConnectionRecord, RequestRecord } from '../../src/twin/recorder.ts';

const FIELDS = parseLogFormat(DEFAULT_LOG_FORMAT);

function flow(eni: string, action: 'ACCEPT' | 'REJECT', dstport: number): FlowRecord {
  return {
    version: 2,
    'account-id': '123456789012',
    'interface-id': eni,
    srcaddr: '10.0.1.10',
    dstaddr: '10.0.2.20',
    srcport: 49152,
    dstport,
    protocol: 6,
    packets: 0,
    bytes: 0,
    start: 0,
    end: 0,
    action,
    'log-status': 'OK',
  } as FlowRecord;
}

const TO_SECRETS = [flow('eni-product', 'ACCEPT', 443), flow('eni-vpce', 'ACCEPT', 443)];
const TO_DATABASE = [flow('eni-order', 'REJECT', 5432)];

const allowed: RequestRecord = {
  entry: 'ProductFn',
  workload: 'ProductFn',
  service: 'secretsmanager',
  operation: 'GetSecretValue',
  resources: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:payment-AbCdEf'],
  route: 'interface-endpoint',
  via: 'SecretsEndpoint',
  endpointId: 'vpce-0123456789abcdef0',
  sourceIp: '10.0.1.10',
  principalArn: 'arn:aws:sts::123456789012:assumed-role/ProductRole/product-fn',
  roleArn: 'arn:aws:iam::123456789012:role/ProductRole',
  accessKeyId: 'ASIAEXAMPLE',
  accountId: '123456789012',
  outcome: 'allowed',
  status: 200,
  requestBytes: 812,
  responseBytes: 2048,
  flowRecords: TO_SECRETS,
  servicePort: 443,
  userAgent: 'aws-sdk-js/3.0.0 ua/2.1 "quoted" \u2028',
  requestId: 'c0ffee00-0000-4000-8000-000000000001',
};

const REQUESTS: Array<[string, RequestRecord]> = [
  ['allowed through an interface endpoint', allowed],
  [
    'denied, with a message to escape',
    {
      ...allowed,
      outcome: 'denied',
      status: 400,
      errorCode: 'AccessDeniedException',
      errorMessage: 'no "VPC endpoint" policy\n',
    },
  ],
  [
    'blocked: no HTTP answer, no request id',
    {
      ...allowed,
      outcome: 'blocked',
      status: undefined,
      errorCode: 'ConnectionReset',
      errorMessage: 'security-group sg-1: no rule',
      blockedBy: 'security-group sg-1: no rule',
      responseBytes: 0,
      requestId: undefined,
    },
  ],
  [
    'from the internet, unsigned, without flow records',
    {
      ...allowed,
      entry: 'internet',
      workload: undefined,
      principalArn: undefined,
      roleArn: undefined,
      accessKeyId: undefined,
      route: 'internet',
      via: null,
      endpointId: null,
      sourceIp: '198.51.100.7',
      flowRecords: [],
      userAgent: undefined,
      resources: [],
    },
  ],
];

const CONNECTIONS: Array<[string, ConnectionRecord]> = [
  [
    'a database connection blocked by a security group',
    {
      workload: 'OrderFn',
      database: 'CustomerDb',
      route: 'local',
      outcome: 'blocked',
      blockedBy: 'security-group sg-db',
      requestBytes: 0,
      responseBytes: 0,
      flowRecords: TO_DATABASE,
      servicePort: 5432,
    },
  ],
];

/** Absent and undefined optional fields mean the same to the logs. */
function defined<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as Partial<T>;
}

describe('records cross to the log worker whole', () => {
  for (const [name, record] of REQUESTS) {
    it(`request: ${name}`, () => {
      const encoder = new WireEncoder();
      encoder.request(record, 1_795_000_000_123);
      const seen: Array<[RequestRecord, number]> = [];
      // structuredClone: what postMessage does to the batch.
      new WireDecoder().decode(structuredClone(encoder.take()), (r, t) => seen.push([r, t]), assert.fail);
      assert.equal(seen.length, 1);
      assert.deepEqual(defined(seen[0][0]), defined(record));
      assert.equal(seen[0][1], 1_795_000_000_123);
    });
  }
  for (const [name, record] of CONNECTIONS) {
    it(`connection: ${name}`, () => {
      const encoder = new WireEncoder();
      encoder.connection(record, 5);
      const seen: ConnectionRecord[] = [];
      new WireDecoder().decode(structuredClone(encoder.take()), assert.fail, (c) => seen.push(c));
      assert.deepEqual(defined(seen[0]), defined(record));
    });
  }

  it('sends a path’s flow records once, and the worker keeps one object for them', () => {
    const encoder = new WireEncoder();
    const decoder = new WireDecoder();
    const seen: RequestRecord[] = [];
    encoder.request(allowed, 1);
    const first = encoder.take();
    encoder.request(allowed, 2);
    encoder.request({ ...allowed, flowRecords: [] }, 3);
    const second = encoder.take();
    assert.equal(first.flowSets.length, 1);
    assert.equal(second.flowSets.length, 0);
    decoder.decode(structuredClone(first), (r) => seen.push(r), assert.fail);
    decoder.decode(structuredClone(second), (r) => seen.push(r), assert.fail);
    assert.equal(seen[0].flowRecords, seen[1].flowRecords);
    assert.deepEqual(seen[2].flowRecords, []);
  });

  it('starts the string table again past its limit, and the worker follows', () => {
    const encoder = new WireEncoder(3);
    const decoder = new WireDecoder();
    const seen: RequestRecord[] = [];
    const other = { ...allowed, principalArn: 'arn:aws:sts::123456789012:assumed-role/OrderRole/order-fn' };
    encoder.request(allowed, 1);
    const first = encoder.take();
    encoder.request(other, 2);
    const second = encoder.take();
    assert.equal(first.reset, false);
    assert.equal(second.reset, true);
    assert.ok(second.strings.includes(allowed.service), 'strings sent again after the reset');
    decoder.decode(structuredClone(first), (r) => seen.push(r), assert.fail);
    decoder.decode(structuredClone(second), (r) => seen.push(r), assert.fail);
    assert.deepEqual(seen.map(defined), [defined(allowed), defined(other)]);
  });

  it('decodes in the serving thread from any batch the worker did not write', () => {
    const encoder = new WireEncoder(3);
    const records = [
      allowed,
      { ...allowed, operation: 'DescribeSecret' },
      { ...allowed, sourceIp: '10.0.1.11' },
    ];
    const batches = records.map((record, i) => (encoder.request(record, i), encoder.take()));
    for (let from = 0; from < batches.length; from++) {
      const seen: RequestRecord[] = [];
      const decoder = encoder.decoderFor(batches[from]);
      for (const batch of batches.slice(from)) decoder.decode(batch, (r) => seen.push(r), assert.fail);
      assert.deepEqual(seen.map(defined), records.slice(from).map(defined), `from batch ${from}`);
    }
  });

  it('names a flow-record set the worker was never sent', () => {
    const encoder = new WireEncoder();
    encoder.request(allowed, 1);
    encoder.take();
    encoder.request(allowed, 2);
    assert.throws(
      () =>
        new WireDecoder().decode(
          structuredClone(encoder.take()),
          () => {},
          () => {},
        ),
      /flow-record set 0 was never sent/,
    );
  });
});

function filesIn(dir: string): RequestLogFiles {
  return {
    flowDir: join(dir, 'flow-logs'),
    flowFields: FIELDS,
    auditFile: join(dir, 'audit.jsonl'),
    region: 'us-east-1',
  };
}

function writeAll(logs: RequestLogSink): void {
  let time = 1_795_000_000_000;
  for (const [, record] of REQUESTS) logs.request(record, (time += 1500));
  for (const [, record] of CONNECTIONS) logs.connection(record, (time += 1500));
}

function flowLines(dir: string): Record<string, string> {
  const flowDir = join(dir, 'flow-logs');
  return Object.fromEntries(
    readdirSync(flowDir)
      .sort()
      .map((f) => [f, readFileSync(join(flowDir, f), 'utf8')]),
  );
}

/** Runs `body` in a fresh temp dir with console.error captured (the logs' failures are said there). */
async function inTempDir(
  prefix: string,
  body: (root: string, errors: unknown[][]) => void | Promise<void>,
): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const errors: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args);
  try {
    await body(root, errors);
  } finally {
    console.error = original;
    rmSync(root, { recursive: true, force: true });
  }
}

describe('the log worker writes what the serving thread would', () => {
  it('the same flow-log lines and audit events (event ids apart), on disk when flush() returns', () => {
    const root = mkdtempSync(join(tmpdir(), 'request-logs-'));
    try {
      const inline = new RequestLogs(filesIn(join(root, 'inline')));
      writeAll(inline);
      inline.close();
      const threaded = new ThreadedRequestLogs(filesIn(join(root, 'threaded')));
      writeAll(threaded);
      threaded.flush();
      const expected = flowLines(join(root, 'inline'));
      assert.deepEqual(Object.keys(expected), ['eni-order.log', 'eni-product.log', 'eni-vpce.log']);
      assert.deepEqual(flowLines(join(root, 'threaded')), expected);
      // Event ids, and request ids where the service gave none, are generated in each thread.
      const given = new Set(REQUESTS.map(([, r]) => r.requestId));
      const generated = (id: string) => (assert.match(id, /^[0-9a-f-]{36}$/), '(generated)');
      const withoutId = (file: string) =>
        readAuditLog(file).map(({ eventID, requestID, ...rest }) => ({
          ...rest,
          eventID: generated(eventID),
          requestID: given.has(requestID) ? requestID : generated(requestID),
        }));
      const events = withoutId(join(root, 'threaded', 'audit.jsonl'));
      assert.equal(events.length, REQUESTS.length);
      assert.deepEqual(events, withoutId(join(root, 'inline', 'audit.jsonl')));
      threaded.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('if the worker cannot run, the serving thread writes every line itself', () =>
    inTempDir('request-logs-failed-', (root, errors) => {
      const logs = new ThreadedRequestLogs(
        filesIn(root),
        new URL('./no-such-module.ts', import.meta.url).href,
      );
      writeAll(logs);
      logs.flush();
      logs.close();
      assert.equal(readAuditLog(join(root, 'audit.jsonl')).length, REQUESTS.length);
      assert.deepEqual(Object.keys(flowLines(root)), ['eni-order.log', 'eni-product.log', 'eni-vpce.log']);
      assert.match(String(errors[0]?.[0]), /log worker failed/);
    }));

  it('if the worker crashes while running, nothing is lost and flush() does not hang', () =>
    inTempDir('request-logs-crashed-', async (root, errors) => {
      const logs = new ThreadedRequestLogs(
        filesIn(root),
        new URL('./fixtures/crashing-log-worker.ts', import.meta.url).href,
      );
      logs.request(allowed, 1_795_000_000_000);
      logs.flush(); // written by the worker
      await new Promise((resolve) => setTimeout(resolve, 300)); // it has crashed by now
      logs.request({ ...allowed, requestId: 'after-the-crash' }, 1_795_000_001_000);
      const started = Date.now();
      logs.flush();
      assert.ok(Date.now() - started < 5000, 'flush() returned without waiting for its timeout');
      logs.close();
      const ids = readAuditLog(join(root, 'audit.jsonl')).map((e) => e.requestID);
      assert.deepEqual(ids, [allowed.requestId, 'after-the-crash']);
      assert.ok(errors.some((args) => /log worker failed/.test(String(args[0]))));
    }));

  it('a process that exits without closing its logs leaves every line on disk', () => {
    const root = mkdtempSync(join(tmpdir(), 'request-logs-exit-'));
    try {
      const script = `
        import { ThreadedRequestLogs } from ${JSON.stringify(new URL('../../src/twin/threaded-request-logs.ts', import.meta.url).href)};
        const logs = new ThreadedRequestLogs(${JSON.stringify(filesIn(root))});
        const record = ${JSON.stringify({ ...allowed, flowRecords: undefined })};
        record.flowRecords = ${JSON.stringify(TO_SECRETS)};
        for (let i = 0; i < 1000; i++) logs.request({ ...record, requestId: 'r' + i }, 1795000000000 + i);
        process.exit(0);
      `;
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        encoding: 'utf8',
      });
      assert.equal(child.status, 0, child.stderr);
      const ids = readAuditLog(join(root, 'audit.jsonl')).map((e) => e.requestID);
      assert.equal(ids.length, 1000);
      assert.equal(ids[999], 'r999');
      // A flow's records within a capture window are one line, their bytes summed: all 1000
      // requests' bytes are on disk, in however many lines the windows made.
      const lines = readFileSync(join(root, 'flow-logs', 'eni-vpce.log'), 'utf8')
        .trim()
        .split('\n');
      const bytes = lines.reduce((sum, line) => sum + Number(parseFlowRecord(line, FIELDS).bytes), 0);
      assert.equal(bytes, 1000 * (allowed.requestBytes + 40));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
