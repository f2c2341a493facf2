/**
 * Acknowledged writes survive SIGKILL: a child process serves the emulators, we stream order
 * writes at it, kill it mid-stream, restart it on the same data dir and find every write that
 * was acknowledged (S3 objects and DynamoDB items).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, it } from 'node:test';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { TEST_CREDENTIALS } from './serve.ts';

let dataDir: string;
const children: ChildProcess[] = [];

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'securecart-crash-'));
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

async function boot(): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
  });
  return { child, endpoint: (JSON.parse(line) as { endpoint: string }).endpoint };
}

const clients = (endpoint: string): { s3: S3Client; ddb: DynamoDBClient } => {
  const config = { region: 'us-east-1', endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 };
  return { s3: new S3Client({ ...config, forcePathStyle: true }), ddb: new DynamoDBClient(config) };
};

it('every acknowledged S3 and DynamoDB write is there after SIGKILL and restart', async (t) => {
  const first = await boot();
  const { s3, ddb } = clients(first.endpoint);
  const acknowledged: string[] = [];
  let stop = false;
  const writer = async (lane: number): Promise<void> => {
    for (let i = 0; !stop; i++) {
      const id = `order-${lane}-${i}`;
      try {
        await s3.send(
          new PutObjectCommand({ Bucket: 'orders', Key: `${id}.json`, Body: JSON.stringify({ id }) }),
        );
        await ddb.send(
          new PutItemCommand({ TableName: 'Orders', Item: { orderId: { S: id }, total: { N: String(i) } } }),
        );
        acknowledged.push(id);
      } catch {
        return; // the connection died with the process
      }
    }
  };
  const lanes = [0, 1, 2, 3].map(writer);
  // Kill mid-stream: once a good number of writes were acknowledged (or after 6 s on a busy box).
  const started = Date.now();
  while (acknowledged.length < 40 && Date.now() - started < 6000)
    await new Promise((resolve) => setTimeout(resolve, 20));
  first.child.kill('SIGKILL');
  stop = true;
  await Promise.all(lanes);
  s3.destroy();
  ddb.destroy();
  assert.ok(acknowledged.length >= 8, `only ${acknowledged.length} writes were acknowledged`);

  t.diagnostic(`${acknowledged.length} writes acknowledged before SIGKILL, all checked after restart`);
  const second = await boot();
  const again = clients(second.endpoint);
  for (const id of acknowledged) {
    const object = await again.s3.send(new GetObjectCommand({ Bucket: 'orders', Key: `${id}.json` }));
    assert.equal(await object.Body?.transformToString(), JSON.stringify({ id }));
    const item = await again.ddb.send(
      new GetItemCommand({ TableName: 'Orders', Key: { orderId: { S: id } } }),
    );
    assert.equal(item.Item?.orderId?.S, id);
  }
  again.s3.destroy();
  again.ddb.destroy();
  second.child.kill('SIGKILL');
});
