/**
 * The template's SNS topics as the SNS emulator creates them: each AWS::SNS::Topic (its name and
 * ARN as the loader gave them: TopicName or `<stack>-<logicalId>-<13 chars>`), its subscriptions —
 * the topic's inline `Subscription` list and each AWS::SNS::Subscription naming it (Protocol sqs or
 * lambda, Endpoint, RawMessageDelivery, FilterPolicy with FilterPolicyScope MessageAttributes) — and
 * the policy of the AWS::SNS::TopicPolicy whose `Topics` name it, as the topic's resource-based
 * policy. What the twin cannot run is left out with a warning: FIFO topics, other protocols, a
 * filter policy it cannot evaluate, a value unknown before deployment.
 */
import { createHash } from 'node:crypto';
import type { Template } from '../cloudformation/types.ts';
import { findUnresolved } from '../cloudformation/unresolved.ts';
import { parseFilterPolicy } from '../emulators/sns/filter-policy.ts';
import type { SubscriptionDefinition, TopicDefinition } from '../emulators/sns/topic.ts';

export interface TopicPlan {
  readonly logicalId: string;
  readonly definition: TopicDefinition;
}

const PROTOCOLS = new Set(['sqs', 'lambda']);

/** A stable, UUID-shaped subscription id (AWS's are random UUIDs; the twin's survive restarts). */
function subscriptionArn(topicArn: string, logicalId: string): string {
  const hex = createHash('sha256').update(`${topicArn}/${logicalId}`).digest('hex');
  return `${topicArn}:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === 'True';
}

function subscriptionOf(
  owner: string,
  topicArn: string,
  props: Readonly<Record<string, unknown>>,
  warnings: string[],
): SubscriptionDefinition | undefined {
  if (findUnresolved(props)) {
    warnings.push(`${owner}: a property is unknown before deployment; the subscription is not made`);
    return undefined;
  }
  const protocol = typeof props.Protocol === 'string' ? props.Protocol.toLowerCase() : '';
  const endpoint = typeof props.Endpoint === 'string' ? props.Endpoint : '';
  if (!PROTOCOLS.has(protocol)) {
    warnings.push(`${owner}: protocol ${protocol || '?'} is not delivered by the twin (sqs and lambda only)`);
    return undefined;
  }
  let filterPolicy;
  if (props.FilterPolicy !== undefined) {
    try {
      filterPolicy = parseFilterPolicy(props.FilterPolicy, props.FilterPolicyScope);
    } catch (error) {
      warnings.push(
        `${owner}: ${error instanceof Error ? error.message : String(error)}; the subscription is not made`,
      );
      return undefined;
    }
  }
  return {
    arn: subscriptionArn(topicArn, owner),
    protocol,
    endpoint,
    rawMessageDelivery: isTrue(props.RawMessageDelivery),
    filterPolicy,
  };
}

export function topicPlans(template: Template, warnings: string[]): TopicPlan[] {
  const policies = new Map<string, unknown>();
  const subscriptions = new Map<string, SubscriptionDefinition[]>();
  for (const resource of Object.values(template.resources)) {
    if (resource.type === 'AWS::SNS::TopicPolicy') {
      const { Topics: topics, PolicyDocument: document } = resource.properties;
      if (findUnresolved(document)) {
        warnings.push(`${resource.logicalId}: its PolicyDocument is unknown before deployment; not applied`);
        continue;
      }
      for (const arn of Array.isArray(topics) ? topics : [])
        if (typeof arn === 'string') policies.set(arn, document);
    } else if (resource.type === 'AWS::SNS::Subscription') {
      const topicArn = resource.properties.TopicArn;
      if (typeof topicArn !== 'string') {
        warnings.push(`${resource.logicalId}: its TopicArn is unknown before deployment; not subscribed`);
        continue;
      }
      const s = subscriptionOf(resource.logicalId, topicArn, resource.properties, warnings);
      if (s) subscriptions.set(topicArn, [...(subscriptions.get(topicArn) ?? []), s]);
    }
  }
  const plans: TopicPlan[] = [];
  for (const resource of Object.values(template.resources)) {
    if (resource.type !== 'AWS::SNS::Topic') continue;
    const arn = resource.physicalId;
    const name = typeof resource.attributes.TopicName === 'string' ? resource.attributes.TopicName : '';
    if (!name || typeof arn !== 'string' || findUnresolved(arn)) {
      warnings.push(
        `${resource.logicalId}: its topic name is unknown before deployment; the topic is not created`,
      );
      continue;
    }
    if (isTrue(resource.properties.FifoTopic) || name.endsWith('.fifo')) {
      warnings.push(
        `${resource.logicalId}: FIFO topics are not run by the twin (ordering and deduplication are not emulated); the topic is not created`,
      );
      continue;
    }
    const inline = Array.isArray(resource.properties.Subscription) ? resource.properties.Subscription : [];
    const own = inline.flatMap((item, i) => {
      const s =
        typeof item === 'object' && item !== null
          ? subscriptionOf(
              `${resource.logicalId}.Subscription[${i}]`,
              arn,
              item as Record<string, unknown>,
              warnings,
            )
          : undefined;
      return s ? [s] : [];
    });
    plans.push({
      logicalId: resource.logicalId,
      definition: {
        name,
        arn,
        displayName:
          typeof resource.properties.DisplayName === 'string' ? resource.properties.DisplayName : undefined,
        policy: policies.get(arn),
        subscriptions: [...own, ...(subscriptions.get(arn) ?? [])],
      },
    });
  }
  return plans;
}
