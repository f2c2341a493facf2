/**
 * Whether API Gateway may invoke a function: the function's resource-based policy, i.e. the
 * template's `AWS::Lambda::Permission`s for it. API Gateway calls an integration's or an
 * authorizer's function as the service principal `apigateway.amazonaws.com`, with the calling
 * method's (or authorizer's) execute-api ARN as `aws:SourceArn`; without a matching permission
 * (and without an IAM role for API Gateway to assume) the call fails with a 500.
 * Facts and sources: docs/runtime-semantics.md, "Lambda permissions for API Gateway"; the analyzer's api-lambda-permission-missing uses the same reading.
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

export class LambdaPermissions {
  /** Grants to API Gateway, keyed by the function's ARN. */
  private readonly grants = new Map<string, Grant[]>();

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
    }
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
