/**
 * private-api-not-restricted — a PRIVATE REST API whose resource policy does not require the
 * caller's VPC endpoint or VPC (aws:SourceVpce / aws:SourceVpc). Decided by the policy engine:
 * an Invoke from an endpoint that is not this template's (anonymous, and as an IAM role of the
 * account allowed everything) must be denied.
 * Source: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html
 */
import { compilePolicy, evaluate } from '../../policy/index.ts';
import { apiArn } from '../analysis.ts';
import type { Rule } from './rule.ts';

const FOREIGN_ENDPOINT = {
  'aws:SourceVpce': 'vpce-0ffffffffffffffff',
  'aws:SourceVpc': 'vpc-0ffffffffffffffff',
};
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

export const privateApiNotRestricted: Rule = {
  id: 'private-api-not-restricted',
  severity: 'error',
  title: 'A private REST API does not require the VPC endpoint',
  help:
    'A private API is reachable from any VPC endpoint for execute-api in any account that its resource policy allows. ' +
    'Its policy must deny (or only allow) requests by aws:SourceVpce or aws:SourceVpc so that only your endpoint or ' +
    'VPC can invoke it. Without a policy a private API cannot be invoked at all.',
  *check(analysis) {
    const { model } = analysis;
    for (const api of model.restApis.values()) {
      if (!api.endpointTypes.some((type) => type.toUpperCase() === 'PRIVATE')) continue;
      if (api.policy === undefined) {
        yield {
          resources: [api.logicalId],
          message: `private REST API ${api.logicalId} has no resource policy: nothing restricts it to your VPC endpoint (and AWS refuses every call until one is set)`,
          fix: 'add a Policy that allows execute-api:Invoke and denies it when aws:SourceVpce is not your endpoint',
        };
        continue;
      }
      const arn = apiArn(model, api.id);
      let policy;
      try {
        policy = compilePolicy(api.policy, `${api.logicalId}/Policy`, 'resource', { apiArn: arn });
      } catch {
        continue; // an invalid policy is reported by the analysis notes, not guessed at here
      }
      const resource = `${arn}/prod/GET/`;
      const anonymous = evaluate(
        {
          principal: 'anonymous',
          action: 'execute-api:Invoke',
          resource,
          resourceAccount: model.accountId,
          context: FOREIGN_ENDPOINT,
        },
        { resource: policy, apiGateway: { authorization: 'none', private: true } },
      );
      const role = `arn:${model.partition}:sts::${model.accountId}:assumed-role/any-role/session`;
      const signed = evaluate(
        {
          principal: role,
          action: 'execute-api:Invoke',
          resource,
          resourceAccount: model.accountId,
          context: FOREIGN_ENDPOINT,
        },
        {
          identity: [compilePolicy(ALLOW_ALL, 'allow-all', 'identity')],
          resource: policy,
          apiGateway: { authorization: 'iam', private: true },
        },
      );
      if (anonymous.decision === 'allowed' || signed.decision === 'allowed') {
        yield {
          resources: [api.logicalId],
          message: `private REST API ${api.logicalId}: its policy allows execute-api:Invoke from a VPC endpoint that is not yours (${anonymous.decision === 'allowed' ? 'even unauthenticated' : 'for IAM callers'})`,
          fix: 'add a Deny on execute-api:Invoke with StringNotEquals aws:SourceVpce (or aws:SourceVpc) naming your endpoint',
        };
      }
    }
  },
};
