/**
 * How request and connection records cross to the log worker: flat, in one array per batch, so the
 * serving thread pays for a few pushes per record and one structured clone per batch. What repeats
 * request after request crosses once and then travels as a number: a path's flow records (memoized
 * with the path), and the strings that name who, where and what (principal, route, operation…).
 * Strings that are new every time (request ids, resource ARNs, messages) travel as they are.
 */
import type { FlowRecord } from '../network/flow-logs.ts';
import type { ConnectionRecord, Outcome, RequestRecord } from './recorder.ts';

/** One batch: what the worker has not seen yet, then the records' slots back to back. */
export interface WireBatch {
  /** The string table starts again from empty with this batch (it had grown past its limit). */
  readonly reset: boolean;
  /** New strings, taking the next ids in order. */
  readonly strings: string[];
  readonly flowSets: Array<[number, readonly FlowRecord[]]>;
  readonly slots: unknown[];
}

const REQUEST = 0;
const CONNECTION = 1;
/** No flow records (an empty set is not worth an id). */
const NO_FLOWS = -1;
/** String slots: an id ≥ 0, or one of these. */
const UNDEFINED = -1;
const NULL = -2;
/**
 * Client-chosen strings (a user agent, a key id, an X-Amz-Target) could grow the table without
 * end: past this many entries it starts again with the next batch.
 */
const DEFAULT_MAX_STRINGS = 65_536;

/** The string table as a batch found it: what decoding that batch on the serving thread needs. */
interface TableBefore {
  readonly table: string[];
  readonly length: number;
}

/** Encoder on the serving thread: remembers what the worker already has. */
export class WireEncoder {
  private readonly flowIds = new WeakMap<readonly FlowRecord[], number>();
  /** Every flow-record set sent so far, by id (bounded: sets are memoized per network path). */
  private readonly sentFlows: Array<readonly FlowRecord[]> = [];
  private readonly stringIds = new Map<string, number>();
  /** The strings by id since the last reset (a new array at each reset). */
  private table: string[] = [];
  private readonly tableBefore = new WeakMap<WireBatch, TableBefore>();
  private batchStart: TableBefore = { table: this.table, length: 0 };
  private reset = false;
  private strings: string[] = [];
  private flowSets: Array<[number, readonly FlowRecord[]]> = [];
  private slots: unknown[] = [];

  constructor(private readonly maxStrings = DEFAULT_MAX_STRINGS) {}

  get pending(): number {
    return this.slots.length;
  }

  request(r: RequestRecord, timeMs: number): void {
    this.slots.push(
      REQUEST,
      timeMs,
      this.flowId(r.flowRecords),
      this.id(r.entry),
      this.id(r.workload),
      this.id(r.service),
      this.id(r.operation),
      r.resources,
      this.id(r.route),
      this.id(r.via),
      this.id(r.endpointId),
      this.id(r.sourceIp),
      this.id(r.principalArn),
      this.id(r.roleArn),
      this.id(r.accessKeyId),
      this.id(r.accountId),
      this.id(r.outcome),
      r.status,
      this.id(r.errorCode),
      r.errorMessage,
      r.blockedBy,
      r.requestBytes,
      r.responseBytes,
      r.servicePort,
      this.id(r.userAgent),
      r.requestId,
      r.clientPort,
    );
  }

  connection(c: ConnectionRecord, timeMs: number): void {
    this.slots.push(
      CONNECTION,
      timeMs,
      this.flowId(c.flowRecords),
      this.id(c.workload),
      this.id(c.database),
      this.id(c.route),
      this.id(c.outcome),
      c.blockedBy,
      c.requestBytes,
      c.responseBytes,
      c.servicePort,
      c.clientPort,
    );
  }

  /** The batch so far; the encoder starts a new one. */
  take(): WireBatch {
    const batch: WireBatch = {
      reset: this.reset,
      strings: this.strings,
      flowSets: this.flowSets,
      slots: this.slots,
    };
    this.tableBefore.set(batch, this.batchStart);
    this.reset = false;
    this.strings = [];
    this.flowSets = [];
    this.slots = [];
    if (this.stringIds.size > this.maxStrings) {
      this.stringIds.clear();
      this.table = [];
      this.reset = true;
    }
    this.batchStart = { table: this.table, length: this.table.length };
    return batch;
  }

