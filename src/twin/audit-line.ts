/**
 * An audit event's JSON line, written without building the event object first: the gateway records
 * one event per request, and most of an event (who, when to the second) repeats request after
 * request, so those parts are serialized once and reused. The text is exactly
 * `JSON.stringify(toAuditEvent(input, eventId))` (test/twin/audit-line.test.ts checks it).
 */
import type { AuditIdentity, AuditInput } from './audit-log.ts';
import { isoSeconds } from '../policy/iso-seconds.ts';

const text = JSON.stringify;

const identities = new Map<
  string,
  { readonly block: Readonly<Record<string, unknown>>; readonly json: string }
>();
const IDENTITY_CACHE_LIMIT = 1000;

function identityEntry(identity: AuditIdentity): { block: Readonly<Record<string, unknown>>; json: string } {
  const key = `${identity.type}|${identity.arn}|${identity.accountId}|${identity.accessKeyId}|${identity.principalId}|${identity.sessionIssuerArn}`;
  let entry = identities.get(key);
  if (entry) return entry;
  const block: Record<string, unknown> = { type: identity.type };
  if (identity.principalId) block.principalId = identity.principalId;
  if (identity.arn) block.arn = identity.arn;
  if (identity.accountId) block.accountId = identity.accountId;
  if (identity.accessKeyId) block.accessKeyId = identity.accessKeyId;
  if (identity.sessionIssuerArn) {
    block.sessionContext = {
      sessionIssuer: {
        type: 'Role',
        arn: identity.sessionIssuerArn,
        accountId: identity.accountId,
        userName: identity.sessionIssuerArn.split('/').at(-1),
      },
    };
  }
  entry = { block: Object.freeze(block), json: text(block) };
  if (identities.size >= IDENTITY_CACHE_LIMIT) identities.clear();
  identities.set(key, entry);
  return entry;
}

/** CloudTrail's userIdentity block for an assumed role, a user, an account or an anonymous caller. */
export function userIdentityOf(identity: AuditIdentity): Readonly<Record<string, unknown>> {
  return identityEntry(identity).block;
}

/** The event's JSON text, key order and omissions as JSON.stringify gives them for toAuditEvent. */
export function auditLine(input: AuditInput, eventId: string): string {
  let line =
    '{"eventVersion":"1.09","userIdentity":' +
    identityEntry(input.identity).json +
    ',"eventTime":' +
    text(isoSeconds(input.time)) +
    ',"eventSource":' +
    text(`${input.service}.amazonaws.com`) +
    ',"eventName":' +
    text(input.operation) +
    ',"awsRegion":' +
    text(input.region) +
    ',"sourceIPAddress":' +
    text(input.sourceIPAddress);
  if (input.userAgent) line += ',"userAgent":' + text(input.userAgent);
  if (input.errorCode) {
    line += ',"errorCode":' + text(input.errorCode);
    if (input.errorMessage !== undefined) line += ',"errorMessage":' + text(input.errorMessage);
  }
  line += ',"requestID":' + text(input.requestId) + ',"eventID":' + text(eventId);
  line += ',"readOnly":' + String(input.readOnly) + ',"resources":[';
  for (let i = 0; i < input.resources.length; i++)
    line += (i === 0 ? '{"ARN":' : ',{"ARN":') + text(input.resources[i]) + '}';
  line += '],"eventType":"AwsApiCall","recipientAccountId":' + text(input.recipientAccountId);
  if (input.vpcEndpointId) line += ',"vpcEndpointId":' + text(input.vpcEndpointId);
  if (input.workload || input.route || input.outcome) {
    const fields: string[] = [];
    if (input.workload !== undefined) fields.push('"workload":' + text(input.workload));
    if (input.route !== undefined) fields.push('"route":' + text(input.route));
    if (input.networkInterfaces?.length) fields.push('"networkInterfaces":' + text(input.networkInterfaces));
    if (input.connection) fields.push('"connection":' + text(input.connection));
    if (input.outcome) fields.push('"outcome":' + text(input.outcome));
    line += ',"securecart":{' + fields.join(',') + '}';
  }
  return line + '}';
}
