/**
 * VPC Flow Logs text format: a space-separated line per record, fields chosen by the flow log's
 * LogFormat (`${version} ${account-id} …`), `-` where a field does not apply.
 * Source: https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 */

/** AWS's default format (version 2 fields), used when a flow log gives no LogFormat. */
export const DEFAULT_LOG_FORMAT =
  '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ' +
  '${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

/** A flow-log record: field name (as in LogFormat, e.g. 'interface-id') → value. */
export type FlowRecord = Readonly<Record<string, string | number | undefined>>;

const FIELD = /\$\{([a-z0-9-]+)\}/g;

/** The field names of a LogFormat string, in order. Throws on text that is not `${field}` tokens. */
export function parseLogFormat(format: string): string[] {
  const fields = [...format.matchAll(FIELD)].map((m) => m[1]);
  const rest = format.replace(FIELD, '').trim();
  if (fields.length === 0 || rest !== '') {
    throw new Error(`LogFormat must be \${field} tokens separated by spaces, got "${format}"`);
  }
  return fields;
}

/** One text line for a record, in the given field order. */
export function formatFlowRecord(record: FlowRecord, fields: readonly string[]): string {
  return fields
    .map((field) => {
      const value = record[field];
      return value === undefined || value === '' ? '-' : String(value);
    })
    .join(' ');
}

/** Parses a text line back into a record (`-` becomes undefined). */
export function parseFlowRecord(line: string, fields: readonly string[]): Record<string, string | undefined> {
  const values = line.trim().split(/\s+/);
  if (values.length !== fields.length) {
    throw new Error(`flow-log line has ${values.length} fields, the format has ${fields.length}: "${line}"`);
  }
  const record: Record<string, string | undefined> = {};
  fields.forEach((field, i) => {
    record[field] = values[i] === '-' ? undefined : values[i];
  });
  return record;
}
