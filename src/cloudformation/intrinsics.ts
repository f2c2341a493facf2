/**
 * Resolution of intrinsic functions into plain values. Values that cannot be known before
 * deployment become {@link Unresolved} tokens; any intrinsic whose input holds a token yields a
 * token too (the reason names the root cause). Wrong shapes throw a UserError with the pointer.
 */
import { UserError } from '../cli/user-error.ts';
import type { Unresolved } from './types.ts';
import { childPointer } from './json-pointer.ts';
import { cidrBlocks } from './cidr.ts';
import { availabilityZones } from './pseudo-parameters.ts';
import { parseSubString, splitAttributeName } from './sub-template.ts';
import { findUnresolved, isUnresolved, propagated, unresolved } from './unresolved.ts';

/** What `Ref: AWS::NoValue` resolves to: the enclosing key or list item is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** Where resolution happens, and how names resolve there. */
export interface Scope {
  readonly file: string;
  /** The resource, output or condition being resolved (for messages). */
  readonly logicalId: string;
  readonly region: string;
  readonly mappings: Readonly<Record<string, unknown>>;
  /** Ref to a parameter, pseudo parameter or resource. Throws a UserError when nothing has that name. */
  ref(name: string, pointer: string): unknown;
  /** Fn::GetAtt. Throws a UserError when the resource does not exist. */
  getAtt(resource: string, attribute: string, pointer: string): unknown;
  /** A named condition's value. */
  condition(name: string, pointer: string): boolean;
}

type Intrinsic = (argument: unknown, pointer: string, scope: Scope, expression: unknown) => unknown;

