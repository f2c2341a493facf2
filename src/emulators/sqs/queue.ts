/**
 * One queue: its configuration, its messages and what happens to them — send (delay, FIFO
 * deduplication and sequence numbers), receive (visibility timeout, receive count, FIFO message
 * groups, redrive to the dead-letter queue after maxReceiveCount receives, retention), delete,
 * change visibility, purge. Every change is appended to the queue's log and fsynced before the
 * call returns (message-log.ts); message bodies are kept in memory only up to a budget and read
 * back from the log otherwise. Sources: docs/emulator-semantics.md, "SQS".
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { writeJsonDurable } from '../common/durable-file.ts';
import { sqsError } from './errors.ts';
import { MessageLog, type Slot } from './message-log.ts';
import type { QueueSettings } from './queue-settings.ts';

/** A message attribute as stored and answered: BinaryValue in base64. */
export interface StoredAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}
export type StoredAttributes = Readonly<Record<string, StoredAttribute>>;

export interface Payload {
  readonly body: string;
  readonly attributes?: StoredAttributes;
  readonly systemAttributes?: StoredAttributes;
}

export interface Message {
  readonly id: string;
  readonly seq: number;
  /** Epoch milliseconds. */
  readonly sent: number;
  /** When the message is next visible (epoch ms): the delay, then each visibility timeout. */
  avail: number;
  receiveCount: number;
  firstReceive?: number;
  /** The nonce of the latest receipt handle. */
  handle?: string;
  readonly groupId?: string;
  readonly dedupId?: string;
  readonly sequenceNumber?: string;
  readonly senderId: string;
  /** For a message moved by a redrive policy: the source queue's ARN. */
  readonly sourceArn?: string;
  readonly md5: string;
  readonly md5Attributes?: string;
  readonly md5System?: string;
  slot: Slot;
  payload?: Payload;
  durable: boolean;
}

export interface QueueMeta {
  readonly name: string;
  readonly accountId: string;
  readonly arn: string;
  readonly url: string;
  /** Epoch seconds. */
  readonly created: number;
  lastModified: number;
  settings: QueueSettings;
}

export interface NewMessage {
  readonly payload: Payload;
  readonly md5: string;
  readonly md5Attributes?: string;
  readonly md5System?: string;
  readonly delaySeconds?: number;
  readonly groupId?: string;
  readonly dedupId?: string;
  readonly senderId: string;
}

export interface Sent {
  readonly id: string;
  readonly md5: string;
  readonly md5Attributes?: string;
  readonly md5System?: string;
  readonly sequenceNumber?: string;
}

/** Finds the dead-letter queue a redrive policy names. */
export type QueueByArn = (arn: string) => Queue | undefined;

const DEDUP_WINDOW_MS = 5 * 60 * 1000;
const PURGE_INTERVAL_MS = 60 * 1000;
/** Payload bytes a queue keeps in memory; beyond, bodies are read back from the log. */
const PAYLOAD_CACHE_BYTES = 16 * 1024 * 1024;
/** The log is compacted when it is this big and more than twice its live records. */
const COMPACT_MIN_BYTES = 1024 * 1024;

function payloadSize(payload: Payload): number {
  return payload.body.length + (payload.attributes ? JSON.stringify(payload.attributes).length : 0);
}

export interface ReceiptHandle {
  readonly queue: string;
  readonly id: string;
  readonly nonce: string;
}

export function encodeHandle(h: ReceiptHandle): string {
  return Buffer.from(JSON.stringify([h.queue, h.id, h.nonce]), 'utf8').toString('base64');
}

/** The receipt handle's parts, or ReceiptHandleIsInvalid. */
export function decodeHandle(handle: string): ReceiptHandle {
  try {
    const parts = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === 3 && parts.every((p) => typeof p === 'string'))
      return { queue: parts[0] as string, id: parts[1] as string, nonce: parts[2] as string };
  } catch {
    // fall through
  }
  throw sqsError(
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
  );
}

export class Queue {
  readonly messages = new Map<string, Message>();
  private readonly dedup = new Map<
    string,
    { id: string; sequenceNumber?: string; md5: string; at: number }
  >();
  private nextSeq = 1;
  private liveBytes = 0;
  private cachedBytes = 0;
  private lastPurge = 0;
  private activeOps = 0;
  private compacting?: Promise<void>;
  private readonly waiters = new Set<() => void>();
  private closed = false;

  private constructor(
    readonly meta: QueueMeta,
    private readonly dir: string,
    private log: MessageLog,
  ) {}

  static metaFile(dir: string): string {
    return join(dir, 'queue.json');
  }

