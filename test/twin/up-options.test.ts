/** `securecart up` refuses bad options before it boots anything, naming the option and the fix. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runUp, DEFAULT_TEMPLATE, type UpOptions } from '../../src/cli/up-command.ts';
import { UserError } from '../../src/cli/user-error.ts';

const BASE: UpOptions = { data: '.data-never-created', port: '0', param: [], quiet: true };

const CASES: Array<[string, Partial<UpOptions>, RegExp]> = [
  ['a port out of range', { port: '70000' }, /--port must be 0-65535, got "70000"/],
  [
    'a capture window of 0 s',
    { flowWindow: '0' },
    /--flow-window must be whole seconds from 1 to 600, got "0"/,
  ],
  ['a capture window longer than AWS allows', { flowWindow: '601' }, /--flow-window .* got "601"/],
  ['a fractional capture window', { flowWindow: '1.5' }, /--flow-window .* got "1.5"/],
];

describe('securecart up: bad options', () => {
  for (const [what, options, expected] of CASES) {
    it(what, async () => {
      await assert.rejects(runUp(DEFAULT_TEMPLATE, { ...BASE, ...options }), (error: unknown) => {
        assert.ok(error instanceof UserError, String(error));
        assert.match(error.message, expected);
        return true;
      });
    });
  }
});
