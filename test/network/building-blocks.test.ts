import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NaclEntry } from '../../src/model/network-acl.ts';
import type { RouteTable } from '../../src/model/route-table.ts';
import { awsPrefixList, publicServiceAddress } from '../../src/network/aws-prefixes.ts';
import { parseAwsHost } from '../../src/network/hostnames.ts';
import { cidrContains, parseCidr, parseIpv4 } from '../../src/network/ipv4.ts';
import { compileNetworkAcl, evaluateNacl } from '../../src/network/network-acls.ts';
import { compileRouteTable, lookupRoute } from '../../src/network/routing.ts';
import { azId } from '../../src/network/flow-logs.ts';

const ip = (text: string): number => parseIpv4(text) as number;

describe('IPv4', () => {
  for (const [cidr, address, inside] of [
    ['10.0.0.0/16', '10.0.255.255', true],
    ['10.0.0.0/16', '10.1.0.0', false],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['52.216.0.0/15', '52.217.10.1', true],
    ['10.0.1.7/24', '10.0.1.200', true],
  ] as const) {
    it(`${address} ${inside ? 'in' : 'not in'} ${cidr}`, () =>
      assert.equal(cidrContains(parseCidr(cidr)!, ip(address)), inside));
  }
  it('rejects malformed and IPv6 text', () => {
    assert.equal(parseIpv4('10.0.0.256'), undefined);
    assert.equal(parseCidr('2001:db8::/32'), undefined);
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
  });
});

describe('network ACL evaluation (rule order, first match, implicit deny, port ranges)', () => {
  const entry = (
    ruleNumber: number,
    egress: boolean,
    action: 'allow' | 'deny',
    cidr: string,
    fromPort = 0,
    toPort = 65535,
    protocol: 'all' | number = 6,
  ): NaclEntry => ({
    logicalId: `E${ruleNumber}${egress ? 'out' : 'in'}`,
    ruleNumber,
    egress,
    action,
    protocol,
    cidr,
    fromPort,
    toPort,
  });
  const acl = compileNetworkAcl({
    logicalId: 'Acl',
    physicalId: 'acl-1',
    vpc: { kind: 'external', physicalId: 'vpc-1' },
    isDefault: false,
    entries: [
      entry(90, false, 'deny', '10.9.0.0/16', 0, 65535, 'all'),
      entry(100, false, 'allow', '0.0.0.0/0', 1024, 40000),
      entry(110, false, 'deny', '0.0.0.0/0', 40001, 50000),
      entry(120, false, 'allow', '0.0.0.0/0', 40001, 65535),
      entry(100, true, 'allow', '0.0.0.0/0', 443, 443),
    ],
  });
  const rows: Array<[string, 'inbound' | 'outbound', string, number, number, boolean, string | undefined]> = [
    ['first matching rule allows', 'inbound', '52.1.1.1', 2000, 2000, true, 'E100in'],
    ['a lower-numbered deny wins', 'inbound', '10.9.0.5', 2000, 2000, false, 'E90in'],
    ['a deny inside a range blocks the range', 'inbound', '52.1.1.1', 1024, 65535, false, 'E110in'],
    [
      'a single port after the deny is allowed by a later rule',
      'inbound',
      '52.1.1.1',
      50001,
      50001,
      true,
      'E120in',
    ],
    ['no matching rule: implicit deny', 'outbound', '52.1.1.1', 80, 80, false, undefined],
    ['outbound 443 allowed', 'outbound', '52.1.1.1', 443, 443, true, 'E100out'],
  ];
  for (const [name, direction, address, from, to, allowed, decidedBy] of rows) {
    it(name, () => {
      const decision = evaluateNacl(acl, direction, ip(address), 6, from, to);
      assert.equal(decision.allowed, allowed);
      assert.equal(decision.entry?.logicalId, decidedBy);
    });
  }
});