  /** A decoder for `batch` and the batches after it, in this thread (the worker failed). */
  decoderFor(batch: WireBatch): WireDecoder {
    const before = this.tableBefore.get(batch) ?? this.batchStart;
    return new WireDecoder(
      before.table.slice(0, before.length),
      this.sentFlows.map((records, id): [number, readonly FlowRecord[]] => [id, records]),
    );
  }

  private id(value: string | null | undefined): number {
    if (value === undefined) return UNDEFINED;
    if (value === null) return NULL;
    let id = this.stringIds.get(value);
    if (id === undefined) {
      id = this.table.length;
      this.stringIds.set(value, id);
      this.table.push(value);
      this.strings.push(value);
    }
    return id;
  }

  private flowId(records: readonly FlowRecord[]): number {
    if (records.length === 0) return NO_FLOWS;
    let id = this.flowIds.get(records);
    if (id === undefined) {
      id = this.sentFlows.length;
      this.sentFlows.push(records);
      this.flowIds.set(records, id);
      this.flowSets.push([id, records]);
    }
    return id;
  }
}

/** Decoder in the worker: the strings and flow-record sets it has been sent. */
export class WireDecoder {
  private strings: string[];
  private readonly flowSets: Map<number, readonly FlowRecord[]>;

  constructor(strings: string[] = [], flowSets: Array<[number, readonly FlowRecord[]]> = []) {
    this.strings = strings;
    this.flowSets = new Map(flowSets);
  }

  /** Calls `onRequest`/`onConnection` for each record of the batch, in order. */
  decode(
    batch: WireBatch,
    onRequest: (record: RequestRecord, timeMs: number) => void,
    onConnection: (record: ConnectionRecord, timeMs: number) => void,
  ): void {
    if (batch.reset) this.strings = [];
    for (const value of batch.strings) this.strings.push(value);
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
            entry: this.text(s[i + 3]) as string,
            workload: this.text(s[i + 4]) as string | undefined,
            service: this.text(s[i + 5]) as string,
            operation: this.text(s[i + 6]) as string,
            resources: s[i + 7] as string[],
            route: this.text(s[i + 8]) as string,
            via: this.text(s[i + 9]) as string | null,
            endpointId: this.text(s[i + 10]) as string | null,
            sourceIp: this.text(s[i + 11]) as string,
            principalArn: this.text(s[i + 12]) as string | undefined,
            roleArn: this.text(s[i + 13]) as string | undefined,
            accessKeyId: this.text(s[i + 14]) as string | undefined,
            accountId: this.text(s[i + 15]) as string,
            outcome: this.text(s[i + 16]) as Outcome,
            status: s[i + 17] as number | undefined,
            errorCode: this.text(s[i + 18]) as string | undefined,
            errorMessage: s[i + 19] as string | undefined,
            blockedBy: s[i + 20] as string | undefined,
            requestBytes: s[i + 21] as number,
            responseBytes: s[i + 22] as number,
            flowRecords,
            servicePort: s[i + 23] as number,
            userAgent: this.text(s[i + 24]) as string | undefined,
            requestId: s[i + 25] as string | undefined,
            clientPort: s[i + 26] as number | undefined,
          },
          timeMs,
        );
        i += 27;
      } else if (kind === CONNECTION) {
        onConnection(
          {
            workload: this.text(s[i + 3]) as string,
            database: this.text(s[i + 4]) as string,
            route: this.text(s[i + 5]) as string,
            outcome: this.text(s[i + 6]) as 'allowed' | 'blocked',
            blockedBy: s[i + 7] as string | undefined,
            requestBytes: s[i + 8] as number,
            responseBytes: s[i + 9] as number,
            flowRecords,
            servicePort: s[i + 10] as number,
            clientPort: s[i + 11] as number | undefined,
          },
          timeMs,
        );
        i += 12;
      } else {
        throw new Error(`record wire: unknown record kind ${String(kind)} at slot ${i}`);
      }
    }
  }

  private text(slot: unknown): string | null | undefined {
    const id = slot as number;
    if (id === UNDEFINED) return undefined;
    if (id === NULL) return null;
    const value = this.strings[id];
    if (value === undefined) throw new Error(`record wire: string ${id} was never sent`);
    return value;
  }

  private flows(id: number): readonly FlowRecord[] {
    if (id === NO_FLOWS) return [];
    const records = this.flowSets.get(id);
    if (!records) throw new Error(`record wire: flow-record set ${id} was never sent`);
    return records;
  }
}
