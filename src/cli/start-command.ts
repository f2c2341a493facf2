import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { synthesize, templatePath } from '../../infra/bin/synth.ts';

/** `npm start`: synthesize if needed, then (from step 4 on) run the twin on that template. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description("Synthesize SecureCart if cdk.out is missing, then run it.")
    .option('--out <dir>', 'CDK output directory', 'cdk.out')
    .action((options: { out: string }) => {
      const file = existsSync(templatePath(options.out)) ? templatePath(options.out) : synthesize(options.out);
      console.log(`SecureCart template: ${file}`);
    });
}
