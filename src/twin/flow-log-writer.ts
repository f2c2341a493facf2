/**
 * Writes flow-log records per network interface, like CloudWatch Logs streams named after the
 * ENI: `<data>/flow-logs/<eni-id>.log`, one line per record in the flow log's LogFormat.
 * Each line reaches the OS (writeSync) before the request is answered.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { formatFlowRecord, type FlowRecord } from '../network/flow-log-format.ts';

export class FlowLogWriter {
  private readonly files = new Map<string, number>();

  constructor(
    readonly dir: string,
    readonly fields: readonly string[],
  ) {
    mkdirSync(dir, { recursive: true });
  }

  write(records: readonly FlowRecord[]): void {
    // One write per interface file for all of a request's records on it.
    const lines = new Map<string, string>();
    for (const record of records) {
      const eni = String(record['interface-id'] ?? 'unknown');
      lines.set(eni, (lines.get(eni) ?? '') + formatFlowRecord(record, this.fields) + '\n');
    }
    for (const [eni, text] of lines) {
      let fd = this.files.get(eni);
      if (fd === undefined) {
        fd = openSync(join(this.dir, `${eni}.log`), 'a');
        this.files.set(eni, fd);
      }
      writeSync(fd, text);
    }
  }

  close(): void {
    for (const fd of this.files.values()) closeSync(fd);
    this.files.clear();
  }
}
