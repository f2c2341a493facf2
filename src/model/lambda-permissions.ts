/**
 * Whether API Gateway may invoke a function: the function's resource-based policy, i.e. the
 * template's `AWS::Lambda::Permission`s for it. API Gateway calls an integration's or an
 * authorizer's function as the service principal `apigateway.amazonaws.com`, with the calling
 * method's (or authorizer's) execute-api ARN as `aws:SourceArn`; without a matching permission
 * (and without an IAM role for API Gateway to assume) the call fails with a 500.
 * Facts and sources: docs/runtime-semantics.md, "Lambda permissions for API Gateway"; the analyzer's api-lambda-permission-missing uses the same reading.
 *
 * `policyOf(functionArn)` gives the same permissions — every principal, not only API Gateway — as
 * the function's resource-based policy document, the way Lambda's GetPolicy shows it, for the
 * twin's authorizer to evaluate on a Lambda Invoke call (docs/emulator-semantics.md, "Lambda
 * Invoke API").
 */
import type { Template } from '../cloudformation/types.ts';
import type { Model } from './index.ts';
import { str } from './refs.ts';

const API_GATEWAY = 'apigateway.amazonaws.com';

interface Grant {
  readonly logicalId: string;
  /** Glob of execute-api ARNs (`*` and `?`); undefined: any source. */
  readonly sourceArn?: RegExp;
  readonly sourceAccount?: string;
}

/** `*` matches any run of characters, `?` one — as ArnLike does. */
function arnGlob(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** One statement of a function's resource-based policy. */
interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Principal: '*' | { readonly AWS: string } | { readonly Service: string };
  readonly Action: string;
  readonly Resource: string;
  readonly Condition?: Record<string, Record<string, string>>;
}

export class LambdaPermissions {
  /** Grants to API Gateway, keyed by the function's ARN. */
  private readonly grants = new Map<string, Grant[]>();
  /** Every permission as a policy statement, keyed by the (unqualified) function's ARN. */
  private readonly statements = new Map<string, PolicyStatement[]>();

  constructor(template: Template, model: Model) {
    const byKey = new Map<string, string>();
    for (const fn of model.functions.values()) {
      if (!fn.arn) continue;
      byKey.set(fn.arn, fn.arn);
      if (fn.name) byKey.set(fn.name, fn.arn);
      byKey.set(fn.logicalId, fn.arn);
    }
    for (const [logicalId, resource] of Object.entries(template.resources)) {
      if (resource.type !== 'AWS::Lambda::Permission') continue;
      const p = resource.properties;
      const principal = str(p.Principal);
      const target = resolveFunction(str(p.FunctionName) ?? '', byKey);
      if (target && principal && str(p.Action)) {
        this.addStatement(target.arn, {
          Sid: logicalId,
          Effect: 'Allow',
          Principal: policyPrincipal(principal, model.partition),
          Action: str(p.Action) ?? '',
          Resource: target.qualifier === undefined ? target.arn : `${target.arn}:${target.qualifier}`,
          Condition: conditionOf(p),
        });
      }
      const action = (str(p.Action) ?? '').toLowerCase();
      if (principal !== API_GATEWAY || (action !== 'lambda:invokefunction' && action !== 'lambda:*'))
        continue;
      // A qualified name (alias or version) grants only that qualifier: API Gateway's unqualified call is not covered.
      const arn = byKey.get(str(p.FunctionName) ?? '');
      if (!arn) continue;
      const sourceArn = str(p.SourceArn);
      const grant = {
        logicalId,
        sourceArn: sourceArn ? arnGlob(sourceArn) : undefined,
        sourceAccount: str(p.SourceAccount),
      };
      this.grants.set(arn, [...(this.grants.get(arn) ?? []), grant]);
    }
    // SAM writes an AWS::Lambda::Permission for each `Api` event of an AWS::Serverless::Function
    // (`<Function><Event>Permission<Stage>`, Principal apigateway.amazonaws.com, SourceArn
    // `arn:…:execute-api:<region>:<account>:<api>/*/<METHOD or *>/<path, {param} → *>`): the
    // template holds none, the transform adds them. "AWS SAM generates … AWS::Lambda::Permission"
    // for an Api event — https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources-function.html
    // (the SourceArn as samtranslator/model/eventsources/push.py `_get_permission` builds it).
    for (const method of model.apiMethods.values()) {
      if (!method.samPermission || method.targetFunction?.kind !== 'resource') continue;
      const arn = model.functions.get(method.targetFunction.logicalId)?.arn;
      const api = method.api.kind === 'resource' ? model.restApis.get(method.api.logicalId) : undefined;
      if (!arn || !api) continue;
      const source = `arn:${model.partition}:execute-api:${model.region}:${model.accountId}:${api.id}/${method.samPermission.sourceArnPath}`;
      const grant = { logicalId: method.samPermission.logicalId, sourceArn: arnGlob(source) };
      this.grants.set(arn, [...(this.grants.get(arn) ?? []), grant]);
      this.addStatement(arn, {
        Sid: method.samPermission.logicalId,
        Effect: 'Allow',
        Principal: { Service: API_GATEWAY },
        Action: 'lambda:InvokeFunction',
        Resource: arn,
        Condition: { ArnLike: { 'AWS:SourceArn': source } },
      });
    }
    // SAM also writes one for each Lambda authorizer of an AWS::Serverless::Api's `Auth.Authorizers`
    // (`<Api><Authorizer>AuthorizerPermission`, FunctionName the authorizer's FunctionArn, SourceArn
    // `arn:…:execute-api:<region>:<account>:<api>/authorizers/*`): samtranslator
    // model/api/api_generator.py `_construct_authorizer_lambda_permission` / `_get_permission`.
    for (const api of model.restApis.values()) {
      for (const permission of api.samAuthorizerPermissions ?? []) {
        const arn = resolveFunction(permission.functionArn, byKey)?.arn;
        if (!arn) continue;
        const source = `arn:${model.partition}:execute-api:${model.region}:${model.accountId}:${api.id}/authorizers/*`;
        this.grants.set(arn, [
          ...(this.grants.get(arn) ?? []),
          { logicalId: permission.logicalId, sourceArn: arnGlob(source) },
        ]);
        this.addStatement(arn, {
          Sid: permission.logicalId,
          Effect: 'Allow',
          Principal: { Service: API_GATEWAY },
          Action: 'lambda:InvokeFunction',
          Resource: arn,
          Condition: { ArnLike: { 'AWS:SourceArn': source } },
        });
      }
    }
  }

