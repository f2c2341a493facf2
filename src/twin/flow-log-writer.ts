/**
 * Writes flow-log records per network interface, like CloudWatch Logs streams named after the
 * ENI: `<data>/flow-logs/<eni-id>.log`, one line per record in the flow log's LogFormat.
 * Lines are batched (`AppendBatch`): one write per file every 10 ms, or once 64 KB are pending. In
 * the twin this runs in the log worker, which also flushes after every batch it is sent.
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { AppendBatch } from './append-batch.ts';
import { flowLineTemplate, type FlowCounts, type FlowLineTemplate } from '../network/flow-line-template.ts';

/** A traced record and what this request adds to it. */
export interface StampedRecord {
  /** A flow record from the tracer (`src/network/flow-logs.ts`), keyed by LogFormat field names. */
  readonly record: { readonly 'interface-id'?: string };
  readonly counts: FlowCounts;
}

export class FlowLogWriter {
  private readonly files = new Map<string, number>();
  private readonly batch = new AppendBatch('flow logs');
  // Traced records are memoized per path, so the same objects come back request after request.
  private readonly templates = new WeakMap<object, FlowLineTemplate>();

  constructor(
    readonly dir: string,
    readonly fields: readonly string[],
  ) {
    mkdirSync(dir, { recursive: true });
  }

  write(stamped: readonly StampedRecord[]): void {
    for (const { record, counts } of stamped) {
      const eni = String(record['interface-id'] ?? 'unknown');
      this.batch.append(this.fileOf(eni), this.templateOf(record)(counts) + '\n');
    }
  }

  /** Hands every pending line to the OS now. */
  flush(): void {
    this.batch.flush();
  }

  close(): void {
    this.batch.flush();
    for (const fd of this.files.values()) closeSync(fd);
    this.files.clear();
  }

  private templateOf(record: object): FlowLineTemplate {
    let template = this.templates.get(record);
    if (!template) {
      template = flowLineTemplate(record, this.fields);
      this.templates.set(record, template);
    }
    return template;
  }

  private fileOf(eni: string): number {
    let fd = this.files.get(eni);
    if (fd === undefined) {
      fd = openSync(join(this.dir, `${eni}.log`), 'a');
      this.files.set(eni, fd);
    }
    return fd;
  }
}
