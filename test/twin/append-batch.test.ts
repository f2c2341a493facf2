import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppendBatch, FLUSH_AFTER_MS } from '../../src/twin/append-batch.ts';

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

const later = () => new Promise((resolve) => setTimeout(resolve, FLUSH_AFTER_MS * 3));

test(
  'appends reach their files within FLUSH_AFTER_MS, in order, one write per file',
  withFiles(async (a, b, [fa, fb]) => {
    const batch = new AppendBatch('test log');
    batch.append(fa, '1\n');
    batch.append(fb, 'x\n');
    batch.append(fa, '2\n');
    assert.equal(readFileSync(a, 'utf8'), '', 'nothing is written at once');
    await later();
    assert.equal(readFileSync(a, 'utf8'), '1\n2\n');
    assert.equal(readFileSync(b, 'utf8'), 'x\n');
    batch.append(fa, '3\n');
    await later();
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
    await later();
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
    await later();
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /could not write the test log \(5 characters lost\)/);
    assert.equal(readFileSync(file, 'utf8'), 'kept\n');
  } finally {
    console.error = original;
    closeSync(good);
    rmSync(dir, { recursive: true, force: true });
  }
});

test(
  'a large backlog is written at once, without waiting for the timer',
  withFiles(async (a, _b, [fa]) => {
    const batch = new AppendBatch('test log');
    const line = 'x'.repeat(1023) + '\n';
    for (let i = 0; i < 64; i++) batch.append(fa, line);
    assert.equal(readFileSync(a, 'utf8').length, 64 * 1024);
  }),
);
