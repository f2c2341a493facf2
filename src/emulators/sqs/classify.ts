/**
 * SQS request → `sqs:<Action>` on the queue's ARN (`arn:aws:sqs:<region>:<account>:<name>`, from
 * the QueueUrl, or the QueueName for GetQueueUrl); ListQueues on `*`. The batch operations are
 * authorized as their single forms: "permissions for SendMessageBatch, DeleteMessageBatch, and
 * ChangeMessageVisibilityBatch are the same as for SendMessage, DeleteMessage, and
 * ChangeMessageVisibility" (docs/emulator-semantics.md, "SQS").
 */
import type { Classified, ServiceRequest } from '../plugin.ts';
import { parseQueueUrl, queueArn } from './queue-url.ts';
import { inputOf, operationOf, type Input } from './wire.ts';

const BATCH_ACTIONS: Readonly<Record<string, string>> = {
  SendMessageBatch: 'SendMessage',
  DeleteMessageBatch: 'DeleteMessage',
  ChangeMessageVisibilityBatch: 'ChangeMessageVisibility',
};

const ACCOUNT_LEVEL = new Set(['ListQueues', 'CreateQueue']);

export function classifySqs(req: ServiceRequest, region: string, accountId: string): Classified {
  const operation = operationOf(req);
  let input: Input = {};
  try {
    input = inputOf(req);
  } catch {
    // handle() reports the malformed body.
  }
  const action = `sqs:${BATCH_ACTIONS[operation] ?? operation}`;
  let resource = '*';
  if (!ACCOUNT_LEVEL.has(operation)) {
    if (typeof input.QueueUrl === 'string') {
      const ref = parseQueueUrl(input.QueueUrl);
      resource = ref
        ? queueArn(region, ref.accountId, ref.name)
        : queueArn(region, accountId, input.QueueUrl);
    } else if (typeof input.QueueName === 'string') {
      const owner =
        typeof input.QueueOwnerAWSAccountId === 'string' ? input.QueueOwnerAWSAccountId : accountId;
      resource = queueArn(region, owner, input.QueueName);
    }
  } else if (operation === 'CreateQueue' && typeof input.QueueName === 'string') {
    resource = queueArn(region, accountId, input.QueueName);
  }
  const isQueue = resource !== '*';
  return {
    service: 'sqs',
    operation,
    actions: [action],
    resources: [resource],
    checks: [{ action, resource }],
    resourceOwner: isQueue ? 'queue' : undefined,
    policyArns: isQueue ? [resource] : [],
    serviceKeys: {},
  };
}
