import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { toAuditEvent, type AuditInput } from '../../src/twin/audit-log.ts';
import { auditLine } from '../../src/twin/audit-line.ts';

// Strings with quotes, backslashes, control characters and non-ASCII: what JSON escaping must get right.
const text = fc.string({ unit: 'binary', maxLength: 24 });
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const identity = fc.record({
  type: fc.constantFrom('AssumedRole', 'IAMUser', 'AWSAccount', 'AWSService', 'Anonymous' as const),
  arn: optional(text),
  accountId: optional(text),
  accessKeyId: optional(text),
  principalId: optional(text),
  sessionIssuerArn: optional(text),
});

const input: fc.Arbitrary<AuditInput> = fc.record({
  time: fc.date({
    min: new Date('2000-01-01T00:00:00Z'),
    max: new Date('2099-12-31T23:59:59Z'),
    noInvalidDate: true,
  }),
  service: text,
  operation: text,
  region: text,
  recipientAccountId: text,
  identity,
  sourceIPAddress: text,
  userAgent: optional(text),
  vpcEndpointId: optional(text),
  resources: fc.array(text, { maxLength: 3 }),
  readOnly: fc.boolean(),
  errorCode: optional(text),
  errorMessage: optional(text),
  requestId: text,
  workload: optional(text),
  route: optional(text),
  networkInterfaces: optional(fc.array(text, { maxLength: 3 })),
  connection: optional(text),
  outcome: optional(text),
});

test('the audit line is exactly JSON.stringify(toAuditEvent(…)) for any input', () => {
  fc.assert(
    fc.property(input, fc.uuid(), (event, eventId) => {
      assert.equal(auditLine(event, eventId), JSON.stringify(toAuditEvent(event, eventId)));
    }),
    { numRuns: 2000 },
  );
});

test('the audit line parses back to the event a reviewer reads', () => {
  const event: AuditInput = {
    time: new Date('2026-11-26T04:00:00.123Z'),
    service: 's3',
    operation: 'GetObject',
    region: 'us-east-1',
    recipientAccountId: '111122223333',
    identity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/R/f',
      accountId: '111122223333',
    },
    sourceIPAddress: '10.0.1.10',
    vpcEndpointId: 'vpce-0123456789abcdef0',
    resources: ['arn:aws:s3:::bucket/"quoted"\\key'],
    readOnly: true,
    requestId: 'req-1',
    workload: 'ProductFn',
    route: 'gateway-endpoint',
    networkInterfaces: ['eni-1'],
    outcome: 'allowed',
  };
  const parsed = JSON.parse(auditLine(event, 'id-1')) as Record<string, unknown>;
  assert.equal(parsed.eventTime, '2026-11-26T04:00:00Z');
  assert.deepEqual(parsed.resources, [{ ARN: 'arn:aws:s3:::bucket/"quoted"\\key' }]);
  assert.deepEqual(parsed.securecart, {
    workload: 'ProductFn',
    route: 'gateway-endpoint',
    networkInterfaces: ['eni-1'],
    outcome: 'allowed',
  });
});
