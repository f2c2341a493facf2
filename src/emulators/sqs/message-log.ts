/**
 * One queue's append-only log of JSON lines (`messages.log`): every change is appended and the file
 * fsynced before the change is acknowledged. Appends are reserved synchronously (so each caller
 * knows its record's offset at once) and written in order by one writer that fsyncs once for all
 * records waiting (group commit). A crash can leave a torn last line: `open` drops it, as no
 * acknowledged record can be in it. `rewrite` replaces the whole log (compaction): temp file,
 * fsync, rename, directory fsync.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDirectory, writeFileDurable } from '../common/durable-file.ts';

export interface LogLine {
  readonly offset: number;
  readonly length: number;
  readonly record: Record<string, unknown>;
}

export interface Slot {
  readonly offset: number;
  readonly length: number;
}

const CHUNK = 1 << 20;

export class MessageLog {
  private size = 0;
  private pending: Buffer[] = [];
  private waiting: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private writing?: Promise<void>;

  private constructor(
    private readonly path: string,
    private handle: FileHandle,
  ) {}

  /** Opens (creating) the log and calls `onLine` for every complete record, in order. */
  static async open(path: string, onLine: (line: LogLine) => void): Promise<MessageLog> {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(path, 'a+');
    let good = 0;
    let carry = Buffer.alloc(0);
    let position = 0;
    for (;;) {
      const chunk = Buffer.alloc(CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      let data = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        const text = data.subarray(start, nl).toString('utf8');
        let record: Record<string, unknown> | undefined;
        try {
          record = JSON.parse(text) as Record<string, unknown>;
        } catch {
          record = undefined;
        }
        if (!record) break; // a torn record: nothing after it was acknowledged either
        onLine({ offset: good, length: nl + 1 - start, record });
        good += nl + 1 - start;
        start = nl + 1;
      }
      data = data.subarray(start);
      carry = Buffer.from(data);
    }
    const stat = await handle.stat();
    if (stat.size !== good) {
      await handle.truncate(good);
      await handle.sync();
    }
    const log = new MessageLog(path, handle);
    log.size = good;
    return log;
  }

  get bytes(): number {
    return this.size;
  }

  /** Reserves the record's place at the end of the log; `commit()` makes it durable. */
  append(record: Record<string, unknown>): Slot {
    const line = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
    const slot = { offset: this.size, length: line.length };
    this.size += line.length;
    this.pending.push(line);
    return slot;
  }

  /** Resolves once every record appended so far is written and fsynced. */
  commit(): Promise<void> {
    if (this.pending.length === 0 && !this.writing) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (!this.writing) this.writing = this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 || this.waiting.length > 0) {
      const lines = this.pending;
      const waiters = this.waiting;
      this.pending = [];
      this.waiting = [];
      try {
        if (lines.length > 0) {
          await this.handle.write(Buffer.concat(lines));
          await this.handle.datasync();
        }
        for (const w of waiters) w.resolve();
      } catch (error) {
        for (const w of waiters) w.reject(error);
      }
    }
    this.writing = undefined;
  }

  /** The record written at `slot` (after its commit, or from a previous run). */
  async read(slot: Slot): Promise<Record<string, unknown>> {
    const buffer = Buffer.alloc(slot.length);
    await this.handle.read(buffer, 0, slot.length, slot.offset);
    return JSON.parse(buffer.toString('utf8')) as Record<string, unknown>;
  }

  /** Replaces the log by `records` (compaction); returns each record's new slot. */
  async rewrite(records: ReadonlyArray<Record<string, unknown>>): Promise<Slot[]> {
    await this.commit();
    const lines = records.map((r) => Buffer.from(JSON.stringify(r) + '\n', 'utf8'));
    await writeFileDurable(this.path, Buffer.concat(lines));
    await this.handle.close();
    this.handle = await open(this.path, 'a+');
    await fsyncDirectory(dirname(this.path));
    let offset = 0;
    const slots = lines.map((line) => {
      const slot = { offset, length: line.length };
      offset += line.length;
      return slot;
    });
    this.size = offset;
    return slots;
  }

  async close(): Promise<void> {
    await this.commit().catch(() => undefined);
    await this.handle.close();
  }
}
