/**
 * resource-not-endpoint-restricted — a bucket, secret, table, SQS queue or SNS topic that only VPC
 * workloads use, whose resource policy (bucket, secret, table, queue or topic policy) does not deny
 * access from outside the VPC endpoint. Decided by the policy
 * engine: a same-account caller allowed everything by IAM, calling from the internet (no
 * aws:SourceVpce), must meet an explicit deny.
 * Source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies-vpc-endpoint.html
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-internetwork-traffic-privacy.html
 * https://docs.aws.amazon.com/sns/latest/dg/sns-internetwork-traffic-privacy.html
 */
import { compilePolicy, evaluate } from '../../policy/index.ts';
import type { Model } from '../../model/index.ts';
import type { MatrixRow } from '../result.ts';
import { listOf } from '../finding.ts';
import type { Rule } from './rule.ts';

const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const INTERNET_CONTEXT = { 'aws:SourceIp': '203.0.113.10', 'aws:SecureTransport': 'true' };

export const resourceNotEndpointRestricted: Rule = {
  id: 'resource-not-endpoint-restricted',
  severity: 'warning',
  title: 'A bucket/secret/table/queue/topic used only from the VPC does not deny access outside the endpoint',
  help:
    'When only VPC workloads use a bucket, secret, table, SQS queue or SNS topic, its resource policy should deny ' +
    'every request that does ' +
    'not come through your VPC endpoint (Deny with StringNotEquals aws:SourceVpce), so stolen credentials are useless ' +
    'outside the VPC. IAM alone cannot express where a request comes from.',
  *check(analysis) {
    const { model } = analysis;
    const rowsByResource = new Map<string, MatrixRow[]>();
    for (const row of analysis.matrix) {
      if (!row.resourceLogicalId) continue;
      const id = row.resourceLogicalId;
      if (kindOf(model, id) === undefined) continue;
      const rows = rowsByResource.get(id) ?? [];
      rows.push(row);
      rowsByResource.set(id, rows);
    }
    const allowAll = compilePolicy(ALLOW_ALL, 'allow-all', 'identity');
    for (const [id, rows] of rowsByResource) {
      const users = [...new Set(rows.map((row) => row.workload))];
      if (!users.every((user) => model.workloadsById.get(user)?.vpc !== undefined)) continue;
      const document =
        model.buckets.get(id)?.policy ??
        model.secrets.get(id)?.resourcePolicy ??
        model.tables.get(id)?.resourcePolicy ??
        model.queues.get(id)?.policy ??
        model.topics.get(id)?.policy;
      let denied = false;
      if (document !== undefined) {
        try {
          const policy = compilePolicy(document, id, 'resource');
          const caller = `arn:${model.partition}:sts::${model.accountId}:assumed-role/outside-caller/session`;
          denied = rows.every(
            (row) =>
              evaluate(
                {
                  principal: caller,
                  action: row.action,
                  resource: row.resource,
                  resourceAccount: model.accountId,
                  context: INTERNET_CONTEXT,
                },
                { identity: [allowAll], resource: policy },
              ).decision === 'explicit-deny',
          );
        } catch {
          continue; // invalid policy: reported in the analysis notes
        }
      }
      if (denied) continue;
      const kind = kindOf(model, id) ?? 'table';
      yield {
        resources: [id, ...users],
        message: `${kind} ${id} is used only by VPC workloads (${listOf(users)}) but ${document === undefined ? 'it has no resource policy to deny' : 'its resource policy does not deny'} requests from outside the VPC endpoint`,
        fix: `add a resource policy statement: Deny all actions when StringNotEquals aws:SourceVpce is not your ${ENDPOINT_OF[kind]} endpoint`,
      };
    }
  },
};

type Kind = 'bucket' | 'secret' | 'table' | 'queue' | 'topic';

const ENDPOINT_OF: Readonly<Record<Kind, string>> = {
  bucket: 'S3',
  secret: 'Secrets Manager',
  table: 'DynamoDB',
  queue: 'SQS',
  topic: 'SNS',
};

function kindOf(model: Model, id: string): Kind | undefined {
  if (model.buckets.has(id)) return 'bucket';
  if (model.secrets.has(id)) return 'secret';
  if (model.tables.has(id)) return 'table';
  if (model.queues.has(id)) return 'queue';
  if (model.topics.has(id)) return 'topic';
  return undefined;
}
