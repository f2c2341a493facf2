/**
 * The cost estimator against hand-computed figures, the price table's provenance, and the
 * traffic profile format (including its errors).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateCost, type CostInputs } from '../../src/analyze/pricing/estimate.ts';
import { priceTableFor } from '../../src/analyze/pricing/price-table.ts';
import {
  loadDefaultTrafficProfile,
  loadTrafficProfile,
  parseTrafficProfile,
  trafficFor,
} from '../../src/analyze/pricing/traffic-profile.ts';
import { UserError } from '../../src/cli/user-error.ts';

const table = priceTableFor('us-east-1');

/** Two AZs; a NAT gateway in a; S3 through a gateway endpoint; Secrets Manager through an interface endpoint in a only. */
const INPUTS: CostInputs = {
  natGateways: [{ logicalId: 'Nat', vpc: 'Vpc', az: 'us-east-1a' }],
  interfaceEndpoints: [
    { logicalId: 'SecretsEp', service: 'secretsmanager', vpc: 'Vpc', azs: ['us-east-1a'] },
  ],
  gatewayEndpoints: [{ logicalId: 'S3Ep', service: 's3', vpc: 'Vpc' }],
  flows: [
    {
      workload: 'A',
      service: 's3',
      vpc: 'Vpc',
      az: 'us-east-1a',
      route: 'gateway-endpoint',
      reachable: true,
      via: 'S3Ep',
      traffic: { requestsPerMonth: 1, gbPerMonth: 100 },
    },
    {
      workload: 'B',
      service: 's3',
      vpc: 'Vpc',
      az: 'us-east-1b',
      route: 'gateway-endpoint',
      reachable: true,
      via: 'S3Ep',
      traffic: { requestsPerMonth: 1, gbPerMonth: 50 },
    },
    {
      workload: 'B',
      service: 'secretsmanager',
      vpc: 'Vpc',
      az: 'us-east-1b',
      route: 'interface-endpoint',
      reachable: true,
      via: 'SecretsEp',
      viaAz: 'us-east-1a',
      traffic: { requestsPerMonth: 1, gbPerMonth: 10 },
    },
    {
      workload: 'B',
      service: 'sqs',
      vpc: 'Vpc',
      az: 'us-east-1b',
      route: 'nat-gateway',
      reachable: true,
      via: 'Nat',
      viaAz: 'us-east-1a',
      traffic: { requestsPerMonth: 1, gbPerMonth: 20 },
    },
    {
      workload: 'C',
      service: 'kms',
      vpc: 'Vpc',
      az: 'us-east-1a',
      route: 'none',
      reachable: false,
      traffic: { requestsPerMonth: 1, gbPerMonth: 1000 },
    },
  ],
};

describe('pricing', () => {
  it('every price carries an https source, and the table its date and 730 h/month', () => {
    assert.equal(table.hoursPerMonth, 730);
    assert.match(table.retrieved, /^\d{4}-\d{2}-\d{2}$/);
    for (const [name, price] of Object.entries(table.prices)) {
      assert.match(price.source, /^https:\/\//, name);
      assert.ok(price.usd >= 0 && price.unit.length > 0, name);
    }
    assert.equal(table.prices.natGatewayHour.usd, 0.045);
    assert.equal(table.prices.natGatewayGb.usd, 0.045);
    assert.equal(table.prices.interfaceEndpointAzHour.usd, 0.01);
    assert.equal(table.prices.interfaceEndpointGb.usd, 0.01);
    assert.equal(table.prices.gatewayEndpointHour.usd, 0);
    assert.equal(table.prices.interAzGbEachWay.usd, 0.01);
  });

  const estimate = estimateCost(INPUTS, table, 'us-east-1', true);

  it('prices the template as written', () => {
    // NAT 730 h × 0.045 = 32.85; interface endpoint 1 AZ × 730 × 0.01 = 7.30;
    // data: secrets 10 GB × 0.01 = 0.10 + inter-AZ 2 × 10 × 0.01 = 0.20; sqs via NAT 20 × 0.045 = 0.90
    // + inter-AZ 2 × 20 × 0.01 = 0.40; S3 through the gateway endpoint free; the blocked KMS flow moves nothing.
    assert.equal(estimate.asWritten.monthlyUsd, 41.75);
    const nat = estimate.asWritten.lines.find((line) => line.item === 'NAT gateway hours');
    assert.equal(nat?.monthlyUsd, 32.85);
  });

  it('prices alternative A: a NAT gateway per AZ with workloads, every GB through it', () => {
    // 2 AZs × 32.85 = 65.70; (100 + 50 + 10 + 20 + 1000) GB × 0.045 = 53.10
    assert.equal(estimate.alternatives.allThroughNat.monthlyUsd, 118.8);
  });

  it('prices alternative B: the S3 gateway endpoint replaced by an interface endpoint in both AZs', () => {
    // as written 41.75 + 2 AZ × 730 × 0.01 = 14.60 + 150 GB × 0.01 = 1.50
    assert.equal(estimate.alternatives.interfaceEndpointsForS3DynamoDb.monthlyUsd, 57.85);
  });

  it('falls back to us-east-1 prices for other Regions and says so', () => {
    assert.equal(priceTableFor('eu-west-1').region, 'us-east-1');
  });
});

describe('traffic profile', () => {
  it('the shipped default applies per service, with a workload override winning', () => {
    const profile = loadDefaultTrafficProfile();
    assert.deepEqual(trafficFor(profile, 'Any', 's3'), { requestsPerMonth: 2000000, gbPerMonth: 100 });
    assert.deepEqual(trafficFor(profile, 'Any', 'sqs'), profile.default);
    const custom = parseTrafficProfile(
      {
        default: { requestsPerMonth: 1, gbPerMonth: 2 },
        workloads: { Fn: { s3: { requestsPerMonth: 3, gbPerMonth: 4 } } },
      },
      'p.json',
    );
    assert.deepEqual(trafficFor(custom, 'Fn', 's3'), { requestsPerMonth: 3, gbPerMonth: 4 });
    assert.deepEqual(trafficFor(custom, 'Other', 's3'), { requestsPerMonth: 1, gbPerMonth: 2 });
  });

  const bad: [string, unknown, RegExp][] = [
    ['negative GB', { default: { requestsPerMonth: 1, gbPerMonth: -1 } }, /\/default\/gbPerMonth/],
    [
      'a string',
      { services: { s3: { requestsPerMonth: '1', gbPerMonth: 1 } } },
      /\/services\/s3\/requestsPerMonth/,
    ],
    ['not an object', [1, 2], /expected a JSON object/],
  ];
  for (const [name, json, pattern] of bad) {
    it(`rejects ${name} with a UserError naming the file and pointer`, () => {
      assert.throws(
        () => parseTrafficProfile(json, 'profile.json'),
        (error: unknown) =>
          error instanceof UserError && /profile\.json/.test(error.message) && pattern.test(error.message),
      );
    });
  }

  it('rejects a file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'traffic-'));
    const file = join(dir, 'p.json');
    writeFileSync(file, '{ nope');
    assert.throws(() => loadTrafficProfile(file), UserError);
  });
});
