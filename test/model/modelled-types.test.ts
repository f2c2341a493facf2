/**
 * The loader reports as unsupported every type outside MODELLED_TYPES, so that list must say
 * exactly what the model's builders read: nothing missing, nothing claimed that is not read.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MODELLED_TYPES } from '../../src/cloudformation/modelled-types.ts';

const dir = fileURLToPath(new URL('../../src/model/', import.meta.url));
const source = readdirSync(dir)
  .filter((name) => name.endsWith('.ts') && name !== 'context.ts')
  .map((name) => readFileSync(`${dir}${name}`, 'utf8'))
  .join('\n');
const read = new Set(
  source.match(/'AWS::[A-Za-z0-9]+::[A-Za-z0-9]+'/g)?.map((quoted) => quoted.slice(1, -1)),
);

describe('modelled types', () => {
  it('every type the loader calls modelled is read by a model builder', () => {
    assert.deepEqual(
      MODELLED_TYPES.filter((type) => !read.has(type)),
      [],
    );
  });

  it('every type a model builder reads is listed as modelled', () => {
    assert.deepEqual(
      [...read].filter((type) => !MODELLED_TYPES.includes(type)),
      [],
    );
  });
});
