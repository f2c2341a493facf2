/**
 * Reads what the twin recorded — flow-log records per ENI joined with the audit log — for
 * `securecart flow-logs`: for each record, which interface (and whose), and for the request that
 * produced it, who tried what and which rule stopped it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAuditLog, type AuditEvent } from './audit-log.ts';
import { DEFAULT_LOG_FORMAT, parseFlowRecord, parseLogFormat } from '../network/flow-log-format.ts';
import { connectionKey } from './request-logs.ts';

export const LOG_FORMAT_FILE = 'log-format.txt';
export const INTERFACES_FILE = 'interfaces.json';
/** The longest capture window AWS allows (MaxAggregationInterval), seconds: a record spans no more. */
const MAX_WINDOW_SECONDS = 600;

/** ENI id → what it belongs to (a workload, or an interface endpoint). */
export type InterfaceOwners = Record<
  string,
  { readonly owner: string; readonly kind: 'workload' | 'endpoint' }
>;

export interface JoinedRecord {
  readonly record: Record<string, string | undefined>;
  readonly owner?: string;
  readonly ownerKind?: 'workload' | 'endpoint';
  /**
   * The request that best explains the record, when one matches: for a REJECT, the blocked one;
   * otherwise the latest.
   */
  readonly event?: AuditEvent;
  /** Every request the record aggregates (its flow, on its interface, between start and end). */
  readonly events: readonly AuditEvent[];
}

export interface FlowLogFilter {
  readonly action?: 'ACCEPT' | 'REJECT';
  readonly eni?: string;
  readonly workload?: string;
  /** Epoch seconds: records that started at or after it. */
  readonly since?: number;
}

export function readFlowLogs(dir: string, auditFile: string, filter: FlowLogFilter = {}): JoinedRecord[] {
  if (!existsSync(dir)) return [];
  const formatFile = join(dir, LOG_FORMAT_FILE);
  const fields = parseLogFormat(
    existsSync(formatFile) ? readFileSync(formatFile, 'utf8').trim() : DEFAULT_LOG_FORMAT,
  );
  const ownersFile = join(dir, INTERFACES_FILE);
  const owners: InterfaceOwners = existsSync(ownersFile)
    ? (JSON.parse(readFileSync(ownersFile, 'utf8')) as InterfaceOwners)
    : {};

  // Audit events by (interface, second): a record joins the requests of its ENI and connection
  // between its start and end (a record aggregates its flow over a capture window).
  const events = new Map<string, AuditEvent[]>();
  for (const event of readAuditLog(auditFile)) {
    const second = Math.floor(Date.parse(event.eventTime) / 1000);
    for (const eni of event.securecart?.networkInterfaces ?? []) {
      const key = `${eni}|${second}`;
      events.set(key, [...(events.get(key) ?? []), event]);
    }
  }

  const joined: JoinedRecord[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.log'))
    .sort()) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let record: Record<string, string | undefined>;
      try {
        record = parseFlowRecord(line, fields);
      } catch {
        continue; // a torn last line after a crash
      }
      const eni = record['interface-id'] ?? file.replace(/\.log$/, '');
      const owner = owners[eni];
      const start = Number(record.start);
      if (filter.action && record.action !== filter.action) continue;
      if (filter.eni && eni !== filter.eni) continue;
      if (filter.since !== undefined && start < filter.since) continue;
      const connection = connectionKey(record);
      const end = Math.max(start, Number(record.end) || start);
      const candidates: AuditEvent[] = [];
      for (let second = start; second <= end && second - start <= MAX_WINDOW_SECONDS; second++) {
        for (const e of events.get(`${eni}|${second}`) ?? [])
          if (!e.securecart?.connection || e.securecart.connection === connection) candidates.push(e);
      }
      const event =
        candidates.findLast((e) => (record.action === 'REJECT') === (e.securecart?.outcome === 'blocked')) ??
        candidates.at(-1);
      if (
        filter.workload &&
        owner?.owner !== filter.workload &&
        event?.securecart?.workload !== filter.workload
      )
        continue;
      joined.push({ record, owner: owner?.owner, ownerKind: owner?.kind, event, events: candidates });
    }
  }
  return joined.sort((a, b) => Number(a.record.start) - Number(b.record.start));
}

/** `--since`: an ISO time, epoch seconds, or a duration back from now (`30s`, `15m`, `2h`, `1d`). */
export function parseSince(value: string, now = Date.now()): number | undefined {
  const duration = /^(\d+)([smhd])$/.exec(value);
  if (duration) {
    const unit = { s: 1, m: 60, h: 3600, d: 86400 }[duration[2] as 's' | 'm' | 'h' | 'd'];
    return Math.floor(now / 1000) - Number(duration[1]) * unit;
  }
  if (/^\d+$/.test(value)) return Number(value);
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}
