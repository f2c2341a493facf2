/**
 * The rules, in the order of the stable ids (finding.ts). Running them turns an analysis into
 * findings carrying the template file and the primary resource's line.
 */
import type { Analysis } from '../analysis.ts';
import { compareFindings, RULE_IDS, type Finding } from '../finding.ts';
import { accessBlocked } from './access-blocked.ts';
import { apiLambdaPermissionMissing } from './api-lambda-permission-missing.ts';
import { awsTrafficViaInternet } from './aws-traffic-via-internet.ts';
import { bucketPolicyPublic } from './bucket-policy-public.ts';
import { bucketPublicAccessNotBlocked } from './bucket-public-access-not-blocked.ts';
import { endpointPolicyFullAccess } from './endpoint-policy-full-access.ts';
import { endpointRouteMissing } from './endpoint-route-missing.ts';
import { endpointSgOpen } from './endpoint-sg-open.ts';
import { flowLogsMissing } from './flow-logs-missing.ts';
import { identityPolicyTooBroad } from './identity-policy-too-broad.ts';
import { interfaceEndpointForGatewayService } from './interface-endpoint-for-gateway-service.ts';
import { policyConditionBypass } from './policy-condition-bypass.ts';
import { privateApiNotRestricted } from './private-api-not-restricted.ts';
import { privateDnsDisabled } from './private-dns-disabled.ts';
import { resourceNotEndpointRestricted } from './resource-not-endpoint-restricted.ts';
import { snsDeliveryRefused } from './sns-delivery-refused.ts';
import type { Rule } from './rule.ts';

const BY_ID: Record<(typeof RULE_IDS)[number], Rule> = {
  'aws-traffic-via-internet': awsTrafficViaInternet,
  'endpoint-policy-full-access': endpointPolicyFullAccess,
  'identity-policy-too-broad': identityPolicyTooBroad,
  'endpoint-sg-open': endpointSgOpen,
  'interface-endpoint-for-gateway-service': interfaceEndpointForGatewayService,
  'flow-logs-missing': flowLogsMissing,
  'private-api-not-restricted': privateApiNotRestricted,
  'resource-not-endpoint-restricted': resourceNotEndpointRestricted,
  'private-dns-disabled': privateDnsDisabled,
  'endpoint-route-missing': endpointRouteMissing,
  'access-blocked': accessBlocked,
  'policy-condition-bypass': policyConditionBypass,
  'bucket-policy-public': bucketPolicyPublic,
  'bucket-public-access-not-blocked': bucketPublicAccessNotBlocked,
  'api-lambda-permission-missing': apiLambdaPermissionMissing,
  'sns-delivery-refused': snsDeliveryRefused,
};

export const RULES: readonly Rule[] = RULE_IDS.map((id) => BY_ID[id]);

/** Runs every rule; a rule that throws is a bug, reported as such with the rule's id. */
export function runRules(analysis: Analysis, rules: readonly Rule[] = RULES): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    let produced;
    try {
      produced = [...rule.check(analysis)];
    } catch (error) {
      throw new Error(
        `rule ${rule.id} failed on ${analysis.file}: ${(error as Error).stack ?? String(error)}`,
      );
    }
    for (const finding of produced) {
      const primary = finding.resources[0];
      const line = primary === undefined ? undefined : analysis.template.resources[primary]?.line;
      findings.push({
        id: rule.id,
        severity: rule.severity,
        ...finding,
        file: analysis.file,
        ...(line === undefined ? {} : { line }),
      });
    }
  }
  return findings.sort(compareFindings);
}
