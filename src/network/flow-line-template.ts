/**
 * A traced flow record as a line template: everything the path decides (addresses, ports, ENI,
 * action, traffic path…) is formatted once, leaving holes for what each request brings (its time,
 * bytes and packets). The twin writes a line per ENI per request, so the formatting is paid once
 * per path instead of once per request.
 */
import { formatFlowRecord, type FlowRecord } from './flow-log-format.ts';

/** The fields a recorder fills per request; every other field is fixed by the traced path. */
export interface FlowCounts {
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
  readonly packets: number;
}

const COUNT_FIELDS: ReadonlySet<string> = new Set(['start', 'end', 'bytes', 'packets']);

export type FlowLineTemplate = (counts: FlowCounts) => string;

/** The line `formatFlowRecord({ ...record, ...counts }, fields)` would give, for any counts. */
export function flowLineTemplate(record: object, fields: readonly string[]): FlowLineTemplate {
  const values = record as FlowRecord;
  // texts[i] precedes holes[i]; the last text follows the last hole.
  const texts: string[] = [];
  const holes: (keyof FlowCounts)[] = [];
  let text = '';
  fields.forEach((field, i) => {
    const separator = i === 0 ? '' : ' ';
    if (COUNT_FIELDS.has(field)) {
      texts.push(text + separator);
      holes.push(field as keyof FlowCounts);
      text = '';
    } else text += separator + formatFlowRecord({ [field]: values[field] }, [field]);
  });
  texts.push(text);
  return (counts) => {
    let line = texts[0];
    for (let i = 0; i < holes.length; i++) line += String(counts[holes[i]]) + texts[i + 1];
    return line;
  };
}
