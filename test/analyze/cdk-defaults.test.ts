/**
 * CDK's defaults, as a reviewer sees them: a Vpc with natGateways 1 and an interface endpoint
 * added with addInterfaceEndpoint and no options, plus a VPC function that reads a bucket and a
 * secret (grantRead). Synthesized here with aws-cdk-lib; the findings must be exactly these.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { checkTemplates } from '../../src/analyze/check.ts';

function synthesizeDefaults(): string {
  const app = new App();
  const stack = new Stack(app, 'CdkDefaults', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 1, maxAzs: 2 });
  vpc.addInterfaceEndpoint('SecretsManager', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER });
  const bucket = new s3.Bucket(stack, 'Images');
  const secret = new secretsmanager.Secret(stack, 'ApiKey');
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    vpc,
  });
  bucket.grantRead(fn);
  secret.grantRead(fn);
  const file = join(mkdtempSync(join(tmpdir(), 'cdk-defaults-')), 'CdkDefaults.template.json');
  writeFileSync(file, JSON.stringify(Template.fromStack(stack).toJSON(), null, 1));
  return file;
}

describe("CDK's defaults", () => {
  const result = checkTemplates([synthesizeDefaults()]);
  const byId = (id: string) => result.findings.filter((finding) => finding.id === id);

  it('trigger exactly the findings a reviewer expects', () => {
    assert.deepEqual([...new Set(result.findings.map((finding) => finding.id))].sort(), [
      'aws-traffic-via-internet', // S3 through the NAT gateway: no gateway endpoint
      'endpoint-policy-full-access', // addInterfaceEndpoint sets no policy
      'endpoint-sg-open', // CDK's endpoint SG admits 443 from the VPC CIDR
      'flow-logs-missing', // ec2.Vpc adds no flow log by default
      'resource-not-endpoint-restricted', // neither the bucket nor the secret denies access outside an endpoint
    ]);
  });

  it('the NAT finding is about S3, and Secrets Manager goes through the endpoint (CDK turns private DNS on)', () => {
    const [nat] = byId('aws-traffic-via-internet');
    assert.match(nat.message, /reaches s3 through the NAT gateway/);
    const secretRows = result.matrix.filter((row) => row.service === 'secretsmanager');
    assert.ok(secretRows.length > 0);
    assert.ok(secretRows.every((row) => row.route === 'interface-endpoint' && row.decision === 'allowed'));
  });

  it("the endpoint SG finding names the VPC's CIDR", () => {
    const [open] = byId('endpoint-sg-open');
    assert.match(open.message, /admits 443 from 10\.0\.0\.0\/16/);
  });

  it('prices the S3 traffic as NAT data processing (a gateway endpoint would make it free)', () => {
    const cost = result.costs[0].estimate;
    const natData = cost.asWritten.lines.find((line) => line.item === 'NAT gateway data processed');
    // The shipped profile: 100 GB/month of S3 per workload, at $0.045/GB.
    assert.equal(natData?.quantity, 100);
    assert.equal(natData?.monthlyUsd, 4.5);
  });
});
