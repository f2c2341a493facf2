/**
 * Each invocation's log, as `X-Amz-Log-Type: Tail` returns it (`LogResult`: the last 4 KB, base64):
 * the START line, the function's output, END and REPORT, kept per request id for the last
 * `maxInvocations` invocations, each cut to about its last `maxBytes`. A LambdaLogSink feeds it.
 *
 * The worker's stdout is not ordered with its result message: output that arrives after the END line
 * is still put before it, and `logOf` waits for the log to be quiet a moment (bounded) before reading.
 */
import type { LambdaLogLineInfo } from './types.ts';

const DEFAULT_MAX_INVOCATIONS = 100;
const DEFAULT_MAX_BYTES = 4096;
/** How long the log must be quiet before it is read, and the most `logOf` waits. */
const QUIET_MS = 15;
const MAX_WAIT_MS = 150;

interface Entry {
  lines: string[];
  bytes: number;
  /** Index of the END line once written (function output goes before it); -1 before. */
  endAt: number;
  lastAt: number;
}

export class InvocationLogs {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxInvocations = DEFAULT_MAX_INVOCATIONS,
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {}

  /** Keeps `line` for its invocation (lines outside one, e.g. init output, are not kept). */
  record(line: string, info: LambdaLogLineInfo): void {
    const requestId = info.requestId;
    if (requestId === undefined) return;
    let entry = this.entries.get(requestId);
    if (!entry) {
      entry = { lines: [], bytes: 0, endAt: -1, lastAt: 0 };
      this.entries.set(requestId, entry);
      // The oldest invocation goes first (a Map keeps insertion order).
      while (this.entries.size > this.maxInvocations) {
        const oldest = this.entries.keys().next().value;
        if (oldest === undefined) break;
        this.entries.delete(oldest);
      }
    }
    entry.lastAt = performance.now();
    const text = `${line}\n`;
    if (info.stream === 'platform' && line.startsWith('END RequestId:')) {
      entry.endAt = entry.lines.length;
      entry.lines.push(text);
    } else if (info.stream !== 'platform' && entry.endAt >= 0) {
      entry.lines.splice(entry.endAt, 0, text);
      entry.endAt += 1;
    } else entry.lines.push(text);
    entry.bytes += Buffer.byteLength(text);
    // Drop whole lines from the front while what stays still holds the last maxBytes.
    while (entry.lines.length > 1 && entry.bytes - Buffer.byteLength(entry.lines[0]) >= this.maxBytes) {
      entry.bytes -= Buffer.byteLength(entry.lines.shift()!);
      if (entry.endAt >= 0) entry.endAt -= 1;
    }
  }

  /** The invocation's log (its last lines, at least the last `maxBytes`), once quiet; undefined if unknown. */
  async logOf(requestId: string): Promise<string | undefined> {
    const began = performance.now();
    for (;;) {
      const entry = this.entries.get(requestId);
      const now = performance.now();
      if (!entry || now - began >= MAX_WAIT_MS || (entry.endAt >= 0 && now - entry.lastAt >= QUIET_MS))
        return entry?.lines.join('');
      await new Promise((resolve) => setTimeout(resolve, QUIET_MS / 3));
    }
  }
}
