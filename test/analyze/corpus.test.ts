/**
 * Every real-world template in shared/corpus is checked without crashing, and every output
 * format renders. (What each should find is asserted where the model supports it; see below.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkTemplates } from '../../src/analyze/check.ts';
import { renderJson } from '../../src/analyze/report/json.ts';
import { renderSarif } from '../../src/analyze/report/sarif.ts';
import { renderText } from '../../src/analyze/report/text.ts';
import { RULES } from '../../src/analyze/rules/registry.ts';

// CI has shared/ beside the clone; the session has it at /work/shared.
const CORPUS = [resolve('../shared/corpus/templates'), '/work/shared/corpus/templates'].find((dir) =>
  existsSync(dir),
);

describe(
  'corpus',
  { skip: CORPUS ? false : 'shared/corpus/templates not found beside the repository' },
  () => {
    const files = CORPUS ? readdirSync(CORPUS).filter((name) => /\.(ya?ml|json)$/.test(name)) : [];

    it('has the thirteen templates', () => assert.equal(files.length, 13));

    for (const name of files) {
      it(`${name}: checks and renders text, JSON and SARIF`, () => {
        const result = checkTemplates([join(CORPUS ?? '', name)]);
        assert.equal(result.templates.length, 1);
        assert.ok(renderText(result, { color: false }).includes(name));
        assert.ok(Array.isArray((JSON.parse(renderJson(result)) as { findings: unknown[] }).findings));
        assert.equal((JSON.parse(renderSarif(result, RULES)) as { version: string }).version, '2.1.0');
      });
    }

    // Findings the corpus README describes and the current model can see.
    const expected: [string, string, string][] = [
      ['sqs-ecs-fargate-endpoints.yaml', 'endpoint-sg-open', 'VpcEndpointSecurityGroup'],
      ['sqs-ecs-fargate-endpoints.yaml', 'endpoint-policy-full-access', 'SQSVpcEndpoint'],
      // Only the Fargate task (isolated subnets, through the SQS endpoint) uses the queue, which has no queue policy.
      ['sqs-ecs-fargate-endpoints.yaml', 'resource-not-endpoint-restricted', 'Queue'],
      ['route53-alb-s3-interface-endpoint.yaml', 'interface-endpoint-for-gateway-service', 'VPCEndpointS3'],
      ['route53-alb-s3-interface-endpoint.yaml', 'endpoint-sg-open', 'VPCEndpointS3'],
      ['private-apigw-region-a.yaml', 'endpoint-sg-open', 'ExecuteApiInterfaceEndpoint'],
      ['cfn-endpoint-waitcondition-no-igw.json', 'endpoint-sg-open', 'CfnEndpoint'],
      ['bedrock-source-vpc-nat.yaml', 'flow-logs-missing', 'SourceVPC'],
      // ECR and Logs endpoints without private DNS: the task execution role's pulls and log writes go through the NAT.
      ['apigw-vpclink-alb-ecs.yaml', 'private-dns-disabled', 'ECRDkrEndpoint'],
      ['apigw-vpclink-alb-ecs.yaml', 'private-dns-disabled', 'CloudWatchLogsEndpoint'],
      ['apigw-vpclink-alb-ecs.yaml', 'aws-traffic-via-internet', 'ECSService'],
      // The SAM function's SG allows 443 only to the VPC CIDR: S3 through the gateway endpoint is blocked.
      ['lambda-s3-files-sam.yaml', 'access-blocked', 'S3FilesReaderFunction'],
    ];
    for (const [name, id, resource] of expected) {
      it(`${name}: ${id} on ${resource}`, () => {
        const result = checkTemplates([join(CORPUS ?? '', name)]);
        assert.ok(
          result.findings.some((finding) => finding.id === id && finding.resources.includes(resource)),
          result.findings.map((finding) => `${finding.id} ${finding.resources.join(',')}`).join('\n'),
        );
      });
    }

    it('secrets-agent-ec2-nat.yaml has a flow log, so no flow-logs-missing', () => {
      const result = checkTemplates([join(CORPUS ?? '', 'secrets-agent-ec2-nat.yaml')]);
      assert.ok(!result.findings.some((finding) => finding.id === 'flow-logs-missing'));
    });
  },
);
