/**
 * `securecart up [template]`: runs the template locally (the twin) until SIGINT/SIGTERM, printing
 * one line per request; `--demo` runs the scripted demo instead and exits 0 only if every outcome
 * is the expected one.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import Table from 'cli-table3';
import pc from 'picocolors';
import { parseParamOverrides } from '../cloudformation/parameters.ts';
import { startTwin, type Twin } from '../twin/twin.ts';
import type { DemoRow } from '../twin/demo.ts';
import { connectionLine, requestLine } from '../twin/summary-line.ts';
import { UserError } from './user-error.ts';

export interface UpOptions {
  data: string;
  port: string;
  demo?: boolean;
  param: string[];
  quiet?: boolean;
  flowWindow?: string;
}

export const DEFAULT_TEMPLATE = 'cdk.out/SecureCart.template.json';

export function registerUp(program: Command): void {
  program
    .command('up')
    .description(
      'Run a template locally: every request routed through its VPC model and authorized as AWS would.',
    )
    .argument('[template]', 'CloudFormation template (JSON or YAML)', DEFAULT_TEMPLATE)
    .option('--data <dir>', 'data directory (persists across restarts)', '.data')
    .option('--port <port>', 'internet entry port on 127.0.0.1 (0 = any free port)', '4566')
    .option('--demo', "run the scripted demo of SecureCart's use cases and threats, then exit")
    .option('--quiet', 'no per-request lines')
    .option(
      '--flow-window <seconds>',
      "flow logs' capture window: a flow's packets within it make one record (at most the template's MaxAggregationInterval)",
      '1',
    )
    .option(
      '--param <Key=Value>',
      'template parameter override (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .action(async (template: string, options: UpOptions) => {
      await runUp(template, options);
    });
}

export async function runUp(template: string, options: UpOptions): Promise<void> {
  // The demo's SDK clients run on this machine's Node; their upgrade notice is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (!existsSync(template)) {
    throw new UserError(`template not found; run \`npm run synth\` or give a template path.`, {
      file: template,
    });
  }
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UserError(`--port must be 0-65535, got "${options.port}"`);
  const flowWindow = Number(options.flowWindow ?? 1);
  if (!Number.isInteger(flowWindow) || flowWindow < 1 || flowWindow > 600)
    throw new UserError(`--flow-window must be whole seconds from 1 to 600, got "${options.flowWindow}"`);
  // Listening from before the boot: a tool that signals as soon as twin.json appears, or a Ctrl-C
  // during the boot, gets the same clean stop as later (the demo keeps Node's default: Ctrl-C ends it).
  const signalled = options.demo ? undefined : nextSignal();
  const started = Date.now();
  let twin: Twin;
  try {
    twin = await startTwin({
      templateFile: template,
      dataDir: options.data,
      port,
      parameters: parseParamOverrides(options.param),
      flowWindowSeconds: flowWindow,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UserError(
        `port ${port} on 127.0.0.1 is in use (another twin?); pass --port <free port> or --port 0.`,
      );
    }
    throw error;
  }
  printReady(twin, Date.now() - started);
  if (!options.quiet) {
    twin.recorder.onRecord((record) => console.log(requestLine(record)));
    twin.recorder.onConnection((record) => console.log(connectionLine(record)));
  }
  if (options.demo) {
    let rows: DemoRow[] = [];
    try {
      // The demo's SDK clients are loaded only for the demo.
      const { runDemo } = await import('../twin/demo.ts');
      rows = await runDemo(twin);
    } finally {
      await twin.stop();
    }
    printDemo(rows);
    process.exitCode = rows.every((row) => row.ok) ? 0 : 1;
    return;
  }
  const signal = await signalled;
  console.log(`\n${signal}: stopping the twin…`);
  printMeter(twin);
  await twin.stop();
}

/** The first SIGINT or SIGTERM; a second one ends the process as Node does by default. */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

function printReady(twin: Twin, ms: number): void {
  const { state } = twin;
  console.log(
    pc.bold(`SecureCart twin ready in ${(ms / 1000).toFixed(1)} s`) + ` — state: ${twin.stateFile}`,
  );
  console.log(`  internet entry  ${state.internet.endpoint}`);
  for (const [id, api] of Object.entries(state.apis))
    console.log(`  ${api.private ? 'private' : 'public '} API     ${api.url}  (${id})`);
  for (const [id, w] of Object.entries(state.workloads))
    console.log(`  workload        ${w.endpoint}  ${id}`);
  if (twin.seeded && twin.seeded.products + twin.seeded.images + twin.seeded.customers > 0)
    console.log(
      `  seeded          ${twin.seeded.products} products, ${twin.seeded.images} images, ${twin.seeded.customers} customers`,
    );
  for (const warning of twin.boot.warnings) console.log(pc.yellow(`  warning         ${warning}`));
}

function printMeter(twin: Twin): void {
  const rows = twin.meter.report();
  if (rows.length === 0) return;
  console.log('Data carried (cost meter, data-processing charges at us-east-1 prices):');
  for (const row of rows) {
    console.log(
      `  ${row.route.padEnd(20)} ${(row.via ?? '-').padEnd(40)} ${String(row.requests).padStart(6)} req ${String(row.bytes).padStart(10)} B  $${row.usd.toFixed(8)}`,
    );
  }
}

function printDemo(rows: readonly DemoRow[]): void {
  const table = new Table({
    head: ['', 'step', 'expected', 'actual'],
    wordWrap: true,
    colWidths: [4, 44, 34, 60],
    // cli-table3 colours its borders by default; picocolors alone decides whether to colour.
    style: { head: [], border: [] },
  });
  const describe = (e: { outcome: string; route?: string; endpoint?: string | null; code?: string }) =>
    [e.outcome, e.route, e.endpoint ?? undefined, e.code].filter(Boolean).join(' · ');
  for (const row of rows) {
    table.push([
      row.ok ? pc.green('✔') : pc.red('✘'),
      row.step,
      describe(row.expected),
      `${describe(row.actual)}\n${row.actual.detail}`,
    ]);
  }
  console.log(table.toString());
  const failed = rows.filter((row) => !row.ok).length;
  console.log(
    failed === 0
      ? pc.green(`demo: all ${rows.length} outcomes as AWS would decide`)
      : pc.red(`demo: ${failed} of ${rows.length} outcomes differ`),
  );
}
