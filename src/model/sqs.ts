/**
 * SQS queues and their queue policies (AWS::SQS::QueuePolicy, whose `Queues` are queue URLs): a
 * queue policy is the queue's resource-based policy, as a bucket policy is a bucket's. Read as the
 * twin's queue plan reads them (src/twin/queue-plan.ts).
 */
import type { Template } from '../cloudformation/types.ts';
import { findUnresolved } from '../cloudformation/unresolved.ts';
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

/** A queue policy's document as the template writes it, by the queue URL its `Queues` name. */
export interface QueuePolicyDocument {
  /** The AWS::SQS::QueuePolicy. */
  readonly logicalId: string;
  readonly document: unknown;
  /** The document holds a value known only after deployment: neither the twin nor a rule can apply it. */
  readonly unresolved: boolean;
}

/**
 * Each queue URL's policy document, straight from the template (the twin's queue plan applies it,
 * the analyzer's sns-delivery-refused judges with it); the last AWS::SQS::QueuePolicy naming a
 * URL wins.
 */
export function queuePolicyDocuments(template: Template): Map<string, QueuePolicyDocument> {
  const byUrl = new Map<string, QueuePolicyDocument>();
  for (const resource of Object.values(template.resources)) {
    if (resource.type !== 'AWS::SQS::QueuePolicy') continue;
    const { Queues: queues, PolicyDocument: document } = resource.properties;
    const entry = {
      logicalId: resource.logicalId,
      document,
      unresolved: findUnresolved(document) !== undefined,
    };
    for (const url of Array.isArray(queues) ? queues : []) if (typeof url === 'string') byUrl.set(url, entry);
  }
  return byUrl;
}