  /** Opens the queue in `dir`, replaying its log. */
  static async open(dir: string, meta: QueueMeta): Promise<Queue> {
    const lines: Array<{ record: Record<string, unknown>; slot: Slot }> = [];
    const log = await MessageLog.open(join(dir, 'messages.log'), (line) =>
      lines.push({ record: line.record, slot: { offset: line.offset, length: line.length } }),
    );
    const queue = new Queue(meta, dir, log);
    for (const { record, slot } of lines) queue.replay(record, slot);
    return queue;
  }

  async saveMeta(): Promise<void> {
    await writeJsonDurable(Queue.metaFile(this.dir), this.meta);
  }

  get settings(): QueueSettings {
    return this.meta.settings;
  }

  private replay(r: Record<string, unknown>, slot: Slot): void {
    switch (r.t) {
      case 'm': {
        const m: Message = {
          id: String(r.id),
          seq: Number(r.seq),
          sent: Number(r.sent),
          avail: Number(r.avail),
          receiveCount: Number(r.rc ?? 0),
          firstReceive: r.fr === undefined ? undefined : Number(r.fr),
          handle: r.h as string | undefined,
          groupId: r.g as string | undefined,
          dedupId: r.d as string | undefined,
          sequenceNumber: r.sn as string | undefined,
          senderId: String(r.sid ?? ''),
          sourceArn: r.src as string | undefined,
          md5: String(r.md5),
          md5Attributes: r.md5a as string | undefined,
          md5System: r.md5s as string | undefined,
          slot,
          durable: true,
        };
        this.insert(m);
        if (m.dedupId !== undefined)
          this.dedup.set(m.dedupId, { id: m.id, sequenceNumber: m.sequenceNumber, md5: m.md5, at: m.sent });
        break;
      }
      case 'v': {
        const m = this.messages.get(String(r.id));
        if (m) {
          m.avail = Number(r.avail);
          m.receiveCount = Number(r.rc);
          m.firstReceive = r.fr === undefined ? undefined : Number(r.fr);
          m.handle = r.h as string | undefined;
        }
        break;
      }
      case 'd': {
        const m = this.messages.get(String(r.id));
        if (m) this.remove(m);
        break;
      }
      case 'p':
        for (const m of [...this.messages.values()]) this.remove(m);
        break;
      case 'x':
        this.dedup.set(String(r.k), {
          id: String(r.id),
          sequenceNumber: r.sn as string | undefined,
          md5: String(r.md5),
          at: Number(r.at),
        });
        break;
    }
  }

  private insert(m: Message): void {
    this.messages.set(m.id, m);
    this.nextSeq = Math.max(this.nextSeq, m.seq + 1);
    this.liveBytes += m.slot.length;
    if (m.payload) this.cachedBytes += payloadSize(m.payload);
  }

  private remove(m: Message): void {
    if (!this.messages.delete(m.id)) return;
    this.liveBytes -= m.slot.length;
    if (m.payload) this.cachedBytes -= payloadSize(m.payload);
  }

  private messageRecord(m: Message, payload: Payload): Record<string, unknown> {
    return {
      t: 'm',
      id: m.id,
      seq: m.seq,
      sent: m.sent,
      avail: m.avail,
      rc: m.receiveCount,
      fr: m.firstReceive,
      h: m.handle,
      g: m.groupId,
      d: m.dedupId,
      sn: m.sequenceNumber,
      sid: m.senderId,
      src: m.sourceArn,
      md5: m.md5,
      md5a: m.md5Attributes,
      md5s: m.md5System,
      body: payload.body,
      attrs: payload.attributes,
      sys: payload.systemAttributes,
    };
  }

  private stateRecord(m: Message): Record<string, unknown> {
    return { t: 'v', id: m.id, avail: m.avail, rc: m.receiveCount, fr: m.firstReceive, h: m.handle };
  }

  /** Runs one operation; compaction waits for none to be running, and operations for it. */
  private async op<T>(work: () => Promise<T>): Promise<T> {
    while (this.compacting) await this.compacting;
    this.activeOps++;
    try {
      return await work();
    } finally {
      this.activeOps--;
      this.maybeCompact();
    }
  }

  private expired(m: Message, now: number): boolean {
    return m.sent + this.settings.messageRetentionPeriod * 1000 <= now;
  }

