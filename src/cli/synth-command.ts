import type { Command } from 'commander';
import { synthesize } from '../../infra/bin/synth.ts';

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description("Synthesize SecureCart's CDK app to cdk.out/SecureCart.template.json (offline, no AWS account).")
    .option('--out <dir>', 'output directory', 'cdk.out')
    .action((options: { out: string }) => {
      const file = synthesize(options.out);
      console.log(file);
    });
}
