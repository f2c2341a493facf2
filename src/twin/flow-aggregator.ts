/**
 * VPC Flow Logs aggregate: one record per flow (the same interface, addresses, ports, protocol and
 * action) per capture window, with the first and last packet's second as start and end and the
 * packets and bytes summed. The twin's window is short (default 1 s) so that `securecart flow-logs`
 * sees a request within a second; AWS's is at most the flow log's MaxAggregationInterval (60 or
 * 600 s) and the twin's never exceeds it. Facts and sources: docs/twin.md, "Flow logs".
 */
import type { Template } from '../cloudformation/types.ts';
import type { StampedRecord } from './flow-log-writer.ts';

/** The default capture window: short, so a reader sees a request within a second. */
export const DEFAULT_FLOW_WINDOW_SECONDS = 1;
/** AWS's default MaxAggregationInterval, seconds. */
const DEFAULT_MAX_AGGREGATION_INTERVAL = 600;

/**
 * The twin's capture window: the one asked for (default 1 s), whole seconds, never longer than the
 * shortest MaxAggregationInterval of the template's flow logs.
 */
export function captureWindowSeconds(template: Template, asked = DEFAULT_FLOW_WINDOW_SECONDS): number {
  let max = DEFAULT_MAX_AGGREGATION_INTERVAL;
  for (const resource of Object.values(template.resources)) {
    if (resource.type !== 'AWS::EC2::FlowLog') continue;
    const interval = Number(resource.properties.MaxAggregationInterval ?? DEFAULT_MAX_AGGREGATION_INTERVAL);
    if (Number.isFinite(interval) && interval > 0) max = Math.min(max, interval);
  }
  return Math.max(1, Math.min(Math.floor(asked), max));
}

interface OpenFlow {
  readonly record: StampedRecord['record'];
  start: number;
  end: number;
  bytes: number;
  packets: number;
}

/** What makes two records one flow: the same interface, addresses, ports, protocol and action. */
type FlowFields = {
  readonly 'interface-id'?: string;
  readonly srcaddr?: string;
  readonly dstaddr?: string;
  readonly srcport?: number;
  readonly dstport?: number;
  readonly protocol?: number;
  readonly action?: string;
};

// Records are memoized per path and connection: a record's key is built once.
const flowKeys = new WeakMap<object, string>();

function flowKeyOf(record: object): string {
  let key = flowKeys.get(record);
  if (key === undefined) {
    const r = record as FlowFields;
    key = `${r['interface-id']}|${r.srcaddr}|${r.srcport}|${r.dstaddr}|${r.dstport}|${r.protocol}|${r.action}`;
    flowKeys.set(record, key);
  }
  return key;
}

export class FlowAggregator {
  /** Keyed by what the flow is (not by record object: the same flow may come as two objects). */
  private flows = new Map<string, OpenFlow>();
  /** Epoch second at which the open window ends. */
  private windowEnd = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly windowSeconds: number,
    private readonly emit: (records: StampedRecord[]) => void,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
  ) {
    // A window closes when its time is up even if no record follows.
    this.timer = setInterval(() => this.closeDue(), Math.min(250, windowSeconds * 250));
    this.timer.unref();
  }

  add(stamped: StampedRecord): void {
    const second = stamped.counts.start;
    if (second >= this.windowEnd) {
      this.closeAll();
      this.windowEnd = (Math.floor(second / this.windowSeconds) + 1) * this.windowSeconds;
    }
    const key = flowKeyOf(stamped.record);
    const open = this.flows.get(key);
    if (!open) {
      const { start, end, bytes, packets } = stamped.counts;
      this.flows.set(key, { record: stamped.record, start, end, bytes, packets });
      return;
    }
    open.start = Math.min(open.start, stamped.counts.start);
    open.end = Math.max(open.end, stamped.counts.end);
    open.bytes += stamped.counts.bytes;
    open.packets += stamped.counts.packets;
  }

  /** Emits the open window if its time is up. */
  closeDue(): void {
    if (this.flows.size > 0 && this.nowSeconds() >= this.windowEnd) this.closeAll();
  }

  /** Emits every open flow now (a flush: the window ends early, as AWS's may). */
  closeAll(): void {
    if (this.flows.size === 0) return;
    const records: StampedRecord[] = [];
    for (const open of this.flows.values()) {
      const { record, start, end, bytes, packets } = open;
      records.push({ record, counts: { start, end, bytes, packets } });
    }
    this.flows = new Map();
    this.emit(records);
  }

  close(): void {
    clearInterval(this.timer);
    this.closeAll();
  }
}
