import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clause, type Row } from '../helpers.ts';

const K = 'aws:SourceIp';
const rows: Row[] = [
  ['IpAddress', ['203.0.113.0/24'], { [K]: '203.0.113.7' }, true, 'in range'],
  ['IpAddress', ['203.0.113.0/24'], { [K]: '203.0.114.7' }, false, 'out of range'],
  ['IpAddress', ['203.0.113.7'], { [K]: '203.0.113.7' }, true, 'single address = /32'],
  ['IpAddress', ['0.0.0.0/0'], { [K]: '8.8.8.8' }, true, '/0 matches every IPv4'],
  ['IpAddress', ['10.0.0.0/8', '192.168.0.0/16'], { [K]: '192.168.1.1' }, true, 'values ORed'],
  ['IpAddress', ['2001:DB8:1234:5678::/64'], { [K]: '2001:db8:1234:5678::1' }, true, 'IPv6 CIDR'],
  ['IpAddress', ['2001:DB8:1234:5678::/64'], { [K]: '2001:db8:1234:5679::1' }, false, 'IPv6 out of range'],
  ['IpAddress', ['2001:DB8:1234:5678::/64'], { [K]: '203.0.113.7' }, false, 'IPv4 never in an IPv6 range'],
  ['IpAddress', ['::ffff:203.0.113.0/120'], { [K]: '::ffff:203.0.113.9' }, true, 'embedded IPv4'],
  ['IpAddress', ['203.0.113.0/24'], {}, false, 'missing key'],
  ['IpAddress', ['203.0.113.0/24'], { [K]: 'not-an-ip' }, false, 'context not an IP'],
  ['NotIpAddress', ['203.0.113.0/24'], { [K]: '198.51.100.1' }, true, 'outside'],
  ['NotIpAddress', ['203.0.113.0/24'], { [K]: '203.0.113.1' }, false, 'inside'],
  [
    'NotIpAddress',
    ['203.0.113.0/24'],
    {},
    true,
    'missing key: negated TRUE (aws:SourceIp is absent via endpoints)',
  ],
  ['IpAddressIfExists', ['203.0.113.0/24'], {}, true, 'IfExists'],
];

for (const [operator, values, context, expected, why] of rows) {
  test(`${operator} ${JSON.stringify(values)} vs ${JSON.stringify(context)} → ${expected} (${why})`, () => {
    assert.equal(clause(operator, K, values, context), expected);
  });
}

test('bad CIDRs are errors', () => {
  for (const bad of ['10.0.0.0/33', '300.1.1.1', '10.0.0/8', '1::2::3', 'x']) {
    assert.throws(() => clause('IpAddress', K, [bad], {}), /not an IP address/, bad);
  }
});
