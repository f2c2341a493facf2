import type { Command } from 'commander';
import pc from 'picocolors';
import { loadTemplate, parseParamOverrides } from '../cloudformation/load.ts';
import { type Model, buildModel } from '../model/index.ts';
import { type Path, type TraceTarget, trace } from '../network/index.ts';
import { parseIpv4 } from '../network/ipv4.ts';
import { UserError } from './user-error.ts';

interface TraceOptions {
  from: string;
  to: string;
  port?: string;
  param: string[];
  region?: string;
  json?: boolean;
}

/** `securecart trace`: one workload's network path to a service, host, IP or resource, hop by hop. */
export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description(
      'Trace the network path from a workload to a service, hostname, IP or resource of a CloudFormation template.',
    )
    .argument('<template>', 'CloudFormation template (JSON or YAML)')
    .requiredOption(
      '--from <workload>',
      'logical id of the calling workload (Lambda, EC2 instance, ECS service)',
    )
    .requiredOption(
      '--to <target>',
      'a service (s3, dynamodb, secretsmanager, execute-api, kms, sts…), a hostname, an IPv4 address, or a logical id (RDS instance/cluster, REST API, bucket, table, secret, key)',
    )
    .option('--port <port>', 'TCP port (default 443; an RDS target defaults to its own port)')
    .option(
      '--param <Key=Value>',
      'template parameter override (repeatable)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .option('--region <region>', 'AWS Region the template is deployed to', 'us-east-1')
    .option('--json', 'print the path as JSON')
    .addHelpText('after', '\nExit codes: 0 reachable, 1 blocked, 2 bad input.')
    .action((file: string, options: TraceOptions) => {
      const port = parsePort(options.port);
      const template = loadTemplate(file, {
        parameters: parseParamOverrides(options.param),
        region: options.region,
      });
      const model = buildModel(template);
      const path = trace(model, options.from, classifyTarget(model, options.to), port);
      console.log(options.json ? JSON.stringify(path, null, 2) : formatPath(path));
      process.exitCode = path.reachable ? 0 : 1;
    });
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new UserError(`--port ${text} is not a TCP port (1-65535)`);
  return port;
}

/** An IP, a logical id of the template, a hostname (has a dot), else a service short name. */
export function classifyTarget(model: Model, to: string): TraceTarget {
  if (parseIpv4(to) !== undefined) return { ip: to };
  if (model.template.resources[to] !== undefined) return { resource: to };
  if (to.includes('.')) return { host: to };
  if (/^[a-z0-9-]+$/.test(to)) return { service: to };
  throw new UserError(
    `--to ${to} is neither a service short name (lowercase, e.g. s3), a hostname, an IPv4 address, nor a logical id of ${model.template.file}`,
    { file: model.template.file },
  );
}

/** The human-readable hop list. */
export function formatPath(path: Path): string {
  const from = `${path.from.workload} (${path.from.kind}${path.from.privateIp ? `, ${path.from.privateIp} in ${path.from.subnet}` : path.from.vpc ? '' : ', outside any VPC'})`;
  const to = `${path.to.host ?? path.to.address}${path.to.host && path.to.address ? ` (${path.to.address})` : ''}:${path.to.port}`;
  const width = Math.max(...path.hops.map((hop) => hop.component.length));
  const lines = [`${pc.bold(from)} → ${pc.bold(to)}`];
  for (const hop of path.hops) {
    const mark = hop.result === 'pass' ? pc.green('✓') : pc.red('✗');
    lines.push(`  ${mark} ${hop.component.padEnd(width)}  ${hop.resource ?? '-'}: ${hop.detail}`);
  }
  if (path.reachable) {
    lines.push(pc.green(`REACHABLE via ${path.route}${path.via ? ` ${path.via}` : ''}`));
    if (path.endpointId)
      lines.push(
        `  aws:SourceVpce=${path.endpointId} aws:SourceVpc=${path.vpcId} aws:VpcSourceIp=${path.sourceIp}`,
      );
    else if (path.sourceIp) lines.push(`  aws:SourceIp=${path.sourceIp}`);
  } else {
    lines.push(
      pc.red(
        `BLOCKED by ${path.blockedBy?.component}${path.blockedBy?.resource ? ` ${path.blockedBy.resource}` : ''}: ${path.blockedBy?.reason}`,
      ),
    );
  }
  return lines.join('\n');
}
