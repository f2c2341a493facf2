import type { Command } from 'commander';

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description(
      "Synthesize SecureCart's CDK app to cdk.out/SecureCart.template.json (offline, no AWS account).",
    )
    .option('--out <dir>', 'output directory', 'cdk.out')
    .action(async (options: { out: string }) => {
      // Loaded on use: aws-cdk-lib takes seconds to import, and every other command would pay it.
      const { synthesize } = await import('../../infra/bin/synth.ts');
      const file = synthesize(options.out);
      console.log(file);
    });
}
