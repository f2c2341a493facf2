/**
 * Writes flow-log records per network interface, like CloudWatch Logs streams named after the
 * ENI: `<data>/flow-logs/<eni-id>.log`, one line per record in the flow log's LogFormat.
 * Each line reaches the OS (writeSync) before the request is answered.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { flowLineTemplate, type FlowCounts, type FlowLineTemplate } from '../network/flow-line-template.ts';

/** A traced record and what this request adds to it. */
export interface StampedRecord {
  /** A flow record from the tracer (`src/network/flow-logs.ts`), keyed by LogFormat field names. */
  readonly record: { readonly 'interface-id'?: string };
  readonly counts: FlowCounts;
}

export class FlowLogWriter {
  private readonly files = new Map<string, number>();
  // Traced records are memoized per path, so the same objects come back request after request.
  private readonly templates = new WeakMap<object, FlowLineTemplate>();

  constructor(
    readonly dir: string,
    readonly fields: readonly string[],
  ) {
    mkdirSync(dir, { recursive: true });
  }

  write(stamped: readonly StampedRecord[]): void {
    // One write per interface file for all of a request's records on it (a request has a few
    // records on one or two ENIs: a list beats a Map here).
    const enis: string[] = [];
    const texts: string[] = [];
    for (const { record, counts } of stamped) {
      const eni = String(record['interface-id'] ?? 'unknown');
      const line = this.templateOf(record)(counts) + '\n';
      const at = enis.indexOf(eni);
      if (at < 0) {
        enis.push(eni);
        texts.push(line);
      } else texts[at] += line;
    }
    for (let i = 0; i < enis.length; i++) writeSync(this.fileOf(enis[i]), texts[i]);
  }

  close(): void {
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
