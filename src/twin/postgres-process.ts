/**
 * Runs one PostgreSQL (PGlite behind the wire-protocol bridge) in a child process: PGlite is
 * WebAssembly on the thread that opens it, and opening (initdb the first time) takes seconds of
 * CPU — in the twin's own process that would stall the gateway. The child prints its port as one
 * JSON line and exits when its stdin closes (so it never outlives the twin, even after SIGKILL).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { PostgresOptions } from '../emulators/rds-postgres/index.ts';

export interface PostgresChild {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

const SELF = fileURLToPath(import.meta.url);

export function spawnPostgres(options: PostgresOptions): Promise<PostgresChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF], { stdio: ['pipe', 'pipe', 'inherit'] });
  // stdin stays open: its end (the twin stopping or dying) is the child's signal to stop.
  child.stdin.write(JSON.stringify(options) + '\n');
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
  // The options arrive as the first line on stdin; stdin then stays open until the twin goes away.
  const options = await new Promise<PostgresOptions>((resolve) => {
    let input = '';
    const onData = (chunk: Buffer) => {
      input += chunk.toString('utf8');
      const newline = input.indexOf('\n');
      if (newline < 0) return;
      process.stdin.off('data', onData);
      resolve(JSON.parse(input.slice(0, newline)) as PostgresOptions);
    };
    process.stdin.on('data', onData);
  });
  // Imported here, in the child only: PGlite's loader is heavy and the twin's process never needs it.
  const { startPostgres } = await import('../emulators/rds-postgres/index.ts');
  const running = await startPostgres(options);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void running.stop().finally(() => process.exit(0));
  };
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
