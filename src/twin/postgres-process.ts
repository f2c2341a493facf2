/**
 * Runs one PostgreSQL (PGlite behind the wire-protocol bridge) in a child process: PGlite is
 * WebAssembly on the thread that opens it, and opening (initdb the first time) takes seconds of
 * CPU — in the twin's own process that would stall the gateway. The child prints its port as one
 * JSON line and exits when its stdin closes (so it never outlives the twin, even after SIGKILL).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startPostgres, type PostgresOptions } from '../emulators/rds-postgres/index.ts';

export interface PostgresChild {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

export function spawnPostgres(options: PostgresOptions): Promise<PostgresChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.end(JSON.stringify(options) + '\n');
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    child.once('exit', (code) => reject(new Error(`PostgreSQL process exited with ${code}`)));
    lines.once('line', (line) => {
      const ready = JSON.parse(line) as { host: string; port: number };
      resolve({
        host: ready.host,
        port: ready.port,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

async function main(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) {
    input += String(chunk);
    if (input.includes('\n')) break;
  }
  const options = JSON.parse(input) as PostgresOptions;
  const running = await startPostgres(options);
  const stop = () => void running.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', () => undefined); // the twin stops us itself on Ctrl-C
  process.stdin.once('end', stop);
  process.stdin.once('close', stop);
  process.stdin.resume();
  process.stdout.write(JSON.stringify({ host: running.host, port: running.port }) + '\n');
}

if (process.argv[1] === SELF) {
  main().catch((error: unknown) => {
    console.error('securecart twin: PostgreSQL failed:', error);
    process.exit(1);
  });
}