export function resolveValue(value: unknown, pointer: string, scope: Scope): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((item, index) => {
      const resolved = resolveValue(item, childPointer(pointer, index), scope);
      if (resolved !== NO_VALUE) out.push(resolved);
    });
    return out;
  }
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const intrinsic = INTRINSICS[keys[0]];
    if (intrinsic) {
      const argument = (value as Record<string, unknown>)[keys[0]];
      return intrinsic(argument, childPointer(pointer, keys[0]), scope, value);
    }
    if (keys[0].startsWith('Fn::')) {
      return unresolved(keys[0], value, `${keys[0]} is not supported by the loader`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const resolved = resolveValue((value as Record<string, unknown>)[key], childPointer(pointer, key), scope);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

function fail(scope: Scope, pointer: string, message: string): never {
  throw new UserError(message, { file: scope.file, logicalId: scope.logicalId || undefined, pointer });
}

function listArgument(
  name: string,
  argument: unknown,
  lengths: readonly number[],
  pointer: string,
  scope: Scope,
): unknown[] {
  if (!Array.isArray(argument) || !lengths.includes(argument.length)) {
    const expected = lengths.map((n) => `${n}`).join(' or ');
    fail(scope, pointer, `${name} takes a list of ${expected} items; fix the expression.`);
  }
  return argument;
}

/** A string (or number) a function needs; numbers and booleans are written as text, like AWS does. */
function scalarText(name: string, value: unknown, pointer: string, scope: Scope): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fail(scope, pointer, `${name} needs a string here, got ${describe(value)}.`);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** A condition operand: `{Condition: name}`, a boolean, or an expression that yields one. */
export function resolveConditionExpression(
  value: unknown,
  pointer: string,
  scope: Scope,
): boolean | Unresolved {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const name = (value as Record<string, unknown>).Condition;
    if (keys.length === 1 && keys[0] === 'Condition') {
      if (typeof name !== 'string') fail(scope, pointer, 'Condition takes the name of a condition.');
      return scope.condition(name, childPointer(pointer, 'Condition'));
    }
  }
  const resolved = resolveValue(value, pointer, scope);
  if (isUnresolved(resolved)) return resolved;
  if (resolved === true || resolved === 'true') return true;
  if (resolved === false || resolved === 'false') return false;
  return fail(scope, pointer, `a condition must be true or false, got ${describe(resolved)}.`);
}

/** The scalar form CloudFormation compares: numbers and strings compare as text. */
function comparable(value: unknown): unknown {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return comparable(a) === comparable(b);
}

const ref: Intrinsic = (argument, pointer, scope) => {
  if (typeof argument !== 'string') fail(scope, pointer, `Ref takes a name, got ${describe(argument)}.`);
  return scope.ref(argument, pointer);
};

const getAtt: Intrinsic = (argument, pointer, scope, expression) => {
  let parts: unknown[];
  if (typeof argument === 'string') {
    const split = splitAttributeName(argument);
    if (!split) fail(scope, pointer, `Fn::GetAtt needs "Resource.Attribute", got "${argument}".`);
    parts = split;
  } else {
    parts = listArgument('Fn::GetAtt', argument, [2], pointer, scope);
  }
  const [resource, attributeExpression] = parts;
  if (typeof resource !== 'string')
    fail(scope, childPointer(pointer, 0), 'Fn::GetAtt needs a resource name first.');
  const attribute = resolveValue(attributeExpression, childPointer(pointer, 1), scope);
  if (isUnresolved(attribute)) return propagated('Fn::GetAtt', expression, attribute);
  return scope.getAtt(
    resource,
    scalarText('Fn::GetAtt', attribute, childPointer(pointer, 1), scope),
    pointer,
  );
};

const join: Intrinsic = (argument, pointer, scope, expression) => {
  const [delimiter, items] = listArgument('Fn::Join', argument, [2], pointer, scope);
  if (typeof delimiter !== 'string')
    fail(scope, childPointer(pointer, 0), 'Fn::Join needs a string delimiter.');
  const list = resolveValue(items, childPointer(pointer, 1), scope);
  const token = findUnresolved(list);
  if (token) return propagated('Fn::Join', expression, token);
  if (!Array.isArray(list))
    return fail(scope, childPointer(pointer, 1), `Fn::Join needs a list of values, got ${describe(list)}.`);
  return list
    .map((item, i) => scalarText('Fn::Join', item, childPointer(childPointer(pointer, 1), i), scope))
    .join(delimiter);
};

const sub: Intrinsic = (argument, pointer, scope, expression) => {
  let template: unknown = argument;
  let variables: Record<string, unknown> = {};
  if (Array.isArray(argument)) {
    listArgument('Fn::Sub', argument, [1, 2], pointer, scope);
    template = argument[0];
    const map = argument[1] ?? {};
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      fail(scope, childPointer(pointer, 1), 'Fn::Sub variables must be a mapping of names to values.');
    }
    variables = map as Record<string, unknown>;
  }
  if (typeof template !== 'string')
    fail(scope, pointer, `Fn::Sub needs a string, got ${describe(template)}.`);
  const varsPointer = childPointer(pointer, 1);
  let out = '';
  for (const part of parseSubString(template)) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    const name = part.variable;
    let value: unknown;
    if (Object.prototype.hasOwnProperty.call(variables, name)) {
      value = resolveValue(variables[name], childPointer(varsPointer, name), scope);
    } else {
      const attribute = splitAttributeName(name);
      value =
        attribute && !name.startsWith('AWS::')
          ? scope.getAtt(attribute[0], attribute[1], pointer)
          : scope.ref(name, pointer);
    }
    const token = findUnresolved(value);
    if (token) return propagated('Fn::Sub', expression, token);
    out += scalarText(`Fn::Sub variable \${${name}}`, value, pointer, scope);
  }
  return out;
};

const select: Intrinsic = (argument, pointer, scope, expression) => {
  const [indexExpression, listExpression] = listArgument('Fn::Select', argument, [2], pointer, scope);
  const index = resolveValue(indexExpression, childPointer(pointer, 0), scope);
  const list = resolveValue(listExpression, childPointer(pointer, 1), scope);
  if (isUnresolved(index)) return propagated('Fn::Select', expression, index);
  if (isUnresolved(list)) return propagated('Fn::Select', expression, list);
  const n = Number(index);
  if (!Array.isArray(list))
    return fail(scope, childPointer(pointer, 1), `Fn::Select needs a list, got ${describe(list)}.`);
  if (!Number.isInteger(n) || n < 0 || n >= list.length) {
    return fail(
      scope,
      childPointer(pointer, 0),
      `Fn::Select index ${String(index)} is outside the list of ${list.length}.`,
    );
  }
  return list[n];
};

