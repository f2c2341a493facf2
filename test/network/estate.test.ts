/**
 * The generated estate (bench/estate.ts) that the tracer and analyzer benchmarks load: its shape
 * scales with `size`, it loads, and its paths are the ones it is built to produce.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadTemplateText } from '../../src/cloudformation/load.ts';
import { buildModel } from '../../src/model/index.ts';
import { trace } from '../../src/network/index.ts';
import { ESTATE_SERVICES, generateEstate } from '../../bench/estate.ts';

describe('generated estate', () => {
  const template = generateEstate({ vpcs: 2, subnetsPerVpc: 4, workloadsPerVpc: 10, groupsPerVpc: 4 });
  const model = buildModel(loadTemplateText(JSON.stringify(template), 'estate.json'));

  it('has the requested shape: VPCs, subnets, workloads, 5 endpoints per VPC', () => {
    assert.equal(model.vpcs.size, 2);
    assert.equal(model.subnets.size, 8);
    assert.equal(model.workloads.length, 20);
    assert.equal(model.vpcEndpoints.size, 2 * ESTATE_SERVICES.length);
  });

  it('size 1 is the benchmark estate: 200 VPCs, 4,000 subnets, 10,000 workloads, 1,000 endpoints', () => {
    const resources = generateEstate(1).Resources as Record<string, { Type: string }>;
    const count = (type: string) =>
      Object.values(resources).filter((resource) => resource.Type === type).length;
    assert.equal(count('AWS::EC2::VPC'), 200);
    assert.equal(count('AWS::EC2::Subnet'), 4000);
    assert.equal(count('AWS::Lambda::Function'), 10000);
    assert.equal(count('AWS::EC2::VPCEndpoint'), 1000);
  });

  it('odd security groups reach the interface endpoints, even ones are blocked by their egress', () => {
    const odd = model.workloads.find((w) => w.securityGroups[0] === 'V0Sg1' && w.subnets[0] !== 'V0Subnet0');
    const even = model.workloads.find((w) => w.securityGroups[0] === 'V0Sg2' && w.subnets[0] !== 'V0Subnet0');
    assert.ok(odd && even);
    assert.equal(trace(model, odd.logicalId, { service: 'secretsmanager' }).route, 'interface-endpoint');
    assert.equal(
      trace(model, even.logicalId, { service: 'secretsmanager' }).blockedBy?.component,
      'security-group-egress',
    );
    assert.equal(trace(model, even.logicalId, { service: 's3' }).route, 'gateway-endpoint');
  });
});
