/**
 * Real files: every template of the shared corpus (written by others), our Quick Start / SAM /
 * classic / CDK style fixtures, and SecureCart's own synthesized template when it exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTemplate } from '../../src/cloudformation/load.ts';
import type { Template } from '../../src/cloudformation/types.ts';
import { isUnresolved } from '../../src/cloudformation/unresolved.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const corpusDir = `${repoRoot}../shared/corpus/templates`;
const fixturesDir = `${repoRoot}test/fixtures/templates/loader`;
const cdkTemplate = `${repoRoot}cdk.out/SecureCart.template.json`;

function summary(t: Template): string {
  return t.unresolved
    .map((u) => `  ${u.logicalId} ${u.pointer}: ${u.token.intrinsic} — ${u.token.reason}`)
    .join('\n');
}

test('the shared corpus is present beside the repository', () => {
  assert.ok(existsSync(corpusDir), `${corpusDir} exists`);
  assert.ok(readdirSync(corpusDir).length >= 13, 'at least the 13 corpus templates');
});

for (const name of existsSync(corpusDir) ? readdirSync(corpusDir).sort() : []) {
  test(`corpus: ${name} loads`, (t) => {
    const template = loadTemplate(`${corpusDir}/${name}`);
    const count = Object.keys(template.resources).length;
    assert.ok(count > 0, `${name} has resources`);
    for (const resource of Object.values(template.resources)) {
      assert.ok(resource.line !== undefined && resource.line > 0, `${resource.logicalId} has a source line`);
      assert.ok(resource.physicalId.length > 0, `${resource.logicalId} has a physical id`);
    }
    t.diagnostic(
      `${count} resources, ${template.skipped.length} skipped, ${template.unresolved.length} unresolved`,
    );
    if (template.unresolved.length > 0) t.diagnostic(`unresolved:\n${summary(template)}`);
    if (template.unsupportedTypes.length > 0)
      t.diagnostic(`unsupported: ${template.unsupportedTypes.join(', ')}`);
  });
}

test('corpus: JSON resource lines match the logical id keys', () => {
  const file = `${corpusDir}/cfn-endpoint-waitcondition-no-igw.json`;
  const lines = readFileSync(file, 'utf8').split('\n');
  const template = loadTemplate(file);
  for (const resource of Object.values(template.resources)) {
    assert.ok(
      lines[(resource.line ?? 0) - 1].includes(`"${resource.logicalId}"`),
      `${resource.logicalId} at ${resource.line}`,
    );
  }
  // "Fn::GetAZs": null means the stack's Region.
  const subnets = Object.values(template.resources).filter((r) => r.type === 'AWS::EC2::Subnet');
  assert.ok(subnets.length > 0, 'has subnets');
  for (const subnet of subnets) assert.match(String(subnet.properties.AvailabilityZone), /^us-east-1[a-f]$/);
});

test('corpus: the Quick Start VPC needs AvailabilityZones; given it, subnets get their AZs', () => {
  const file = `${corpusDir}/quickstart-aws-vpc.yaml`;
  const withoutZones = loadTemplate(file);
  assert.ok(isUnresolved(withoutZones.parameters.AvailabilityZones), 'no default: a token');
  assert.ok(withoutZones.skipped.length > 0, 'conditional resources skipped by default');
  const withZones = loadTemplate(file, { parameters: { AvailabilityZones: 'us-east-1a,us-east-1b' } });
  const azs = Object.values(withZones.resources)
    .filter((r) => r.type === 'AWS::EC2::Subnet')
    .map((r) => r.properties.AvailabilityZone);
  assert.ok(azs.length >= 4, 'public and private subnets');
  for (const az of azs) assert.ok(az === 'us-east-1a' || az === 'us-east-1b', String(az));
});

test('corpus: Fn::Sub variable maps with a three-part GetAtt (MasterUserSecret.SecretArn)', () => {
  const template = loadTemplate(`${corpusDir}/secrets-lambda-interface-endpoint.yaml`);
  assert.match(
    String(template.outputs.SecretARN),
    /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/,
  );
  assert.deepEqual(template.transforms, ['AWS::SecretsManager-2024-09-16']);
});

test('corpus: SAM templates keep their serverless resources and list the transform', () => {
  const template = loadTemplate(`${corpusDir}/private-apigw-custom-domain-pca.yaml`);
  assert.ok(template.transforms?.includes('AWS::Serverless-2016-10-31'), 'SAM transform listed');
  assert.ok(template.transforms?.includes('AWS::LanguageExtensions'), 'LanguageExtensions listed');
  assert.ok(
    Object.values(template.resources).some((r) => r.type === 'AWS::Serverless::Function'),
    'AWS::Serverless::Function kept as is',
  );
});

const fixtures = existsSync(fixturesDir) ? readdirSync(fixturesDir).sort() : [];

test('there are loader fixtures in the Quick Start, SAM, classic JSON and CDK styles', () => {
  assert.ok(fixtures.length >= 4, fixtures.join());
});

for (const name of fixtures) {
  test(`fixture: ${name} loads with nothing unexpected left unresolved`, () => {
    const template = loadTemplate(`${fixturesDir}/${name}`);
    assert.ok(Object.keys(template.resources).length > 0, 'has resources');
    // The only tokens allowed are the ones each fixture holds on purpose.
    const allowed = /SSM parameter|ServerlessRestApi/;
    for (const u of template.unresolved) assert.match(u.token.reason, allowed, `${u.logicalId} ${u.pointer}`);
  });
}

test('fixture: Quick Start style conditions follow the parameters', () => {
  const file = `${fixturesDir}/quickstart-style-vpc.yaml`;
  const small = loadTemplate(file);
  assert.deepEqual(small.skipped, ['PublicSubnet3', 'FlowLogRole', 'FlowLogGroup', 'FlowLog']);
  assert.deepEqual(small.resources.S3GatewayEndpoint.properties.RouteTableIds, [
    small.resources.PrivateRouteTable1.physicalId,
  ]);
  assert.deepEqual(small.resources.PrivateSubnet1.properties.CidrBlock, '10.0.48.0/20');
  assert.equal(small.resources.PrivateSubnet1.properties.AvailabilityZone, 'us-east-1a');
  // `!GetAZs` as a tag on a block mapping (`Ref: AWS::Region` on the next line).
  assert.equal(small.resources.PublicSubnet2.properties.AvailabilityZone, 'us-east-1b');
  assert.equal(small.outputs.RetentionDays, 7);
  assert.ok(!('FlowLogGroupArn' in small.outputs), 'conditional output omitted');

  const large = loadTemplate(file, {
    parameters: { NumberOfAZs: '3', CreateFlowLog: 'true', EnvironmentTag: 'prod' },
  });
  assert.deepEqual(large.skipped, []);
  assert.equal(large.resources.PublicSubnet3.properties.AvailabilityZone, 'us-east-1c');
  assert.equal(large.resources.S3GatewayEndpoint.properties.RouteTableIds instanceof Array, true);
  assert.equal((large.resources.S3GatewayEndpoint.properties.RouteTableIds as unknown[]).length, 2);
  assert.equal(large.resources.FlowLogGroup.properties.RetentionInDays, 365);
  assert.equal(
    large.resources.FlowLog.properties.DeliverLogsPermissionArn,
    large.resources.FlowLogRole.attributes.Arn,
  );
  assert.equal(large.outputs.FlowLogGroupArn, large.resources.FlowLogGroup.attributes.Arn);
  assert.equal(large.outputs.RetentionDays, 365);
});

test('fixture: CDK style (list GetAtt, nested Join, asset metadata, Rules, BootstrapVersion)', () => {
  const template = loadTemplate(`${fixturesDir}/cdk-style-stack.json`);
  const policy = template.resources.OrdersFnServiceRoleDefaultPolicy5E7B0B0A.properties.PolicyDocument as {
    Statement: Array<{ Resource: string[] }>;
  };
  const tableArn = template.resources.OrdersTableB2F5D1E3.attributes.Arn;
  assert.deepEqual(policy.Statement[0].Resource, [tableArn, `${String(tableArn)}/index/*`]);
  const fn = template.resources.OrdersFn1A2B3C4D;
  assert.equal(
    (fn.metadata as Record<string, unknown>)['aws:asset:path'],
    'asset.0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
  );
  assert.deepEqual(fn.dependsOn, ['OrdersFnServiceRoleDefaultPolicy5E7B0B0A', 'OrdersFnServiceRole8A0C2E11']);
  assert.equal(
    (fn.properties.Code as Record<string, unknown>).S3Bucket,
    'cdk-hnb659fds-assets-123456789012-us-east-1',
  );
  assert.ok(isUnresolved(template.parameters.BootstrapVersion), 'SSM parameter type → token');
  assert.deepEqual(template.unsupportedTypes, ['AWS::CDK::Metadata']);
});

test('fixture: SAM style keeps AWS::Serverless::Function and resolves the endpoint name', () => {
  const template = loadTemplate(`${fixturesDir}/sam-vpc-function.yaml`);
  assert.equal(template.resources.OrdersFunction.type, 'AWS::Serverless::Function');
  const vpcConfig = template.resources.OrdersFunction.properties.VpcConfig as Record<string, unknown>;
  assert.deepEqual(vpcConfig.SubnetIds, ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb']);
  assert.match(String(template.outputs.EndpointDns), /\.secretsmanager\.us-east-1\.vpce\.amazonaws\.com$/);
  assert.ok(isUnresolved(template.outputs.ApiUrl), 'ServerlessRestApi is created by the transform');
});

test(
  'CDK: SecureCart.template.json (when synthesized) loads',
  { skip: !existsSync(cdkTemplate) && 'cdk.out absent' },
  (t) => {
    const template = loadTemplate(cdkTemplate);
    assert.ok(Object.keys(template.resources).length > 0, 'has resources');
    assert.equal(template.stackName, 'SecureCart');
    t.diagnostic(`${Object.keys(template.resources).length} resources; unresolved:\n${summary(template)}`);
  },
);
