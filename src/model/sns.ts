/**
 * SNS topics and their topic policies (AWS::SNS::TopicPolicy, whose `Topics` are topic ARNs): a
 * topic policy is the topic's resource-based policy. Read as the twin's topic plan reads them
 * (src/twin/topic-plan.ts).
 */
import type { BuildContext } from './context.ts';
import { logicalIdOf, str } from './refs.ts';
import { parsePolicy } from './vpc-endpoint.ts';

export interface Topic {
  readonly logicalId: string;
  /** What Ref returns for a topic: its ARN. */
  readonly arn: string;
  readonly name?: string;
  policy?: unknown;
  /** The AWS::SNS::TopicPolicy that holds `policy`. */
  policySource?: string;
}

export function buildTopics(ctx: BuildContext): Map<string, Topic> {
  const topics = new Map<string, Topic>();
  for (const resource of ctx.ofType('AWS::SNS::Topic')) {
    topics.set(resource.logicalId, {
      logicalId: resource.logicalId,
      arn: str(resource.attributes.TopicArn) ?? resource.physicalId,
      name: str(resource.attributes.TopicName),
    });
  }
  for (const resource of ctx.ofType('AWS::SNS::TopicPolicy')) {
    for (const ref of ctx.index('topic').refs(resource.properties.Topics, 'Topics')) {
      const topic = topics.get(logicalIdOf(ref) ?? '');
      if (!topic) {
        ctx.issue(resource.logicalId, 'policy of a topic outside the template: kept unattached');
        continue;
      }
      topic.policy = parsePolicy(resource.properties.PolicyDocument);
      topic.policySource = resource.logicalId;
    }
  }
  return topics;
}
