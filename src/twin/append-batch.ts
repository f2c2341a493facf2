/**
 * Appends text to open files in batches: what is appended within FLUSH_AFTER_MS (or until
 * FLUSH_AT_CHARS are pending) reaches the OS in one write per file, instead of one write per record
 * per file — on a busy twin those writes were the largest cost of recording a request. The order
 * of appends per file is kept. `flush()` writes everything pending at once (stop, tests, readers
 * in the same process); a normal process exit flushes too. What a SIGKILL can lose is at most the
 * last FLUSH_AFTER_MS of log lines — never acknowledged data, which the emulators write themselves.
 */
import { writeSync } from 'node:fs';

export const FLUSH_AFTER_MS = 10;
const FLUSH_AT_CHARS = 64 * 1024;

/** Batches with pending text, flushed if the process exits without closing them. */
const open = new Set<AppendBatch>();
let exitHook = false;

export class AppendBatch {
  private readonly pending = new Map<number, string>();
  private pendingChars = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `what` names the log in an error message. */
  constructor(private readonly what: string) {}

  append(fd: number, text: string): void {
    const queued = this.pending.get(fd);
    this.pending.set(fd, queued === undefined ? text : queued + text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_AT_CHARS) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(this.flush, FLUSH_AFTER_MS);
      this.timer.unref();
      open.add(this);
      if (!exitHook) {
        exitHook = true;
        process.on('exit', () => open.forEach((batch) => batch.flush()));
      }
    }
  }

  readonly flush = (): void => {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    open.delete(this);
    for (const [fd, text] of this.pending) {
      try {
        writeSync(fd, text);
      } catch (error) {
        // A full disk must not stop the twin from serving: say what was lost, once per batch.
        console.error(
          `securecart twin: could not write the ${this.what} (${text.length} characters lost):`,
          error,
        );
      }
    }
    this.pending.clear();
    this.pendingChars = 0;
  };
}
