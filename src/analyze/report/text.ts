/**
 * Text report for people: findings (worst first), the access matrix (failures first) and the
 * monthly cost of the template as written against the two alternatives.
 */
import Table from 'cli-table3';
import pc from 'picocolors';
import { listOf, type Severity } from '../finding.ts';
import { rowSucceeds, type CheckResult, type MatrixRow } from '../result.ts';

export interface TextOptions {
  /** Colour output (ANSI). @default picocolors' detection of the terminal */
  readonly color?: boolean;
  /** At most this many matrix rows are printed (failures first). @default 200 */
  readonly matrixLimit?: number;
  /** At most this many findings are printed in full (worst first); all are counted by rule. @default 200 */
  readonly findingLimit?: number;
}

export function renderText(result: CheckResult, options: TextOptions = {}): string {
  const c = pc.createColors(options.color ?? pc.isColorSupported);
  const out: string[] = [];
  const severityColor: Record<Severity, (text: string) => string> = {
    error: c.red,
    warning: c.yellow,
    info: c.cyan,
  };

  for (const template of result.templates) {
    out.push(
      c.bold(`${template.file}`) +
        c.dim(` — ${template.region}, ${template.workloads} workload(s)`) +
        (template.unsupportedTypes.length
          ? c.dim(`, unmodelled types: ${template.unsupportedTypes.join(', ')}`)
          : '') +
        (template.unresolved ? c.dim(`, ${template.unresolved} unresolved value(s)`) : ''),
    );
  }
  const notes = result.templates.flatMap((template) =>
    template.notes.map((note) => `${template.file}: ${note}`),
  );
  for (const note of notes.slice(0, 20)) out.push(c.dim(`note: ${note}`));
  if (notes.length > 20) out.push(c.dim(`… ${notes.length - 20} more note(s); see --format json`));
  out.push('');

  const counts = { error: 0, warning: 0, info: 0 };
  for (const finding of result.findings) counts[finding.severity] += 1;
  out.push(
    c.bold('Findings ') +
      `${severityColor.error(`${counts.error} error(s)`)}, ${severityColor.warning(`${counts.warning} warning(s)`)}, ${severityColor.info(`${counts.info} info`)}`,
  );
  if (result.findings.length > 0) {
    // A summary table by rule, then each finding as a short paragraph (worst first): long
    // messages read better as text, and cli-table3 takes ~10 ms per multi-line row.
    const byRule = new Map<
      string,
      { severity: Severity; id: string; count: number; resources: Set<string> }
    >();
    for (const finding of result.findings) {
      const key = `${finding.severity}\u0000${finding.id}`;
      const entry = byRule.get(key) ?? {
        severity: finding.severity,
        id: finding.id,
        count: 0,
        resources: new Set<string>(),
      };
      entry.count += 1;
      if (finding.resources[0]) entry.resources.add(finding.resources[0]);
      byRule.set(key, entry);
    }
    const summary = new Table({
      head: ['severity', 'id', 'findings', 'first resources'],
      style: { head: [], border: [] },
    });
    for (const entry of byRule.values()) {
      summary.push([
        severityColor[entry.severity](entry.severity),
        entry.id,
        String(entry.count),
        listOf([...entry.resources], 3),
      ]);
    }
    out.push(summary.toString());
    out.push('');
    const limit = options.findingLimit ?? 200;
    for (const finding of result.findings.slice(0, limit)) {
      const place = finding.line ? ` ${c.dim(`(${finding.file ?? ''}:${finding.line})`)}` : '';
      const cost =
        finding.monthlyCostUsd === undefined ? '' : ` ($${finding.monthlyCostUsd.toFixed(2)}/month)`;
      out.push(
        `${severityColor[finding.severity](finding.severity.padEnd(7))} ${c.bold(finding.id)} ${listOf(finding.resources, 3)}${place}`,
      );
      out.push(`        ${fit(`${finding.message}${cost}`, 100).replaceAll('\n', '\n        ')}`);
      out.push(`        ${c.green('fix:')} ${fit(finding.fix, 95).replaceAll('\n', '\n             ')}`);
    }
    const rest = result.findings.length - Math.min(limit, result.findings.length);
    if (rest > 0) out.push(c.dim(`… ${rest} more finding(s) (counted above); use --format json for all`));
  }
  out.push('');

  out.push(renderMatrix(result.matrix, options.matrixLimit ?? 200, c));
  out.push('');
  out.push(renderCost(result, c));
  return `${out.join('\n')}\n`;
}

type Colors = ReturnType<typeof pc.createColors>;

/**
 * Wraps plain text to a column width (on spaces; long tokens such as ARNs are cut). cli-table3's
 * own wrapping measures strings character by character and takes seconds on large reports.
 */
export function fit(text: string, width: number): string {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (let word of paragraph.split(' ')) {
      while (word.length > width) {
        if (line) lines.push(line);
        line = '';
        lines.push(word.slice(0, width));
        word = word.slice(width);
      }
      if (!line) line = word;
      else if (line.length + 1 + word.length <= width) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}

function renderMatrix(matrix: readonly MatrixRow[], limit: number, c: Colors): string {
  const failing = matrix.filter((row) => !rowSucceeds(row));
  const header = c.bold('Access matrix ') + `${matrix.length} row(s), ${failing.length} that cannot succeed`;
  if (matrix.length === 0) return header;
  const ordered = [...failing, ...matrix.filter(rowSucceeds)].slice(0, limit);
  const table = new Table({
    head: ['workload', 'action', 'resource', 'route (via)', 'decision'],
    colWidths: [24, 28, 34, 32, 30],
    style: { head: [], border: [] },
  });
  for (const row of ordered) {
    const route = row.via ? `${row.route} (${row.via})` : row.route;
    const succeeded = row.reachable && row.decision === 'allowed';
    const outcome = !row.reachable
      ? `blocked: ${row.networkBlockedBy?.component ?? 'network'}`
      : `${row.decision}${row.policyBlockedBy.length ? ` (${row.policyBlockedBy.join(', ')})` : ''}`;
    const decision = (succeeded ? c.green : c.red)(fit(outcome, 28));
    table.push([
      fit(row.workload, 22),
      fit(row.action, 26),
      fit(row.resourceLogicalId ?? row.resource, 32),
      fit(route, 30),
      decision,
    ]);
  }
  const more =
    matrix.length > ordered.length
      ? `\n${c.dim(`… ${matrix.length - ordered.length} more row(s); use --format json for all`)}`
      : '';
  return `${header}\n${table.toString()}${more}`;
}

function renderCost(result: CheckResult, c: Colors): string {
  const out = [c.bold('Monthly cost of the paths to AWS services (USD)')];
  const table = new Table({
    head: ['template', 'as written', 'A: all through NAT', 'B: interface endpoints for S3/DynamoDB'],
    style: { head: [], border: [] },
  });
  for (const { file, estimate } of result.costs) {
    table.push([
      file + (estimate.regionPriced ? '' : c.yellow(` (${estimate.region} not priced; us-east-1 prices)`)),
      `$${estimate.asWritten.monthlyUsd.toFixed(2)}`,
      `$${estimate.alternatives.allThroughNat.monthlyUsd.toFixed(2)}`,
      `$${estimate.alternatives.interfaceEndpointsForS3DynamoDb.monthlyUsd.toFixed(2)}`,
    ]);
  }
  out.push(table.toString());
  out.push(
    c.dim(`${730} h/month; prices and sources: src/analyze/pricing/prices.us-east-1.json (docs/pricing.md)`),
  );
  return out.join('\n');
}
