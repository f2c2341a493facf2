import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppendBatch } from '../../src/twin/append-batch.ts';

function withFiles(
  body: (a: string, b: string, fds: [number, number]) => Promise<void>,
): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'append-batch-'));
    const a = join(dir, 'a.log');
    const b = join(dir, 'b.log');
    const fds: [number, number] = [openSync(a, 'a'), openSync(b, 'a')];
    try {
      await body(a, b, fds);
    } finally {
      fds.forEach((fd) => closeSync(fd));
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test(
  "one turn's appends reach their files at the end of the turn, in order, per file",
  withFiles(async (a, b, [fa, fb]) => {
    const batch = new AppendBatch('test log');
    batch.append(fa, '1\n');
    batch.append(fb, 'x\n');
    batch.append(fa, '2\n');
    assert.equal(readFileSync(a, 'utf8'), '', 'nothing is written before the turn ends');
    await turn();
    assert.equal(readFileSync(a, 'utf8'), '1\n2\n');
    assert.equal(readFileSync(b, 'utf8'), 'x\n');
    batch.append(fa, '3\n');
    await turn();
    assert.equal(readFileSync(a, 'utf8'), '1\n2\n3\n');
  }),
);

test(
  'flush() writes what is pending at once, and the scheduled flush then has nothing left to write',
  withFiles(async (a, _b, [fa]) => {
    const batch = new AppendBatch('test log');
    batch.append(fa, 'now\n');
    batch.flush();
    assert.equal(readFileSync(a, 'utf8'), 'now\n');
    await turn();
    assert.equal(readFileSync(a, 'utf8'), 'now\n');
  }),
);

test('a failed write is reported and the batch keeps working', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'append-batch-'));
  const file = join(dir, 'ok.log');
  const good = openSync(file, 'a');
  const bad = openSync(join(dir, 'closed.log'), 'a');
  closeSync(bad);
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args[0]);
  try {
    const batch = new AppendBatch('test log');
    batch.append(bad, 'lost\n');
    batch.append(good, 'kept\n');
    await turn();
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /could not write the test log \(5 characters lost\)/);
    assert.equal(readFileSync(file, 'utf8'), 'kept\n');
  } finally {
    console.error = original;
    closeSync(good);
    rmSync(dir, { recursive: true, force: true });
  }
});
