import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runUp, type UpOptions } from './up-command.ts';

/** `npm start`: synthesize SecureCart if cdk.out has no template yet, then run it (`up`). */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('Synthesize SecureCart if cdk.out is missing, then run it locally (securecart up).')
    .option('--out <dir>', 'CDK output directory', 'cdk.out')
    .option('--data <dir>', 'data directory (persists across restarts)', '.data')
    .option('--port <port>', 'internet entry port on 127.0.0.1', '4566')
    .option('--demo', 'run the scripted demo, then exit')
    .option('--quiet', 'no per-request lines')
    .action(async (options: { out: string } & Omit<UpOptions, 'param'>) => {
      // infra/bin/synth.ts's templatePath(), without importing aws-cdk-lib (seconds) when the template exists.
      const existing = join(options.out, 'SecureCart.template.json');
      const file = existsSync(existing)
        ? existing
        : (await import('../../infra/bin/synth.ts')).synthesize(options.out);
      console.log(`SecureCart template: ${file}`);
      await runUp(file, { ...options, param: [] });
    });
}