describe('route lookup (longest prefix, prefix lists, static beats prefix list on a tie)', () => {
  const table: RouteTable = {
    logicalId: 'Rt',
    physicalId: 'rtb-1',
    vpc: { kind: 'external', physicalId: 'vpc-1' },
    isMain: false,
    subnets: [],
    routes: [
      {
        logicalId: 'Rt/local',
        destination: { kind: 'cidr', cidr: '10.0.0.0/16' },
        target: { kind: 'local' },
      },
      {
        logicalId: 'Default',
        destination: { kind: 'cidr', cidr: '0.0.0.0/0' },
        target: { kind: 'nat-gateway', ref: { kind: 'external', physicalId: 'nat-1' } },
      },
      {
        logicalId: 'S3Endpoint',
        destination: { kind: 'prefix-list', prefixListId: 'pl-63a5400a' },
        target: { kind: 'gateway-endpoint', ref: { kind: 'external', physicalId: 'vpce-1' } },
      },
      {
        logicalId: 'Static',
        destination: { kind: 'cidr', cidr: '52.216.0.0/15' },
        target: { kind: 'vpc-peering', ref: { kind: 'external', physicalId: 'pcx-1' } },
      },
      {
        logicalId: 'Unknown',
        destination: { kind: 'prefix-list', prefixListId: 'pl-unknown' },
        target: { kind: 'local' },
      },
    ],
  };
  const compiled = compileRouteTable(table, (id) =>
    awsPrefixList('s3', 'us-east-1')?.id === id ? awsPrefixList('s3', 'us-east-1')?.cidrs : undefined,
  );
  for (const [address, expected] of [
    ['10.0.3.4', 'Rt/local'],
    ['54.231.5.5', 'S3Endpoint'],
    ['52.216.1.1', 'Static'],
    ['8.8.8.8', 'Default'],
  ] as const) {
    it(`${address} → ${expected}`, () =>
      assert.equal(lookupRoute(compiled, ip(address))?.route.logicalId, expected));
  }
  it('reports routes that can never match', () =>
    assert.deepEqual(
      compiled.ignored.map((i) => i.route.logicalId),
      ['Unknown'],
    ));
});

describe('AWS prefixes and hostnames', () => {
  it('ships the S3 and DynamoDB prefix lists per Region', () => {
    assert.equal(awsPrefixList('s3', 'us-east-1')?.id, 'pl-63a5400a');
    assert.equal(awsPrefixList('dynamodb', 'us-east-1')?.id, 'pl-02cd2c6b');
    assert.equal(awsPrefixList('s3', 'us-west-2')?.id, 'pl-68a54001');
    assert.equal(awsPrefixList('dynamodb', 'eu-west-1')?.id, 'pl-6fa54006');
  });
  it('gives S3 hostnames addresses inside the S3 prefix list of their Region, stable per host', () => {
    const address = publicServiceAddress('s3', 'us-west-2', 'bucket.s3.us-west-2.amazonaws.com');
    assert.ok(awsPrefixList('s3', 'us-west-2')?.cidrs.some((cidr) => cidrContains(cidr, ip(address))));
    assert.ok(!awsPrefixList('s3', 'us-east-1')?.cidrs.some((cidr) => cidrContains(cidr, ip(address))));
    assert.equal(address, publicServiceAddress('s3', 'us-west-2', 'bucket.s3.us-west-2.amazonaws.com'));
  });
  for (const [host, expected] of [
    ['s3.us-east-1.amazonaws.com', { service: 's3', region: 'us-east-1' }],
    ['images.s3.eu-west-1.amazonaws.com', { service: 's3', bucket: 'images', region: 'eu-west-1' }],
    ['s3.amazonaws.com', { service: 's3', region: 'us-east-1' }],
    [
      'a1b2c3.execute-api.us-west-2.amazonaws.com',
      { service: 'execute-api', apiId: 'a1b2c3', region: 'us-west-2' },
    ],
    [
      'vpce-0abc123-xyz.secretsmanager.us-east-1.vpce.amazonaws.com',
      { endpointId: 'vpce-0abc123', service: 'secretsmanager', region: 'us-east-1' },
    ],
    ['example.com', undefined],
  ] as const) {
    it(`parses ${host}`, () => assert.deepEqual(parseAwsHost(host), expected));
  }
  it('AZ ids', () => {
    assert.equal(azId('us-east-1b', 'us-east-1'), 'use1-az2');
    assert.equal(azId('eu-west-1a', 'eu-west-1'), 'euw1-az1');
  });
});
