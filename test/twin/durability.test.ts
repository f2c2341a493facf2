/**
 * SIGKILL durability: a child-process twin takes a stream of order writes (as the order service,
 * through its entry), is killed with SIGKILL mid-stream, restarted on the same data dir — every
 * write that was acknowledged is there.
 */
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { castOf } from '../../src/twin/demo.ts';
import type { TwinState } from '../../src/twin/twin-state.ts';
import { synthesize, templatePath } from '../../infra/bin/synth.ts';

const TEMPLATE = existsSync(templatePath('cdk.out')) ? templatePath('cdk.out') : synthesize('cdk.out');
const dataDir = mkdtempSync(join(tmpdir(), 'twin-kill-'));
const children: ChildProcess[] = [];

function startChild(): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'up', TEMPLATE, '--data', dataDir, '--port', '0', '--quiet'],
    {
      stdio: ['ignore', 'ignore', 'ignore'],
    },
  );
  children.push(child);
  return child;
}

async function waitForState(child: ChildProcess): Promise<TwinState> {
  const file = join(dataDir, 'twin.json');
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`twin exited with ${child.exitCode}`);
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as TwinState;
    await sleep(100);
  }
  throw new Error('twin did not become ready in 60 s');
}

function ordersClient(state: TwinState) {
  const order = state.workloads[castOf(state).order];
  const client = new DynamoDBClient({
    region: state.region,
    endpoint: order.endpoint,
    maxAttempts: 1,
    credentials: {
      accessKeyId: order.accessKeyId,
      secretAccessKey: order.secretAccessKey,
      sessionToken: order.sessionToken,
    },
  });
  return { client, table: order.environment.TABLE_NAME };
}

after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

it('every acknowledged order survives kill -9 and a restart', { timeout: 180_000 }, async () => {
  const first = startChild();
  const state = await waitForState(first);
  const { client, table } = ordersClient(state);
  const acknowledged: string[] = [];
  let stop = false;
  // Eight writers in parallel, as fast as the twin answers, until the kill.
  const writers = Array.from({ length: 8 }, async (_, writer) => {
    for (let n = 0; !stop; n++) {
      const orderId = `kill-${writer}-${n}`;
      try {
        await client.send(
          new PutItemCommand({
            TableName: table,
            Item: { orderId: { S: orderId }, writer: { N: String(writer) } },
          }),
        );
        acknowledged.push(orderId);
      } catch {
        return; // the connection died with the twin
      }
    }
  });
  while (acknowledged.length < 200) await sleep(20);
  first.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  client.destroy();
  assert.ok(acknowledged.length >= 200);

  rmSync(join(dataDir, 'twin.json'));
  const second = startChild();
  const restarted = await waitForState(second);
  const reader = ordersClient(restarted);
  const missing: string[] = [];
  for (const orderId of acknowledged) {
    const out = await reader.client.send(
      new GetItemCommand({ TableName: reader.table, Key: { orderId: { S: orderId } } }),
    );
    if (!out.Item) missing.push(orderId);
  }
  reader.client.destroy();
  assert.deepEqual(missing, [], `${missing.length} of ${acknowledged.length} acknowledged orders lost`);
  second.kill('SIGTERM');
  await new Promise((resolve) => second.once('exit', resolve));
});
