/**
 * The loader lists as "modelled" only what the model reads: every type in MODELLED_TYPES must be
 * read by buildModel (and MODEL_READS must say what the builders really read).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MODELLED_TYPES } from '../../src/cloudformation/modelled-types.ts';
import { MODEL_READS } from '../../src/model/read-types.ts';

/** CloudFormation's name for a customer-managed prefix list is AWS::EC2::PrefixList. */
const SAME_TYPE: Readonly<Record<string, string>> = { 'AWS::EC2::ManagedPrefixList': 'AWS::EC2::PrefixList' };

describe('model types', () => {
  it('every type the loader calls modelled is read by the model', () => {
    const missing = MODELLED_TYPES.filter((type) => !MODEL_READS.includes(SAME_TYPE[type] ?? type));
    assert.deepEqual(missing, []);
  });

  it('MODEL_READS lists exactly the types the builders ask for', () => {
    const dir = fileURLToPath(new URL('../../src/model/', import.meta.url));
    const source = readdirSync(dir)
      .filter((name) => name.endsWith('.ts') && name !== 'read-types.ts' && name !== 'context.ts')
      .map((name) => readFileSync(`${dir}${name}`, 'utf8'))
      .join('\n');
    const used = new Set(
      source.match(/'AWS::[A-Za-z0-9]+::[A-Za-z0-9]+'/g)?.map((quoted) => quoted.slice(1, -1)),
    );
    assert.deepEqual(
      [...MODEL_READS].filter((type) => !used.has(type)),
      [],
    );
  });
});
