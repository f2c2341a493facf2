/**
 * AWS WAF web ACLs (`AWS::WAFv2::WebACL`) and what they protect (`AWS::WAFv2::WebACLAssociation`):
 * the default action and, per rule in priority order, its action and statement. Rate-based rules
 * are modelled field by field; other statements are kept by their type so that whoever runs the
 * ACL can say what it does not evaluate.
 */
import { isUnresolved } from '../cloudformation/unresolved.ts';
import type { BuildContext } from './context.ts';
import { list, num, obj, str } from './refs.ts';

export type WafAction = 'allow' | 'block' | 'count' | 'captcha' | 'challenge';

export type WafStatement =
  | {
      readonly kind: 'rate-based';
      readonly limit: number;
      /** EvaluationWindowSec: 60, 120, 300 or 600. @default 300 */
      readonly windowSeconds: number;
      /** AggregateKeyType: IP, FORWARDED_IP, CUSTOM_KEYS or CONSTANT. */
      readonly aggregateKeyType: string;
      readonly hasScopeDown: boolean;
    }
  | { readonly kind: 'managed-rule-group'; readonly vendor: string; readonly name: string }
  | { readonly kind: 'other'; readonly type: string };

export interface WafRule {
  readonly name: string;
  readonly priority: number;
  /** The rule's action; undefined for a rule group, which has an OverrideAction instead. */
  readonly action?: WafAction;
  readonly statement: WafStatement;
}

export interface WebAcl {
  readonly logicalId: string;
  readonly name: string;
  readonly defaultAction: 'allow' | 'block';
  /** In priority order (lowest first), as WAF evaluates them. */
  readonly rules: readonly WafRule[];
}

export interface WebAclAssociation {
  readonly logicalId: string;
  /** The web ACL of this template, when the association names one. */
  readonly webAcl?: string;
  /** The protected resource's ARN (an API Gateway stage, a load balancer…), when resolved. */
  readonly resourceArn?: string;
}

export interface WafModel {
  readonly webAcls: Map<string, WebAcl>;
  readonly webAclAssociations: WebAclAssociation[];
}

const ACTIONS: readonly WafAction[] = ['allow', 'block', 'count', 'captcha', 'challenge'];

function actionOf(value: unknown): WafAction | undefined {
  const action = obj(value);
  if (!action) return undefined;
  return ACTIONS.find((a) => Object.keys(action).some((k) => k.toLowerCase() === a));
}

function statementOf(value: unknown): WafStatement {
  const statement = obj(value) ?? {};
  const rate = obj(statement.RateBasedStatement);
  if (rate) {
    return {
      kind: 'rate-based',
      limit: num(rate.Limit) ?? 0,
      windowSeconds: num(rate.EvaluationWindowSec) ?? 300,
      aggregateKeyType: str(rate.AggregateKeyType) ?? 'IP',
      hasScopeDown: rate.ScopeDownStatement !== undefined,
    };
  }
  const managed = obj(statement.ManagedRuleGroupStatement);
  if (managed)
    return {
      kind: 'managed-rule-group',
      vendor: str(managed.VendorName) ?? '?',
      name: str(managed.Name) ?? '?',
    };
  return { kind: 'other', type: Object.keys(statement)[0] ?? 'empty statement' };
}

/** The logical id behind `!GetAtt Acl.Arn` (unresolved before deployment) or the ACL's ARN. */
function webAclOf(value: unknown, acls: Map<string, WebAcl>): string | undefined {
  if (isUnresolved(value)) {
    const getAtt = obj(value.expression)?.['Fn::GetAtt'];
    const target = Array.isArray(getAtt) ? str(getAtt[0]) : str(getAtt)?.split('.')[0];
    return target !== undefined && acls.has(target) ? target : undefined;
  }
  const arn = str(value);
  return arn ? [...acls.values()].find((acl) => arn.includes(`/webacl/${acl.name}/`))?.logicalId : undefined;
}

export function buildWaf(ctx: BuildContext): WafModel {
  const webAcls = new Map<string, WebAcl>();
  for (const resource of ctx.ofType('AWS::WAFv2::WebACL')) {
    const props = resource.properties;
    const rules = list(props.Rules)
      .map((raw): WafRule | undefined => {
        const rule = obj(raw);
        if (!rule) return undefined;
        return {
          name: str(rule.Name) ?? '?',
          priority: num(rule.Priority) ?? 0,
          action: actionOf(rule.Action),
          statement: statementOf(rule.Statement),
        };
      })
      .filter((rule): rule is WafRule => rule !== undefined)
      .sort((a, b) => a.priority - b.priority);
    webAcls.set(resource.logicalId, {
      logicalId: resource.logicalId,
      name: str(props.Name) ?? resource.physicalId ?? resource.logicalId,
      defaultAction: actionOf(props.DefaultAction) === 'block' ? 'block' : 'allow',
      rules,
    });
  }
  const webAclAssociations = ctx.ofType('AWS::WAFv2::WebACLAssociation').map((resource) => ({
    logicalId: resource.logicalId,
    webAcl: webAclOf(resource.properties.WebACLArn, webAcls),
    resourceArn: str(resource.properties.ResourceArn),
  }));
  return { webAcls, webAclAssociations };
}
