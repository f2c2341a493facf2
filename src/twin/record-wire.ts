/**
 * How request and connection records cross to the log worker: flat, in one array per batch, so the
 * serving thread pays for a few pushes and one structured clone per batch instead of an object per
 * record. A path's flow records (memoized with the path) cross once, then travel as a number.
 */
import type { FlowRecord } from '../network/flow-logs.ts';
import type { ConnectionRecord, Outcome, RequestRecord } from './recorder.ts';

/** One batch: new flow-record sets by id, then the records' slots back to back. */
export interface WireBatch {
  readonly flowSets: Array<[number, readonly FlowRecord[]]>;
  readonly slots: unknown[];
}

const REQUEST = 0;
const CONNECTION = 1;
/** No flow records (an empty set is not worth an id). */
const NO_FLOWS = -1;

/** Encoder on the serving thread: remembers which flow-record sets the worker already has. */
export class WireEncoder {
  private readonly flowIds = new WeakMap<readonly FlowRecord[], number>();
  /** Every set sent so far, by id (bounded: sets are memoized per network path). */
  private readonly sent: Array<readonly FlowRecord[]> = [];
  private flowSets: Array<[number, readonly FlowRecord[]]> = [];
  private slots: unknown[] = [];

  get pending(): number {
    return this.slots.length;
  }

  request(r: RequestRecord, timeMs: number): void {
    this.slots.push(
      REQUEST,
      timeMs,
      this.flowId(r.flowRecords),
      r.entry,
      r.workload,
      r.service,
      r.operation,
      r.resources,
      r.route,
      r.via,
      r.endpointId,
      r.sourceIp,
      r.principalArn,
      r.roleArn,
      r.accessKeyId,
      r.accountId,
      r.outcome,
      r.status,
      r.errorCode,
      r.errorMessage,
      r.blockedBy,
      r.requestBytes,
      r.responseBytes,
      r.servicePort,
      r.userAgent,
      r.requestId,
    );
  }

  connection(c: ConnectionRecord, timeMs: number): void {
    this.slots.push(
      CONNECTION,
      timeMs,
      this.flowId(c.flowRecords),
      c.workload,
      c.database,
      c.route,
      c.outcome,
      c.blockedBy,
      c.requestBytes,
      c.responseBytes,
      c.servicePort,
    );
  }

  /** A decoder that knows every flow-record set sent so far (to decode batches in this thread). */
  decoder(): WireDecoder {
    const decoder = new WireDecoder();
    decoder.decode(
      { flowSets: this.sent.map((records, id) => [id, records]), slots: [] },
      () => {},
      () => {},
    );
    return decoder;
  }

  /** The batch so far; the encoder starts a new one. */
  take(): WireBatch {
    const batch = { flowSets: this.flowSets, slots: this.slots };
    this.flowSets = [];
    this.slots = [];
    return batch;
  }

  private flowId(records: readonly FlowRecord[]): number {
    if (records.length === 0) return NO_FLOWS;
    let id = this.flowIds.get(records);
    if (id === undefined) {
      id = this.sent.length;
      this.sent.push(records);
      this.flowIds.set(records, id);
      this.flowSets.push([id, records]);
    }
    return id;
  }
}

/** Decoder in the worker: the flow-record sets it has been sent, kept as the same objects. */
export class WireDecoder {
  private readonly flowSets = new Map<number, readonly FlowRecord[]>();

  /** Calls `onRequest`/`onConnection` for each record of the batch, in order. */
  decode(
    batch: WireBatch,
    onRequest: (record: RequestRecord, timeMs: number) => void,
    onConnection: (record: ConnectionRecord, timeMs: number) => void,
  ): void {
    for (const [id, records] of batch.flowSets) this.flowSets.set(id, records);
    const s = batch.slots;
    let i = 0;
    while (i < s.length) {
      const kind = s[i] as number;
      const timeMs = s[i + 1] as number;
      const flowRecords = this.flows(s[i + 2] as number);
      if (kind === REQUEST) {
        onRequest(
          {
            entry: s[i + 3] as string,
            workload: s[i + 4] as string | undefined,
            service: s[i + 5] as string,
            operation: s[i + 6] as string,
            resources: s[i + 7] as string[],
            route: s[i + 8] as string,
            via: s[i + 9] as string | null,
            endpointId: s[i + 10] as string | null,
            sourceIp: s[i + 11] as string,
            principalArn: s[i + 12] as string | undefined,
            roleArn: s[i + 13] as string | undefined,
            accessKeyId: s[i + 14] as string | undefined,
            accountId: s[i + 15] as string,
            outcome: s[i + 16] as Outcome,
            status: s[i + 17] as number | undefined,
            errorCode: s[i + 18] as string | undefined,
            errorMessage: s[i + 19] as string | undefined,
            blockedBy: s[i + 20] as string | undefined,
            requestBytes: s[i + 21] as number,
            responseBytes: s[i + 22] as number,
            flowRecords,
            servicePort: s[i + 23] as number,
            userAgent: s[i + 24] as string | undefined,
            requestId: s[i + 25] as string | undefined,
          },
          timeMs,
        );
        i += 26;
      } else if (kind === CONNECTION) {
        onConnection(
          {
            workload: s[i + 3] as string,
            database: s[i + 4] as string,
            route: s[i + 5] as string,
            outcome: s[i + 6] as 'allowed' | 'blocked',
            blockedBy: s[i + 7] as string | undefined,
            requestBytes: s[i + 8] as number,
            responseBytes: s[i + 9] as number,
            flowRecords,
            servicePort: s[i + 10] as number,
          },
          timeMs,
        );
        i += 11;
      } else {
        throw new Error(`record wire: unknown record kind ${String(kind)} at slot ${i}`);
      }
    }
  }

  private flows(id: number): readonly FlowRecord[] {
    if (id === NO_FLOWS) return [];
    const records = this.flowSets.get(id);
    if (!records) throw new Error(`record wire: flow-record set ${id} was never sent`);
    return records;
  }
}
