import assert from 'node:assert/strict';
import { it } from 'node:test';
import { RwLock } from '../../src/emulators/common/rw-lock.ts';

const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

it('shared holders run together; an exclusive holder runs alone, in arrival order', async () => {
  const lock = new RwLock();
  const log: string[] = [];
  let active = 0;
  let maxSharedTogether = 0;
  const shared = (name: string): Promise<void> =>
    lock.shared(async () => {
      active++;
      maxSharedTogether = Math.max(maxSharedTogether, active);
      log.push(`${name}+`);
      await tick();
      log.push(`${name}-`);
      active--;
    });
  const exclusive = (name: string): Promise<void> =>
    lock.exclusive(async () => {
      assert.equal(active, 0, `${name} must run alone`);
      log.push(`${name}+`);
      await tick();
      log.push(`${name}-`);
    });
  await Promise.all([shared('r1'), shared('r2'), exclusive('w1'), shared('r3'), exclusive('w2')]);
  assert.equal(maxSharedTogether, 2);
  // r1 and r2 overlap; w1 waits for both; r3 (arrived after w1) waits for w1; w2 waits for r3.
  assert.deepEqual(log.slice(4), ['w1+', 'w1-', 'r3+', 'r3-', 'w2+', 'w2-']);
  assert.deepEqual(log.slice(0, 2).sort(), ['r1+', 'r2+']);
});

it('releases the lock when the work throws', async () => {
  const lock = new RwLock();
  await assert.rejects(
    lock.exclusive(() => Promise.reject(new Error('boom'))),
    /boom/,
  );
  let ran = false;
  await lock.shared(async () => {
    ran = true;
  });
  assert.ok(ran);
});
