/**
 * The live summary `securecart up` prints: one line per request (and per database connection):
 * who → service:action, the route it took, and the decision.
 */
import pc from 'picocolors';
import type { ConnectionRecord, RequestRecord } from './recorder.ts';

function short(id: string | undefined): string {
  if (!id) return '?';
  // CDK logical ids end in an 8-hex hash: drop it for the human line.
  return id.replace(/[0-9A-F]{8}$/, '');
}

const COLOUR = {
  allowed: pc.green,
  denied: pc.red,
  blocked: pc.red,
  refused: pc.yellow,
  error: pc.magenta,
} as const;

export function requestLine(record: RequestRecord): string {
  const time = new Date().toISOString().slice(11, 19);
  const who =
    record.entry === 'internet'
      ? `internet${record.workload ? ` (as ${short(record.workload)})` : ''}`
      : short(record.entry);
  const route = record.via ? `${record.route} ${short(record.via)}` : record.route;
  const code = record.errorCode ? ` ${record.errorCode}` : '';
  return `${time} ${who} → ${record.service}:${record.operation}  ${route}  ${COLOUR[record.outcome](record.outcome)}${code}`;
}

export function connectionLine(record: ConnectionRecord): string {
  const time = new Date().toISOString().slice(11, 19);
  const outcome = record.outcome === 'allowed' ? pc.green('allowed') : pc.red('blocked');
  const why = record.blockedBy ? ` (${record.blockedBy})` : '';
  return `${time} ${short(record.workload)} → tcp:${record.servicePort} ${short(record.database)}  ${record.route}  ${outcome}${why}`;
}