const split: Intrinsic = (argument, pointer, scope, expression) => {
  const [delimiter, source] = listArgument('Fn::Split', argument, [2], pointer, scope);
  if (typeof delimiter !== 'string')
    fail(scope, childPointer(pointer, 0), 'Fn::Split needs a string delimiter.');
  const value = resolveValue(source, childPointer(pointer, 1), scope);
  if (isUnresolved(value)) return propagated('Fn::Split', expression, value);
  return scalarText('Fn::Split', value, childPointer(pointer, 1), scope).split(delimiter);
};

const getAZs: Intrinsic = (argument, pointer, scope, expression) => {
  const region = resolveValue(argument ?? '', pointer, scope);
  if (isUnresolved(region)) return propagated('Fn::GetAZs', expression, region);
  const name =
    region === null || region === '' ? scope.region : scalarText('Fn::GetAZs', region, pointer, scope);
  return availabilityZones(name);
};

const cidr: Intrinsic = (argument, pointer, scope, expression) => {
  const args = listArgument('Fn::Cidr', argument, [3], pointer, scope).map((item, i) =>
    resolveValue(item, childPointer(pointer, i), scope),
  );
  const token = findUnresolved(args);
  if (token) return propagated('Fn::Cidr', expression, token);
  const block = scalarText('Fn::Cidr', args[0], childPointer(pointer, 0), scope);
  const result = cidrBlocks(block, Number(args[1]), Number(args[2]));
  return typeof result === 'string' ? fail(scope, pointer, `Fn::Cidr: ${result}.`) : result;
};

const base64: Intrinsic = (argument, pointer, scope, expression) => {
  const value = resolveValue(argument, pointer, scope);
  if (isUnresolved(value)) return propagated('Fn::Base64', expression, value);
  return Buffer.from(scalarText('Fn::Base64', value, pointer, scope), 'utf8').toString('base64');
};

const findInMap: Intrinsic = (argument, pointer, scope, expression) => {
  const args = listArgument('Fn::FindInMap', argument, [3, 4], pointer, scope);
  const keys = args.slice(0, 3).map((item, i) => resolveValue(item, childPointer(pointer, i), scope));
  const token = findUnresolved(keys);
  if (token) return propagated('Fn::FindInMap', expression, token);
  const [mapName, topKey, secondKey] = keys.map((k, i) =>
    scalarText('Fn::FindInMap', k, childPointer(pointer, i), scope),
  );
  const top = (scope.mappings[mapName] as Record<string, unknown> | undefined)?.[topKey];
  const value =
    typeof top === 'object' && top !== null ? (top as Record<string, unknown>)[secondKey] : undefined;
  if (value !== undefined) return resolveValue(value, `/Mappings/${mapName}/${topKey}/${secondKey}`, scope);
  if (args.length === 4) {
    // Fn::FindInMap [Map, Top, Second, {DefaultValue: x}] (AWS::LanguageExtensions).
    const fallback = args[3] as { DefaultValue?: unknown } | null;
    if (typeof fallback === 'object' && fallback !== null && 'DefaultValue' in fallback) {
      return resolveValue(
        fallback.DefaultValue,
        childPointer(childPointer(pointer, 3), 'DefaultValue'),
        scope,
      );
    }
    fail(scope, childPointer(pointer, 3), 'the fourth item of Fn::FindInMap must be {DefaultValue: …}.');
  }
  if (!(mapName in scope.mappings))
    return fail(scope, childPointer(pointer, 0), `Mappings has no map "${mapName}".`);
  return fail(
    scope,
    pointer,
    `Mappings.${mapName} has no value for ["${topKey}"]["${secondKey}"]; add it or a DefaultValue.`,
  );
};

