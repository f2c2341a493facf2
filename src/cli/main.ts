/**
 * The `securecart` command. Each sub-command lives in its own file and registers itself here.
 * Exit codes: 0 success, 1 findings/denials the user asked to fail on, 2 bad input.
 */
import { Command, CommanderError } from 'commander';
import { UserError } from './user-error.ts';
import { registerSynth } from './synth-command.ts';
import { registerStart } from './start-command.ts';
import { registerCheck } from './check-command.ts';
import { registerSimulate } from './simulate-command.ts';
import { registerTrace } from './trace-command.ts';
import { registerUp } from './up-command.ts';
import { registerFlowLogs } from './flow-logs-command.ts';

const program = new Command('securecart')
  .description('Private connectivity on AWS: deploy it (CDK), run it (local twin), prove it (analyzer).')
  .showHelpAfterError()
  .exitOverride();

registerSynth(program);
registerStart(program);
registerCheck(program);
registerSimulate(program);
registerTrace(program);
registerUp(program);
registerFlowLogs(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; every usage error is bad input.
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  if (error instanceof UserError) {
    console.error(`securecart: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
