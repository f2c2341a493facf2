/** Fn::Cidr vectors: AWS's documented examples, then edge cases (host bits set, IPv6, limits). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cidrBlocks } from '../../src/cloudformation/cidr.ts';

const vectors: ReadonlyArray<{
  readonly args: [string, number, number];
  readonly expected: string[];
  readonly source: string;
}> = [
  {
    // AWS docs, Fn::Cidr "Basic usage": 6 CIDRs with a /27 mask from a /24.
    args: ['192.168.0.0/24', 6, 5],
    expected: [
      '192.168.0.0/27',
      '192.168.0.32/27',
      '192.168.0.64/27',
      '192.168.0.96/27',
      '192.168.0.128/27',
      '192.168.0.160/27',
    ],
    source: 'AWS docs basic usage',
  },
  {
    // cidrBits 8 → "/24" (the docs' description of cidrBits).
    args: ['10.0.0.0/16', 3, 8],
    expected: ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24'],
    source: 'AWS docs cidrBits = 8 gives /24',
  },
  {
    // IPv6: 128 − 64 = /64 subnets from an Amazon-provided /56, as in the docs' IPv6 example.
    args: ['2001:db8:1234:1a00::/56', 3, 64],
    expected: ['2001:db8:1234:1a00::/64', '2001:db8:1234:1a01::/64', '2001:db8:1234:1a02::/64'],
    source: 'AWS docs IPv6 subnet example',
  },
  {
    args: ['10.20.30.40/24', 2, 4],
    expected: ['10.20.30.0/28', '10.20.30.16/28'],
    source: 'host bits set: masked to the network',
  },
  { args: ['10.0.0.0/24', 1, 8], expected: ['10.0.0.0/24'], source: 'one block the size of the input' },
  {
    args: ['10.0.0.0/30', 4, 0],
    expected: ['10.0.0.0/32', '10.0.0.1/32', '10.0.0.2/32', '10.0.0.3/32'],
    source: '/32 blocks',
  },
  { args: ['fd00::/120', 2, 4], expected: ['fd00::/124', 'fd00::10/124'], source: 'IPv6 zero compression' },
];

for (const { args, expected, source } of vectors) {
  test(`Fn::Cidr ${JSON.stringify(args)} (${source})`, () => {
    assert.deepEqual(cidrBlocks(...args), expected);
  });
}

const invalid: ReadonlyArray<{ readonly args: [string, number, number]; readonly message: RegExp }> = [
  { args: ['10.0.0.0/24', 9, 5], message: /holds only 8 blocks/ },
  { args: ['10.0.0.0/24', 1, 9], message: /larger than the block/ },
  { args: ['10.0.0.0/24', 0, 5], message: /outside 1–256/ },
  { args: ['10.0.0.0/8', 257, 8], message: /outside 1–256/ },
  { args: ['10.0.0.300/24', 1, 4], message: /not a CIDR block/ },
  { args: ['10.0.0.0', 1, 4], message: /not a CIDR block/ },
];

for (const { args, message } of invalid) {
  test(`Fn::Cidr ${JSON.stringify(args)} is rejected with a reason`, () => {
    const result = cidrBlocks(...args);
    assert.equal(typeof result, 'string');
    assert.match(result as string, message);
  });
}
