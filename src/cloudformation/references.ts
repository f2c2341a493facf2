/**
 * The names an expression refers to (Ref, Fn::GetAtt, Fn::Sub variables), found in one walk.
 * `Fn::If` follows only the branch its condition chooses, as CloudFormation does, so a reference
 * in the branch not taken neither orders resources nor fails.
 */
import { childPointer } from './json-pointer.ts';
import { parseSubString, splitAttributeName } from './sub-template.ts';

export type ReferenceKind = 'Ref' | 'Fn::GetAtt';

export type ReferenceVisitor = (name: string, kind: ReferenceKind, pointer: string) => void;

export function collectReferences(
  value: unknown,
  pointer: string,
  visit: ReferenceVisitor,
  condition: (name: string, pointer: string) => boolean,
): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      collectReferences(value[i], childPointer(pointer, i), visit, condition);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1) {
    const key = keys[0];
    const argument = record[key];
    const at = childPointer(pointer, key);
    if (key === 'Ref') {
      if (typeof argument === 'string') visit(argument, 'Ref', at);
      return;
    }
    if (key === 'Fn::GetAtt') {
      const target = Array.isArray(argument)
        ? argument[0]
        : typeof argument === 'string'
          ? argument.split('.')[0]
          : undefined;
      if (typeof target === 'string') visit(target, 'Fn::GetAtt', at);
      if (Array.isArray(argument)) collectReferences(argument[1], childPointer(at, 1), visit, condition);
      return;
    }
    if (key === 'Fn::Sub') {
      collectSub(argument, at, visit, condition);
      return;
    }
    if (
      key === 'Fn::If' &&
      Array.isArray(argument) &&
      argument.length === 3 &&
      typeof argument[0] === 'string'
    ) {
      const branch = condition(argument[0], childPointer(at, 0)) ? 1 : 2;
      collectReferences(argument[branch], childPointer(at, branch), visit, condition);
      return;
    }
  }
  for (const key of keys) collectReferences(record[key], childPointer(pointer, key), visit, condition);
}

function collectSub(
  argument: unknown,
  pointer: string,
  visit: ReferenceVisitor,
  condition: (name: string, pointer: string) => boolean,
): void {
  const template = Array.isArray(argument) ? argument[0] : argument;
  const variables = Array.isArray(argument) ? argument[1] : undefined;
  const local =
    typeof variables === 'object' && variables !== null ? (variables as Record<string, unknown>) : {};
  if (Array.isArray(argument)) collectReferences(variables, childPointer(pointer, 1), visit, condition);
  if (typeof template !== 'string') return;
  for (const part of parseSubString(template)) {
    if (!('variable' in part) || Object.prototype.hasOwnProperty.call(local, part.variable)) continue;
    const attribute = part.variable.startsWith('AWS::') ? undefined : splitAttributeName(part.variable);
    if (attribute) visit(attribute[0], 'Fn::GetAtt', pointer);
    else visit(part.variable, 'Ref', pointer);
  }
}
