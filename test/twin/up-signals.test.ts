/**
 * `securecart up` stops cleanly (exit 0, "stopping the twin") on SIGINT or SIGTERM at any moment
 * after it starts booting: during the boot (before, a signal then killed the process, exit 130,
 * in the middle of whatever it was writing), and the instant `twin.json` appears, when a tool that
 * waits for that file signals at once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const TEMPLATE =
  'Resources:\n  Photos: {Type: AWS::S3::Bucket, Properties: {BucketName: up-signals-photos}}\n';

/** When to signal, as a file whose appearance says the moment has come. */
const MOMENTS: Array<[string, NodeJS.Signals, (dataDir: string) => string]> = [
  ['during the boot (the data dir exists, twin.json does not yet)', 'SIGINT', (d) => d],
  ['the instant twin.json appears', 'SIGTERM', (d) => join(d, 'twin.json')],
];

describe('securecart up and signals', () => {
  for (const [moment, signal, marker] of MOMENTS) {
    it(`${signal} ${moment}: a clean stop, exit 0`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'twin-up-signal-'));
      const file = join(dir, 'template.yaml');
      const dataDir = join(dir, 'data');
      writeFileSync(file, TEMPLATE);
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'up', file, '--data', dataDir, '--port', '0', '--quiet'],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const deadline = Date.now() + 30_000;
        while (!existsSync(marker(dataDir))) {
          assert.ok(Date.now() < deadline, `no ${marker(dataDir)} after 30 s:\n${output}`);
          await sleep(2);
        }
        child.kill(signal);
        const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout' as const)]);
        assert.equal(code, 0, output);
        assert.match(output, new RegExp(`${signal}: stopping the twin`));
      } finally {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
