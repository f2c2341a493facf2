/**
 * SNS request → `sns:<Action>` on the topic ARN (`TopicArn`, or `TargetArn` for Publish);
 * ListTopics on `*`. PublishBatch is authorized as `sns:Publish` ("PublishBatch … requires the
 * sns:Publish permission", docs/emulator-semantics.md, "SNS"). The topic policy
 * (AWS::SNS::TopicPolicy) is the topic's resource-based policy.
 */
import type { Classified, ServiceRequest } from '../plugin.ts';
import { inputOf, operationOf, type Input } from './wire.ts';

const ACTIONS: Readonly<Record<string, string>> = { PublishBatch: 'Publish' };

export function classifySns(req: ServiceRequest): Classified {
  const operation = operationOf(req);
  let input: Input = {};
  try {
    input = inputOf(req);
  } catch {
    // handle() reports it.
  }
  const action = `sns:${ACTIONS[operation] ?? operation}`;
  const arn = typeof input.TopicArn === 'string' ? input.TopicArn : input.TargetArn;
  const resource = operation !== 'ListTopics' && typeof arn === 'string' && arn !== '' ? arn : '*';
  const isTopic = resource !== '*';
  return {
    service: 'sns',
    operation,
    actions: [action],
    resources: [resource],
    checks: [{ action, resource }],
    resourceOwner: isTopic ? 'topic' : undefined,
    policyArns: isTopic ? [resource] : [],
    serviceKeys: {},
  };
}
