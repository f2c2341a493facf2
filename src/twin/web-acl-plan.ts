/**
 * Which AWS WAF web ACL protects which API stage, as the API Gateway emulator runs it, and what the
 * twin says it does not evaluate: a web ACL associated with a stage ARN
 * (`arn:<partition>:apigateway:<region>::/restapis/<api-id>/stages/<stage>`) becomes that stage's
 * WebAclDef; rate-based rules aggregated per IP or for all requests run, every other rule is
 * named in a warning (it never fires here, so what it would block on AWS passes).
 */
import type { WebAclDef, WebAclRuleDef } from '../emulators/apigateway/index.ts';
import type { Model, WafRule, WebAcl } from '../model/index.ts';

export interface WebAclPlan {
  /** Keyed by `<api-id> <stage>`. */
  readonly byStage: Map<string, WebAclDef>;
  readonly warnings: string[];
}

const STAGE_ARN = /^arn:[^:]+:apigateway:[^:]*::\/restapis\/([^/]+)\/stages\/([^/]+)$/;

function ruleDef(acl: WebAcl, rule: WafRule, warnings: string[]): WebAclRuleDef {
  const statement = rule.statement;
  const skip = (what: string): WebAclRuleDef => {
    warnings.push(
      `WAF web ACL ${acl.logicalId} rule ${rule.name} (${what}): not evaluated by the twin — what it would block on AWS passes here`,
    );
    return { name: rule.name, kind: 'not-evaluated', what };
  };
  if (statement.kind === 'managed-rule-group')
    return skip(`managed rule group ${statement.vendor}/${statement.name}`);
  if (statement.kind === 'other') return skip(statement.type);
  // "The lowest limit setting allowed is 10" (the rate-based rule settings page).
  if (!(statement.limit >= 10))
    return skip(`rate-based rule with Limit ${statement.limit}, below the lowest AWS allows (10)`);
  if (![60, 120, 300, 600].includes(statement.windowSeconds))
    return skip(
      `rate-based rule with EvaluationWindowSec ${statement.windowSeconds}, not 60, 120, 300 or 600: AWS refuses it`,
    );
  if (statement.hasScopeDown) return skip('rate-based rule with a scope-down statement');
  if (statement.aggregateKeyType !== 'IP' && statement.aggregateKeyType !== 'CONSTANT')
    return skip(`rate-based rule aggregated by ${statement.aggregateKeyType}`);
  if (rule.action !== 'block' && rule.action !== 'count')
    return skip(`rate-based rule with action ${rule.action ?? 'none'}`);
  return {
    name: rule.name,
    kind: 'rate-based',
    action: rule.action,
    limit: statement.limit,
    windowSeconds: statement.windowSeconds,
    key: statement.aggregateKeyType,
  };
}

export function webAclPlan(model: Model): WebAclPlan {
  const byStage = new Map<string, WebAclDef>();
  const warnings: string[] = [];
  for (const association of model.webAclAssociations) {
    const acl = association.webAcl ? model.webAcls.get(association.webAcl) : undefined;
    const stage = STAGE_ARN.exec(association.resourceArn ?? '');
    if (!acl || !stage) {
      warnings.push(
        `${association.logicalId}: WAF association ${acl ? `of ${acl.logicalId} with ${association.resourceArn ?? 'an unresolved resource'}` : 'with a web ACL outside the template'}: not evaluated by the twin`,
      );
      continue;
    }
    byStage.set(`${stage[1]} ${stage[2]}`, {
      name: acl.name,
      defaultAction: acl.defaultAction,
      rules: acl.rules.map((rule) => ruleDef(acl, rule, warnings)),
    });
  }
  return { byStage, warnings };
}
