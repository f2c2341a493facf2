/**
 * The twin's per-invocation log store (for the Invoke API's LogResult): lines by request id,
 * output that arrives after END put back before it, the last N invocations kept, each cut to
 * about its last maxBytes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvocationLogs } from '../../../src/emulators/lambda/invocation-logs.ts';

describe('InvocationLogs', () => {
  it("keeps an invocation's lines; late output goes before END; init output is no invocation's", async () => {
    const logs = new InvocationLogs();
    logs.record('init says hi', { stream: 'stdout' });
    logs.record('START RequestId: r1 Version: $LATEST', { stream: 'platform', requestId: 'r1' });
    logs.record('one', { stream: 'stdout', requestId: 'r1' });
    logs.record('END RequestId: r1', { stream: 'platform', requestId: 'r1' });
    logs.record('REPORT RequestId: r1\tDuration: 1.00 ms', { stream: 'platform', requestId: 'r1' });
    logs.record('late', { stream: 'stderr', requestId: 'r1' });
    assert.equal(
      await logs.logOf('r1'),
      'START RequestId: r1 Version: $LATEST\none\nlate\nEND RequestId: r1\nREPORT RequestId: r1\tDuration: 1.00 ms\n',
    );
    assert.equal(await logs.logOf('unknown'), undefined);
  });

  it('keeps the last N invocations and about the last maxBytes of each', async () => {
    const logs = new InvocationLogs(2, 10);
    for (const id of ['a', 'b', 'c']) {
      logs.record(`START ${id}`, { stream: 'platform', requestId: id });
      logs.record('0123456789', { stream: 'stdout', requestId: id });
      logs.record(`END RequestId: ${id}`, { stream: 'platform', requestId: id });
    }
    assert.equal(await logs.logOf('a'), undefined);
    // Whole lines from the front go while the rest still holds 10 bytes.
    assert.equal(await logs.logOf('c'), 'END RequestId: c\n');
    const wide = new InvocationLogs(2, 28);
    wide.record('START x', { stream: 'platform', requestId: 'x' });
    wide.record('0123456789', { stream: 'stdout', requestId: 'x' });
    wide.record('END RequestId: x', { stream: 'platform', requestId: 'x' });
    assert.equal(await wide.logOf('x'), '0123456789\nEND RequestId: x\n');
  });
});
