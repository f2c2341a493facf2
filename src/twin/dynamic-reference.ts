/**
 * The text of a `{{resolve:…}}` dynamic reference. The loader keeps dynamic references as
 * unresolved tokens (they are read at deployment); at boot the twin IS the deployment, so it
 * rebuilds the reference's text from the token's original expression (strings, Ref, Fn::GetAtt,
 * Fn::Join, Fn::Sub) and then reads the secret.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
 */
import type { Template } from '../cloudformation/types.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function refText(template: Template, name: string): string | undefined {
  const resource = template.resources[name];
  if (resource) return resource.physicalId;
  const parameter = template.parameters[name];
  if (typeof parameter === 'string') return parameter;
  const pseudo: Record<string, string> = {
    'AWS::Region': template.region,
    'AWS::AccountId': template.accountId,
    'AWS::Partition': template.partition,
    'AWS::StackName': template.stackName,
    'AWS::URLSuffix': template.urlSuffix,
  };
  return pseudo[name];
}

function attributeText(template: Template, name: string, attribute: string): string | undefined {
  const value = template.resources[name]?.attributes[attribute];
  return typeof value === 'string' ? value : undefined;
}

/** Evaluates the few intrinsics a dynamic reference is built with; undefined when it cannot. */
export function expressionText(expression: unknown, template: Template): string | undefined {
  if (typeof expression === 'string') return expression;
  if (!isRecord(expression)) return undefined;
  if (expression.__unresolved === true) return expressionText(expression.expression, template);
  if (typeof expression.Ref === 'string') return refText(template, expression.Ref);
  const getAtt = expression['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string') {
    return attributeText(template, getAtt[0], getAtt[1]);
  }
  const join = expression['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map((part) => expressionText(part, template));
    return parts.every((p) => p !== undefined) ? parts.join(join[0]) : undefined;
  }
  const sub = expression['Fn::Sub'];
  if (typeof sub === 'string') {
    let failed = false;
    const text = sub.replace(/\$\{([^}!]+)\}/g, (_m, name: string) => {
      const [id, attribute] = name.split('.');
      const value = attribute ? attributeText(template, id, attribute) : refText(template, id);
      if (value === undefined) failed = true;
      return value ?? '';
    });
    return failed ? undefined : text;
  }
  return undefined;
}
