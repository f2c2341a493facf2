/**
 * Appends text to open files in batches: what is appended during one turn of the event loop is
 * handed to the OS at the end of that turn (setImmediate), in one write per file, so a busy twin
 * pays a few writes per turn instead of one per record per file. The order of appends per file
 * is kept. `flush()` writes everything pending at once (stop, tests).
 */
import { writeSync } from 'node:fs';

export class AppendBatch {
  private readonly pending = new Map<number, string>();
  private scheduled = false;

  /** `what` names the log in an error message. */
  constructor(private readonly what: string) {}

  append(fd: number, text: string): void {
    const queued = this.pending.get(fd);
    this.pending.set(fd, queued === undefined ? text : queued + text);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flush);
    }
  }

  readonly flush = (): void => {
    this.scheduled = false;
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
  };
}
