/**
 * What a template holds that the twin does not run, said at boot so nobody mistakes silence for
 * support: the containers of ECS services and the software of EC2 instances (their entries and
 * credentials in twin.json let any process act as them), and the resources of services with no
 * emulator (EventBridge, Step Functions, …), whose calls are still traced through the VPC and answered 501
 * NotImplemented (docs/emulator-semantics.md, "Services the twin does not run").
 */
import type { Template } from '../cloudformation/types.ts';
import type { Model } from '../model/index.ts';

/**
 * Services the twin runs or models — or that hold only configuration it reads (IAM, logs, alarms,
 * the template's own machinery). A resource of any other service gets a warning.
 */
const COVERED_SERVICES = new Set([
  'EC2',
  'IAM',
  'Lambda',
  'Serverless',
  'ApiGateway',
  'S3',
  'DynamoDB',
  'SecretsManager',
  'KMS',
  'RDS',
  'SQS',
  'SNS',
  'WAFv2',
  'Logs',
  'CloudWatch',
  'CloudFormation',
  'CDK',
  // Workloads: an ECS service or an EC2 instance is named on its own line.
  'ECS',
]);

export function notRunWarnings(template: Template, model: Model): string[] {
  const warnings: string[] = [];
  for (const workload of model.workloads) {
    if (workload.kind !== 'ec2' && workload.kind !== 'ecs') continue;
    const type = template.resources[workload.logicalId]?.type ?? workload.kind;
    warnings.push(
      `${workload.logicalId} (${type}): its ${workload.kind === 'ecs' ? 'containers are' : 'software is'} not run by the twin; act as it through its entry and credentials in twin.json`,
    );
  }
  const byService = new Map<string, string[]>();
  for (const [logicalId, resource] of Object.entries(template.resources)) {
    const service = resource.type.split('::')[1];
    if (!resource.type.startsWith('AWS::') || service === undefined || COVERED_SERVICES.has(service))
      continue;
    const ids = byService.get(service) ?? [];
    ids.push(`${logicalId} (${resource.type})`);
    byService.set(service, ids);
  }
  for (const [service, ids] of byService)
    warnings.push(
      `${service}: ${ids.join(', ')} not run by the twin (nothing serves them); API calls to ${service} are traced through the VPC like every call and answered 501 NotImplemented`,
    );
  return warnings;
}