  /** Appends the messages; resolves once they are durable. FIFO duplicates answer the original. */
  send(items: readonly NewMessage[], now = Date.now()): Promise<Sent[]> {
    return this.op(async () => {
      const results: Sent[] = [];
      if (this.dedup.size > 1000)
        for (const [k, v] of this.dedup) if (v.at + DEDUP_WINDOW_MS <= now) this.dedup.delete(k);
      for (const item of items) {
        const known = item.dedupId === undefined ? undefined : this.dedup.get(item.dedupId);
        if (known && known.at + DEDUP_WINDOW_MS > now) {
          results.push({ ...item, id: known.id, sequenceNumber: known.sequenceNumber });
          continue;
        }
        const seq = this.nextSeq++;
        const delay = item.delaySeconds ?? this.settings.delaySeconds;
        const m: Message = {
          id: randomUUID(),
          seq,
          sent: now,
          avail: now + delay * 1000,
          receiveCount: 0,
          groupId: item.groupId,
          dedupId: item.dedupId,
          sequenceNumber: this.settings.fifo ? String(seq).padStart(20, '0') : undefined,
          senderId: item.senderId,
          md5: item.md5,
          md5Attributes: item.md5Attributes,
          md5System: item.md5System,
          slot: { offset: 0, length: 0 },
          payload: item.payload,
          durable: false,
        };
        m.slot = this.log.append(this.messageRecord(m, item.payload));
        this.insert(m);
        if (m.dedupId !== undefined)
          this.dedup.set(m.dedupId, { id: m.id, sequenceNumber: m.sequenceNumber, md5: m.md5, at: now });
        results.push({
          id: m.id,
          md5: m.md5,
          md5Attributes: m.md5Attributes,
          md5System: m.md5System,
          sequenceNumber: m.sequenceNumber,
        });
      }
      await this.log.commit();
      for (const r of results) {
        const m = this.messages.get(r.id);
        if (m) m.durable = true;
      }
      this.trimCache();
      this.notify();
      return results;
    });
  }

  /**
   * Receives up to `max` visible messages, hiding each for `visibilitySeconds`. A message received
   * maxReceiveCount times that becomes visible again is moved to the dead-letter queue instead.
   */
  receive(
    max: number,
    visibilitySeconds: number,
    dlqOf: QueueByArn,
    now = Date.now(),
  ): Promise<Array<{ message: Message; payload: Payload; receiptHandle: string }>> {
    return this.op(async () => {
      const picked: Message[] = [];
      const moving: Message[] = [];
      const redrive = this.settings.redrivePolicy;
      const dlq = redrive ? dlqOf(redrive.deadLetterTargetArn) : undefined;
      const blockedGroups = new Set<string>();
      for (const m of [...this.messages.values()]) {
        if (picked.length >= max) break;
        if (this.expired(m, now)) {
          this.remove(m);
          this.log.append({ t: 'd', id: m.id });
          continue;
        }
        const group = this.settings.fifo ? m.groupId : undefined;
        if (group !== undefined && blockedGroups.has(group)) continue;
        if (m.avail > now) {
          // FIFO: a group's later messages wait behind one that is in flight (or delayed).
          if (group !== undefined) blockedGroups.add(group);
          continue;
        }
        if (redrive && dlq && dlq !== this && m.receiveCount >= redrive.maxReceiveCount) {
          this.remove(m);
          moving.push(m);
          continue;
        }
        m.receiveCount += 1;
        m.firstReceive ??= now;
        m.avail = now + visibilitySeconds * 1000;
        m.handle = randomBytes(8).toString('hex');
        this.log.append(this.stateRecord(m));
        picked.push(m);
      }
      for (const m of moving) {
        const payload = await this.payloadOf(m);
        await dlq?.acceptMoved(m, payload, this.meta.arn, now);
        this.log.append({ t: 'd', id: m.id });
      }
      const out = [];
      for (const m of picked) {
        out.push({
          message: m,
          payload: await this.payloadOf(m),
          receiptHandle: encodeHandle({ queue: this.meta.name, id: m.id, nonce: m.handle ?? '' }),
        });
      }
      await this.log.commit();
      return out;
    });
  }

  /** A message moved here by another queue's redrive policy: same id, body and sent time. */
  private acceptMoved(m: Message, payload: Payload, sourceArn: string, now: number): Promise<void> {
    return this.op(async () => {
      const moved: Message = {
        ...m,
        seq: this.nextSeq++,
        avail: now,
        receiveCount: 0,
        firstReceive: undefined,
        handle: undefined,
        sourceArn,
        slot: { offset: 0, length: 0 },
        payload,
        durable: false,
      };
      moved.slot = this.log.append(this.messageRecord(moved, payload));
      this.insert(moved);
      await this.log.commit();
      moved.durable = true;
      this.trimCache();
      this.notify();
    });
  }

