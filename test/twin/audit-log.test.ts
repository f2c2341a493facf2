import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog, readAuditLog, toAuditEvent, type AuditInput } from '../../src/twin/audit-log.ts';

const denied: AuditInput = {
  time: new Date('2026-11-26T04:00:00.123Z'),
  service: 'secretsmanager',
  operation: 'GetSecretValue',
  region: 'us-east-1',
  recipientAccountId: '111122223333',
  identity: {
    type: 'AssumedRole',
    arn: 'arn:aws:sts::111122223333:assumed-role/ProductRole/ProductFn',
    accountId: '111122223333',
    accessKeyId: 'ASIAEXAMPLE',
    sessionIssuerArn: 'arn:aws:iam::111122223333:role/ProductRole',
  },
  sourceIPAddress: '10.0.1.10',
  vpcEndpointId: 'vpce-0123456789abcdef0',
  resources: ['arn:aws:secretsmanager:us-east-1:111122223333:secret:payment-key-AbCdEf'],
  readOnly: true,
  errorCode: 'AccessDenied',
  errorMessage: 'User: … is not authorized',
  requestId: 'req-1',
};

test('events carry the CloudTrail fields a reviewer filters on', () => {
  const event = toAuditEvent(denied);
  assert.equal(event.eventSource, 'secretsmanager.amazonaws.com');
  assert.equal(event.eventName, 'GetSecretValue');
  assert.equal(event.eventTime, '2026-11-26T04:00:00Z');
  assert.equal(event.vpcEndpointId, 'vpce-0123456789abcdef0');
  assert.equal(event.errorCode, 'AccessDenied');
  assert.equal(
    (event.userIdentity.sessionContext as { sessionIssuer: { userName: string } }).sessionIssuer.userName,
    'ProductRole',
  );
});

test('an allowed request outside an endpoint has neither errorCode nor vpcEndpointId', () => {
  const event = toAuditEvent({
    ...denied,
    errorCode: undefined,
    errorMessage: undefined,
    vpcEndpointId: undefined,
  });
  assert.equal('errorCode' in event, false);
  assert.equal('vpcEndpointId' in event, false);
});

test('events written are read back, and a torn last line is skipped', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-'));
  try {
    const file = join(dir, 'audit', 'events.jsonl');
    const log = new AuditLog(file);
    log.record(denied);
    log.record({ ...denied, requestId: 'req-2' });
    log.close();
    appendFileSync(file, '{"eventVersion":"1.09","userIdent');
    const events = readAuditLog(file);
    assert.deepEqual(
      events.map((e) => e.requestID),
      ['req-1', 'req-2'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
