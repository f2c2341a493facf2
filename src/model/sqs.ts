/**
 * SQS queues and their queue policies (AWS::SQS::QueuePolicy, whose `Queues` are queue URLs): a
 * queue policy is the queue's resource-based policy, as a bucket policy is a bucket's. Read as the
 * twin's queue plan reads them (src/twin/queue-plan.ts).
 */
import type { BuildContext } from './context.ts';
import { logicalIdOf, str } from './refs.ts';
import { parsePolicy } from './vpc-endpoint.ts';

export interface Queue {
  readonly logicalId: string;
  /** What Ref returns for a queue: its URL. */
  readonly url: string;
  readonly arn: string;
  readonly name?: string;
  policy?: unknown;
  /** The AWS::SQS::QueuePolicy that holds `policy`. */
  policySource?: string;
}

export function buildQueues(ctx: BuildContext): Map<string, Queue> {
  const queues = new Map<string, Queue>();
  const { partition, region, accountId } = ctx.template;
  for (const resource of ctx.ofType('AWS::SQS::Queue')) {
    const name = str(resource.attributes.QueueName) ?? resource.physicalId.split('/').pop();
    queues.set(resource.logicalId, {
      logicalId: resource.logicalId,
      url: resource.physicalId,
      arn: str(resource.attributes.Arn) ?? `arn:${partition}:sqs:${region}:${accountId}:${name ?? ''}`,
      name,
    });
  }
  for (const resource of ctx.ofType('AWS::SQS::QueuePolicy')) {
    for (const ref of ctx.index('queue').refs(resource.properties.Queues, 'Queues')) {
      const queue = queues.get(logicalIdOf(ref) ?? '');
      if (!queue) {
        ctx.issue(resource.logicalId, 'policy of a queue outside the template: kept unattached');
        continue;
      }
      queue.policy = parsePolicy(resource.properties.PolicyDocument);
      queue.policySource = resource.logicalId;
    }
  }
  return queues;
}
