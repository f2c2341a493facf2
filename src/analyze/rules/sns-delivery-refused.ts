/**
 * sns-delivery-refused — an SNS subscription (AWS::SNS::Subscription, or a `Subscription` entry of an
 * AWS::SNS::Topic) with Protocol `sqs` to a queue of the template, or `lambda` to a function of the
 * template, that SNS may not deliver to: SNS sends as `sns.amazonaws.com` with `aws:SourceArn` = the
 * topic, and the queue's policy (AWS::SQS::QueuePolicy) must allow `sqs:SendMessage` to it, the
 * function's permissions (AWS::Lambda::Permission) `lambda:InvokeFunction`. Without that AWS drops
 * the messages and the publisher never learns it. Decided by the twin's own decision function
 * (src/policy/sns-delivery.ts `snsMayDeliver`), the queue policy and the permissions read as the twin
 * reads them (src/twin/queue-plan.ts, src/model/lambda-permissions.ts `policyOf`).
 * Sources: docs/emulator-semantics.md, "SNS"; the SNS developer guide, "Amazon SNS access control use
 * cases" (allow Amazon SNS to publish messages to your Amazon SQS queue).
 */
import type { Template } from '../../cloudformation/types.ts';
import { findUnresolved } from '../../cloudformation/unresolved.ts';
import { LambdaPermissions } from '../../model/lambda-permissions.ts';
import { queuePolicyDocuments } from '../../model/sqs.ts';
import { SNS_PRINCIPAL, snsMayDeliver } from '../../policy/sns-delivery.ts';
import type { Rule, RuleFinding } from './rule.ts';

interface Subscription {
  /** The subscription's name: its logical id, or `<Topic>.Subscription[i]` for an inline one. */
  readonly name: string;
  /** Logical ids naming it, the template resource first. */
  readonly resources: readonly string[];
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
}

export const snsDeliveryRefused: Rule = {
  id: 'sns-delivery-refused',
  severity: 'error',
  title: 'SNS may not deliver to a subscribed queue or function: its messages are dropped',
  help:
    'SNS delivers to an SQS queue or a Lambda function as the service principal sns.amazonaws.com, with aws:SourceArn ' +
    "the topic's ARN. The queue's policy (AWS::SQS::QueuePolicy) must allow sqs:SendMessage to that principal for the " +
    "topic, the function's permissions (AWS::Lambda::Permission) lambda:InvokeFunction. Without it AWS drops every " +
    'message while Publish still succeeds. The twin refuses such deliveries the same way.',
  *check(analysis) {
    const { model, template } = analysis;
    const topics = new Map<string, string>();
    const queues = new Map<string, { logicalId: string; url: string }>();
    for (const [logicalId, resource] of Object.entries(template.resources)) {
      if (resource.type === 'AWS::SNS::Topic' && typeof resource.physicalId === 'string')
        topics.set(resource.physicalId, logicalId);
      if (resource.type === 'AWS::SQS::Queue' && typeof resource.attributes.Arn === 'string')
        queues.set(resource.attributes.Arn, { logicalId, url: resource.physicalId });
    }
    const functions = new Map(
      [...model.functions.values()].flatMap((fn) => (fn.arn ? [[fn.arn, fn.logicalId] as const] : [])),
    );
    const queuePolicies = queuePolicyDocuments(template);
    let permissions: LambdaPermissions | undefined;
    for (const s of subscriptionsOf(template)) {
      const topic = topics.get(s.topicArn);
      const topicName = topic ?? s.topicArn;
      const resources = [...s.resources, ...(topic && !s.resources.includes(topic) ? [topic] : [])];
      if (s.protocol === 'sqs') {
        const queue = queues.get(s.endpoint);
        if (!queue) continue;
        const written = queuePolicies.get(queue.url);
        if (written?.unresolved) continue; // unknown before deployment: not decided
        const policy = written ? JSON.stringify(written.document) : undefined;
        if (decide(policy, 'sqs:SendMessage', s.endpoint, s.topicArn)) continue;
        yield refused([...resources, queue.logicalId], {
          message: `messages published to ${topicName} are dropped: the queue policy of ${queue.logicalId} does not allow sqs:SendMessage for ${SNS_PRINCIPAL} from this topic (subscription ${s.name}${policy === undefined ? `; ${queue.logicalId} has no queue policy` : ''})`,
          fix: `add an AWS::SQS::QueuePolicy allowing sqs:SendMessage to Principal {Service: ${SNS_PRINCIPAL}} with Condition ArnEquals aws:SourceArn ${s.topicArn}`,
        });
      } else if (s.protocol === 'lambda') {
        const fn = functions.get(s.endpoint);
        if (!fn) continue;
        permissions ??= new LambdaPermissions(template, model);
        if (decide(permissions.policyOf(s.endpoint), 'lambda:InvokeFunction', s.endpoint, s.topicArn))
          continue;
        yield refused([...resources, fn], {
          message: `messages published to ${topicName} are dropped: the permissions of ${fn} do not allow lambda:InvokeFunction for ${SNS_PRINCIPAL} from this topic (subscription ${s.name})`,
          fix: `add an AWS::Lambda::Permission for ${fn} with Action lambda:InvokeFunction, Principal ${SNS_PRINCIPAL} and SourceArn ${s.topicArn}`,
        });
      }
    }
  },
};

function refused(resources: readonly string[], text: { message: string; fix: string }): RuleFinding {
  return { resources: [...new Set(resources)], ...text };
}

/** True when SNS may deliver; a policy the engine cannot compile is left to other checks (true). */
function decide(policyText: string | undefined, action: string, resource: string, topicArn: string): boolean {
  try {
    return snsMayDeliver(policyText, action, resource, topicArn).delivered;
  } catch {
    return true;
  }
}

/** Every subscription of the template whose topic ARN, protocol and endpoint are known. */
function* subscriptionsOf(template: Template): Generator<Subscription> {
  const of = (
    name: string,
    resources: readonly string[],
    topicArn: unknown,
    props: unknown,
  ): Subscription | undefined => {
    if (typeof props !== 'object' || props === null) return undefined;
    const { Protocol: protocol, Endpoint: endpoint } = props as Record<string, unknown>;
    if (typeof topicArn !== 'string' || findUnresolved(topicArn)) return undefined;
    if (typeof protocol !== 'string' || typeof endpoint !== 'string' || findUnresolved(endpoint))
      return undefined;
    return { name, resources, topicArn, protocol: protocol.toLowerCase(), endpoint };
  };
  for (const [logicalId, resource] of Object.entries(template.resources)) {
    if (resource.type === 'AWS::SNS::Subscription') {
      const s = of(logicalId, [logicalId], resource.properties.TopicArn, resource.properties);
      if (s) yield s;
    } else if (resource.type === 'AWS::SNS::Topic') {
      const inline = Array.isArray(resource.properties.Subscription) ? resource.properties.Subscription : [];
      for (const [i, item] of inline.entries()) {
        const s = of(`${logicalId}.Subscription[${i}]`, [logicalId], resource.physicalId, item);
        if (s) yield s;
      }
    }
  }
}
