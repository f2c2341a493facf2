/**
 * The template's SQS queues as the SQS emulator creates them: each AWS::SQS::Queue with its name
 * (QueueName, or the name the loader generated as CloudFormation does — the last segment of its
 * URL), its configuration properties, and the policy of the AWS::SQS::QueuePolicy whose `Queues`
 * (queue URLs) name it — a queue policy is the queue's resource-based policy, as a bucket policy
 * is a bucket's. A property whose value is unknown before deployment is left out, with a warning.
 */
import type { Template } from '../cloudformation/types.ts';
import { findUnresolved } from '../cloudformation/unresolved.ts';
import type { QueueDefinition } from '../emulators/sqs/plugin.ts';
import { queuePolicyDocuments } from '../model/sqs.ts';

export interface QueuePlan {
  readonly logicalId: string;
  readonly url: string;
  readonly arn?: string;
  readonly definition: QueueDefinition;
}

const SETTINGS = [
  'VisibilityTimeout',
  'MessageRetentionPeriod',
  'DelaySeconds',
  'ReceiveMessageWaitTimeSeconds',
  'MaximumMessageSize',
  'FifoQueue',
  'ContentBasedDeduplication',
  'RedrivePolicy',
];

export function queuePlans(template: Template, warnings: string[]): QueuePlan[] {
  const policies = queuePolicyDocuments(template);
  const unknown = new Set([...policies.values()].filter((p) => p.unresolved).map((p) => p.logicalId));
  for (const logicalId of unknown)
    warnings.push(`${logicalId}: its PolicyDocument is unknown before deployment; not applied`);
  const plans: QueuePlan[] = [];
  for (const resource of Object.values(template.resources)) {
    if (resource.type !== 'AWS::SQS::Queue') continue;
    const url = resource.physicalId;
    const name = typeof resource.attributes.QueueName === 'string' ? resource.attributes.QueueName : '';
    if (!name) {
      warnings.push(
        `${resource.logicalId}: its queue name is unknown before deployment; the queue is not created`,
      );
      continue;
    }
    const attributes: Record<string, unknown> = {};
    for (const key of SETTINGS) {
      const value = resource.properties[key];
      if (value === undefined) continue;
      if (findUnresolved(value)) {
        warnings.push(
          `${resource.logicalId}: ${key} is unknown before deployment; the queue uses SQS's default`,
        );
        continue;
      }
      attributes[key] = value;
    }
    plans.push({
      logicalId: resource.logicalId,
      url,
      arn: typeof resource.attributes.Arn === 'string' ? resource.attributes.Arn : undefined,
      definition: {
        name,
        attributes,
        policy: policies.get(url)?.unresolved === false ? policies.get(url)?.document : undefined,
      },
    });
  }
  return plans;
}