  /** Deletes the message if `handle` is its latest receipt handle (else succeeds, deleting nothing). */
  delete(handle: ReceiptHandle): Promise<void> {
    return this.op(async () => {
      const m = this.messages.get(handle.id);
      if (!m || m.handle !== handle.nonce) return;
      this.remove(m);
      this.log.append({ t: 'd', id: m.id });
      await this.log.commit();
    });
  }

  /** A new visibility timeout from now for a message in flight; MessageNotInflight otherwise. */
  changeVisibility(handle: ReceiptHandle, seconds: number, now = Date.now()): Promise<void> {
    return this.op(async () => {
      const m = this.messages.get(handle.id);
      if (!m || m.receiveCount === 0 || m.avail <= now)
        throw sqsError('MessageNotInflight', 'The specified message isn\u2019t in flight.');
      m.avail = now + seconds * 1000;
      this.log.append(this.stateRecord(m));
      await this.log.commit();
      if (seconds === 0) this.notify();
    });
  }

  purge(now = Date.now()): Promise<void> {
    return this.op(async () => {
      if (now - this.lastPurge < PURGE_INTERVAL_MS)
        throw sqsError(
          'PurgeQueueInProgress',
          `Only one PurgeQueue operation on ${this.meta.name} is allowed every 60 seconds.`,
        );
      this.lastPurge = now;
      for (const m of [...this.messages.values()]) this.remove(m);
      this.log.append({ t: 'p' });
      await this.log.commit();
    });
  }

  /** ApproximateNumberOfMessages (visible), …NotVisible (in flight), …Delayed. */
  counts(now = Date.now()): { visible: number; inFlight: number; delayed: number } {
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const m of this.messages.values()) {
      if (this.expired(m, now)) continue;
      if (m.avail <= now) visible++;
      else if (m.receiveCount > 0) inFlight++;
      else delayed++;
    }
    return { visible, inFlight, delayed };
  }

  /** Resolves when a message may have become receivable, or after `ms`. */
  waitForChange(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async payloadOf(m: Message): Promise<Payload> {
    if (m.payload) return m.payload;
    const r = await this.log.read(m.slot);
    return {
      body: String(r.body),
      attributes: r.attrs as StoredAttributes | undefined,
      systemAttributes: r.sys as StoredAttributes | undefined,
    };
  }

  /** Drops durable payloads from memory, oldest first, while over the budget. */
  private trimCache(): void {
    if (this.cachedBytes <= PAYLOAD_CACHE_BYTES) return;
    for (const m of this.messages.values()) {
      if (this.cachedBytes <= PAYLOAD_CACHE_BYTES / 2) break;
      if (m.payload && m.durable) {
        this.cachedBytes -= payloadSize(m.payload);
        m.payload = undefined;
      }
    }
  }

  private maybeCompact(): void {
    if (this.activeOps > 0 || this.compacting || this.closed) return;
    const size = this.log.bytes;
    if (size < COMPACT_MIN_BYTES || size < 2 * this.liveBytes) return;
    this.compacting = this.compact().finally(() => {
      this.compacting = undefined;
    });
  }

  /** Rewrites the log with one record per live message (and FIFO deduplication entries). */
  async compact(now = Date.now()): Promise<void> {
    const live = [...this.messages.values()].filter((m) => !this.expired(m, now));
    const records: Array<Record<string, unknown>> = [];
    for (const m of live) records.push(this.messageRecord(m, await this.payloadOf(m)));
    const liveIds = new Set(live.map((m) => m.id));
    for (const [k, v] of this.dedup) {
      if (v.at + DEDUP_WINDOW_MS > now && !liveIds.has(v.id))
        records.push({ t: 'x', k, id: v.id, sn: v.sequenceNumber, md5: v.md5, at: v.at });
    }
    const slots = await this.log.rewrite(records);
    for (const m of [...this.messages.values()]) if (!liveIds.has(m.id)) this.remove(m);
    this.liveBytes = 0;
    live.forEach((m, i) => {
      m.slot = slots[i];
      this.liveBytes += m.slot.length;
    });
  }

  get logBytes(): number {
    return this.log.bytes;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.notify();
    while (this.compacting) await this.compacting;
    await this.log.close();
  }
}

/** Content-based deduplication: the SHA-256 of the body. */
export function contentDedupId(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

/** Milliseconds until the next message that is hidden now becomes visible (Infinity if none). */
export function nextVisibleIn(queue: Queue, now = Date.now()): number {
  let next = Infinity;
  for (const m of queue.messages.values()) if (m.avail > now) next = Math.min(next, m.avail - now);
  return next;
}
