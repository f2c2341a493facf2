/**
 * Whether SNS may deliver to a subscribed queue or function: SNS sends as the service principal
 * `sns.amazonaws.com` with `aws:SourceArn` = the topic's ARN and `aws:SourceAccount` = its account,
 * so the queue's policy must allow `sqs:SendMessage` (the function's permissions
 * `lambda:InvokeFunction`) to that principal for that topic. Evaluated against the resource policy
 * alone (a service principal has no identity policies). Pure: the twin's delivery
 * (src/twin/sns-delivery.ts) and the analyzer's `sns-delivery-refused` decide with it.
 * Sources: docs/emulator-semantics.md, "SNS".
 */
import { compilePolicy } from './compile.ts';
import { evaluate } from './evaluate.ts';

export const SNS_PRINCIPAL = 'sns.amazonaws.com';

export interface DeliveryResult {
  readonly delivered: boolean;
  /** Why a delivery was not made. */
  readonly reason?: string;
}

/** Whether `sns.amazonaws.com`, for `topicArn`, may perform `action` on `resource` under `policyText`. */
export function snsMayDeliver(
  policyText: string | undefined,
  action: string,
  resource: string,
  topicArn: string,
): DeliveryResult {
  if (!policyText)
    return {
      delivered: false,
      reason: `${resource} has no resource-based policy, so nothing allows ${SNS_PRINCIPAL} to perform ${action} on it for ${topicArn}`,
    };
  const policy = compilePolicy(JSON.parse(policyText), `${resource} policy`, 'resource');
  const account = topicArn.split(':')[4] ?? '';
  const decision = evaluate(
    {
      principal: SNS_PRINCIPAL,
      action,
      resource,
      context: {
        'aws:SourceArn': topicArn,
        'aws:SourceAccount': account,
        'aws:PrincipalServiceName': SNS_PRINCIPAL,
        'aws:SecureTransport': 'true',
        'aws:ViaAWSService': 'false',
      },
    },
    { resource: policy },
  );
  if (decision.decision === 'allowed') return { delivered: true };
  return {
    delivered: false,
    reason: `${resource}'s policy does not allow ${SNS_PRINCIPAL} to perform ${action} for ${topicArn} (${decision.decision})`,
  };
}