  /**
   * The function's resource-based policy (JSON text) built from its permissions, or undefined
   * when it has none. A permission on a qualified name (`fn:alias`) names the qualified ARN as
   * its resource, so it does not cover the unqualified function, as on Lambda.
   */
  policyOf(functionArn: string): string | undefined {
    const statements = this.statements.get(functionArn);
    if (!statements) return undefined;
    return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements });
  }

  private addStatement(arn: string, statement: PolicyStatement): void {
    const list = this.statements.get(arn) ?? [];
    list.push(statement.Condition === undefined ? withoutCondition(statement) : statement);
    this.statements.set(arn, list);
  }

  /**
   * The permission that lets API Gateway invoke `functionArn` for `sourceArn`, or undefined.
   * `sourceArn` is the calling method's ARN (`…:<api>/<stage>/<METHOD>/<path>`) or the
   * authorizer's (`…:<api>/authorizers/<id>`).
   */
  grantFor(functionArn: string, sourceArn: string, sourceAccount: string): string | undefined {
    for (const grant of this.grants.get(functionArn) ?? []) {
      if (grant.sourceArn && !grant.sourceArn.test(sourceArn)) continue;
      if (grant.sourceAccount !== undefined && grant.sourceAccount !== sourceAccount) continue;
      return grant.logicalId;
    }
    return undefined;
  }
}

/**
 * `FunctionName` of a permission: a name, an ARN or a partial ARN, each optionally with a
 * `:qualifier` (version or alias). The function's unqualified ARN and the qualifier.
 */
function resolveFunction(
  value: string,
  byKey: ReadonlyMap<string, string>,
): { arn: string; qualifier?: string } | undefined {
  const direct = byKey.get(value);
  if (direct) return { arn: direct };
  // Partial ARN `<account>:function:<name>`, possibly qualified.
  const parts = value.split(':');
  const fnAt = parts.indexOf('function');
  if (fnAt >= 0 && parts[fnAt + 1] !== undefined) {
    const arn = byKey.get(parts[fnAt + 1]);
    if (arn) return parts[fnAt + 2] !== undefined ? { arn, qualifier: parts[fnAt + 2] } : { arn };
    return undefined;
  }
  // `<name>:<qualifier>`
  if (parts.length === 2) {
    const arn = byKey.get(parts[0]);
    if (arn) return { arn, qualifier: parts[1] };
  }
  return undefined;
}

/**
 * A permission's `Principal` as the policy shows it: an account id becomes the account's root
 * ARN, an ARN stays an AWS principal, a service name (`s3.amazonaws.com`) a Service principal.
 */
function policyPrincipal(principal: string, partition: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:${partition}:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}

/** SourceArn, SourceAccount, PrincipalOrgID and FunctionUrlAuthType as the policy's conditions. */
function conditionOf(p: Readonly<Record<string, unknown>>): PolicyStatement['Condition'] {
  const condition: Record<string, Record<string, string>> = {};
  const add = (operator: string, key: string, value: string | undefined) => {
    if (value === undefined) return;
    condition[operator] = { ...condition[operator], [key]: value };
  };
  add('ArnLike', 'AWS:SourceArn', str(p.SourceArn));
  add('StringEquals', 'AWS:SourceAccount', str(p.SourceAccount));
  add('StringEquals', 'aws:PrincipalOrgID', str(p.PrincipalOrgID));
  add('StringEquals', 'lambda:FunctionUrlAuthType', str(p.FunctionUrlAuthType));
  return Object.keys(condition).length > 0 ? condition : undefined;
}

function withoutCondition(statement: PolicyStatement): PolicyStatement {
  const { Condition: _condition, ...rest } = statement;
  return rest;
}