const ifFn: Intrinsic = (argument, pointer, scope) => {
  const [name, whenTrue, whenFalse] = listArgument('Fn::If', argument, [3], pointer, scope);
  if (typeof name !== 'string') fail(scope, childPointer(pointer, 0), 'Fn::If needs a condition name first.');
  const chosen = scope.condition(name, childPointer(pointer, 0));
  return chosen
    ? resolveValue(whenTrue, childPointer(pointer, 1), scope)
    : resolveValue(whenFalse, childPointer(pointer, 2), scope);
};

const equals: Intrinsic = (argument, pointer, scope, expression) => {
  const [a, b] = listArgument('Fn::Equals', argument, [2], pointer, scope).map((item, i) =>
    resolveValue(item, childPointer(pointer, i), scope),
  );
  const token = findUnresolved([a, b]);
  if (token) return propagated('Fn::Equals', expression, token);
  return deepEqual(a, b);
};

function logical(name: 'Fn::And' | 'Fn::Or', combine: (values: boolean[]) => boolean): Intrinsic {
  return (argument, pointer, scope, expression) => {
    if (!Array.isArray(argument) || argument.length < 2 || argument.length > 10) {
      fail(scope, pointer, `${name} takes a list of 2 to 10 conditions.`);
    }
    const values = argument.map((item, i) =>
      resolveConditionExpression(item, childPointer(pointer, i), scope),
    );
    const token = values.find(isUnresolved);
    if (token) return propagated(name, expression, token);
    return combine(values as boolean[]);
  };
}

const not: Intrinsic = (argument, pointer, scope, expression) => {
  const [operand] = listArgument('Fn::Not', argument, [1], pointer, scope);
  const value = resolveConditionExpression(operand, childPointer(pointer, 0), scope);
  return isUnresolved(value) ? propagated('Fn::Not', expression, value) : !value;
};

const importValue: Intrinsic = (argument, pointer, scope, expression) => {
  const name = resolveValue(argument, pointer, scope);
  const shown = isUnresolved(name) ? 'an unresolved name' : `"${String(name)}"`;
  return unresolved(
    'Fn::ImportValue',
    expression,
    `the export ${shown} comes from another stack, known only at deployment`,
  );
};

const transform: Intrinsic = (_argument, _pointer, _scope, expression) =>
  unresolved('Fn::Transform', expression, 'macros run inside CloudFormation at deployment');

const toJsonString: Intrinsic = (argument, pointer, scope, expression) => {
  const value = resolveValue(argument, pointer, scope);
  const token = findUnresolved(value);
  if (token) return propagated('Fn::ToJsonString', expression, token);
  return JSON.stringify(value);
};

const length: Intrinsic = (argument, pointer, scope, expression) => {
  const value = resolveValue(argument, pointer, scope);
  if (isUnresolved(value)) return propagated('Fn::Length', expression, value);
  if (!Array.isArray(value)) return fail(scope, pointer, `Fn::Length needs a list, got ${describe(value)}.`);
  return value.length;
};

const INTRINSICS: Readonly<Record<string, Intrinsic>> = {
  Ref: ref,
  'Fn::GetAtt': getAtt,
  'Fn::Join': join,
  'Fn::Sub': sub,
  'Fn::Select': select,
  'Fn::Split': split,
  'Fn::GetAZs': getAZs,
  'Fn::Cidr': cidr,
  'Fn::Base64': base64,
  'Fn::FindInMap': findInMap,
  'Fn::If': ifFn,
  'Fn::Equals': equals,
  'Fn::And': logical('Fn::And', (values) => values.every(Boolean)),
  'Fn::Or': logical('Fn::Or', (values) => values.some(Boolean)),
  'Fn::Not': not,
  'Fn::ImportValue': importValue,
  'Fn::Transform': transform,
  'Fn::ToJsonString': toJsonString,
  'Fn::Length': length,
};
