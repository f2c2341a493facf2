/**
 * A path's flow records for one TCP connection. The tracer gives the caller one ephemeral port per
 * path; on AWS every connection has its own, so its packets are their own flow (one record per
 * connection and capture window). The twin knows the real port — the caller's socket on the entry —
 * and puts it where the traced one was: in each record, the port that is not the service's.
 * Variants are made once per (path, port) and reused, so aggregation and the audit join keep
 * working by object identity.
 */
import type { FlowRecord } from '../network/flow-logs.ts';

const variants = new WeakMap<readonly FlowRecord[], Map<number, readonly FlowRecord[]>>();
/**
 * Ports kept per path before its variants start over: a client without keep-alive uses a new port
 * per request, and a long run cycles through thousands. Starting over mid-window can only split a
 * flow in two records when more than this many connections share a path within one window.
 */
const PORTS_KEPT = 256;

export function connectionFlows(
  records: readonly FlowRecord[],
  servicePort: number,
  clientPort: number | undefined,
): readonly FlowRecord[] {
  if (clientPort === undefined || records.length === 0) return records;
  let byPort = variants.get(records);
  if (!byPort) {
    byPort = new Map();
    variants.set(records, byPort);
  }
  let variant = byPort.get(clientPort);
  if (!variant) {
    if (byPort.size >= PORTS_KEPT) byPort.clear();
    variant = records.map((record) => withClientPort(record, servicePort, clientPort));
    byPort.set(clientPort, variant);
  }
  return variant;
}

function withClientPort(record: FlowRecord, servicePort: number, clientPort: number): FlowRecord {
  if (record.dstport === servicePort) return { ...record, srcport: clientPort };
  if (record.srcport === servicePort) return { ...record, dstport: clientPort };
  return record;
}
