/**
 * `securecart flow-logs`: what the twin recorded — VPC flow-log records per ENI joined with the
 * CloudTrail-shaped audit log — so a reviewer sees, for each REJECT or denial, who tried what and
 * which rule stopped it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { parseSince, readFlowLogs, type JoinedRecord } from '../twin/flow-log-reader.ts';
import type { TwinState } from '../twin/twin-state.ts';
import type { AuditEvent } from '../twin/audit-log.ts';
import { UserError } from './user-error.ts';

interface FlowLogsOptions {
  data: string;
  action?: 'ACCEPT' | 'REJECT';
  eni?: string;
  workload?: string;
  since?: string;
  json?: boolean;
}

export function registerFlowLogs(program: Command): void {
  program
    .command('flow-logs')
    .description(
      "Show the twin's VPC flow-log records joined with its audit log (who tried what, which rule decided).",
    )
    .option('--data <dir>', 'data directory of the twin', '.data')
    .addOption(new Option('--action <action>', 'only ACCEPT or REJECT records').choices(['ACCEPT', 'REJECT']))
    .option('--eni <id>', 'only this network interface (eni-…)')
    .option('--workload <logicalId>', "only records of this workload's interface or requests")
    .option('--since <time>', 'only records from this time: ISO time, epoch seconds, or 30s/15m/2h/1d ago')
    .option('--json', 'one JSON array')
    .action((options: FlowLogsOptions) => {
      const stateFile = join(options.data, 'twin.json');
      if (!existsSync(stateFile))
        throw new UserError('no twin.json: run `securecart up` with this --data first.', { file: stateFile });
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as TwinState;
      const since = options.since === undefined ? undefined : parseSince(options.since);
      if (options.since !== undefined && since === undefined) {
        throw new UserError(
          `--since "${options.since}" is not an ISO time, epoch seconds or a duration like 15m`,
        );
      }
      const rows = readFlowLogs(state.flowLogs, state.auditLog, {
        action: options.action,
        eni: options.eni,
        workload: options.workload,
        since,
      });
      if (options.json) {
        process.stdout.write(JSON.stringify(rows.map(toJson), null, 2) + '\n');
        return;
      }
      if (rows.length === 0) console.log('no flow-log records match');
      for (const row of rows) console.log(textLine(row));
    });
}

function toJson(row: JoinedRecord) {
  return {
    ...row.record,
    owner: row.owner ?? null,
    request: row.event ? requestJson(row.event) : null,
    requests: row.events.map(requestJson),
  };
}

function requestJson(e: AuditEvent) {
  return {
    principal: e.userIdentity.arn ?? e.userIdentity.type,
    action: `${e.eventSource.replace('.amazonaws.com', '')}:${e.eventName}`,
    resources: e.resources.map((r) => r.ARN),
    vpcEndpointId: e.vpcEndpointId ?? null,
    outcome: e.securecart?.outcome ?? null,
    errorCode: e.errorCode ?? null,
    reason: e.errorMessage ?? null,
  };
}

function textLine(row: JoinedRecord): string {
  const r = row.record;
  const time = new Date(Number(r.start) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  const action = r.action === 'REJECT' ? pc.red('REJECT') : pc.green('ACCEPT');
  const flow = `${r.srcaddr}:${r.srcport} → ${r.dstaddr}:${r.dstport}`;
  const path = r['traffic-path'] ? ` path=${r['traffic-path']}` : '';
  let line = `${time} ${action} ${r['interface-id']} (${row.owner ?? '?'}) ${r['flow-direction'] ?? ''} ${flow}${path}`;
  const e = row.event;
  if (e) {
    const who = String(e.userIdentity.arn ?? e.userIdentity.type);
    line += `\n    ${who} → ${e.eventSource.replace('.amazonaws.com', '')}:${e.eventName} ${e.resources.map((x) => x.ARN).join(' ')}`;
    if (e.errorCode) line += `\n    ${pc.yellow(e.errorCode)}: ${e.errorMessage ?? ''}`;
    const others = row.events.length - 1;
    if (others > 0)
      line += `\n    … and ${others} more request${others === 1 ? '' : 's'} on this flow (--json lists them)`;
  }
  return line;
}
