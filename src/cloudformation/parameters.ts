/**
 * Template parameters: defaults, `--param Key=Value` overrides, types and constraints.
 * Ref to a Number parameter yields a string (AWS converts it); list types yield lists of strings.
 * SSM parameter types and parameters with no value stay unresolved tokens (never guessed).
 */
import { UserError } from '../cli/user-error.ts';
import { childPointer } from './json-pointer.ts';
import { unresolved } from './unresolved.ts';

/** Parses repeated `--param Key=Value` flags; the value may contain `=`. */
export function parseParamOverrides(list: readonly string[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UserError(`--param "${item}" is not Key=Value; write it as --param Name=value.`);
    overrides[item.slice(0, eq).trim()] = item.slice(eq + 1);
  }
  return overrides;
}

interface ParameterDeclaration {
  readonly Type?: unknown;
  readonly Default?: unknown;
  readonly AllowedValues?: unknown;
  readonly AllowedPattern?: unknown;
  readonly MinLength?: unknown;
  readonly MaxLength?: unknown;
  readonly MinValue?: unknown;
  readonly MaxValue?: unknown;
}

function isList(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

/** AWS trims the items of a comma-delimited list. */
function toList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((item) => String(item).trim());
  const text = String(value);
  return text === '' ? [] : text.split(',').map((item) => item.trim());
}

export function resolveParameters(
  declarations: unknown,
  overrides: Readonly<Record<string, string>>,
  file: string,
): Record<string, unknown> {
  const isMapping = typeof declarations === 'object' && declarations !== null && !Array.isArray(declarations);
  if (declarations !== undefined && declarations !== null && !isMapping) {
    throw new UserError('Parameters must be a mapping.', { file, pointer: '/Parameters' });
  }
  const declared = (isMapping ? declarations : {}) as Record<string, unknown>;
  for (const name of Object.keys(overrides)) {
    if (!(name in declared)) {
      const known = Object.keys(declared).join(', ') || 'none';
      throw new UserError(`--param ${name}: the template declares no such parameter (declared: ${known}).`, {
        file,
      });
    }
  }
  const values: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(declared)) {
    const pointer = childPointer('/Parameters', name);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new UserError(`parameter ${name} must be a mapping with a Type.`, { file, pointer });
    }
    const declaration = raw as ParameterDeclaration;
    if (typeof declaration.Type !== 'string') {
      throw new UserError(`parameter ${name} has no Type; add one (String, Number, CommaDelimitedList…).`, {
        file,
        pointer,
      });
    }
    const type = declaration.Type;
    const overridden = Object.prototype.hasOwnProperty.call(overrides, name);
    const given = overridden ? overrides[name] : declaration.Default;
    if (type.startsWith('AWS::SSM::Parameter::Value<')) {
      const ssmName = given === undefined ? 'no name given' : `"${String(given)}"`;
      values[name] = unresolved(
        'Ref',
        { Ref: name },
        `SSM parameter ${ssmName} (${type}) is read from Parameter Store at deployment`,
      );
      continue;
    }
    if (given === undefined) {
      values[name] = unresolved(
        'Ref',
        { Ref: name },
        `parameter ${name} has no Default; pass --param ${name}=<value>`,
      );
      continue;
    }
    if (overridden) validate(name, type, declaration, overrides[name], file, pointer);
    values[name] = isList(type) ? toList(given) : String(given);
  }
  return values;
}

function validate(
  name: string,
  type: string,
  d: ParameterDeclaration,
  value: string,
  file: string,
  pointer: string,
): void {
  const bad = (why: string): never => {
    throw new UserError(`--param ${name}=${value}: ${why}`, { file, pointer });
  };
  const items = isList(type) ? toList(value) : [value];
  const numeric = type === 'Number' || type === 'List<Number>';
  for (const item of items) {
    if (numeric && (item.trim() === '' || !Number.isFinite(Number(item))))
      bad(`"${item}" is not a number (${type}).`);
    if (Array.isArray(d.AllowedValues) && !d.AllowedValues.map(String).includes(item)) {
      bad(`"${item}" is not one of AllowedValues [${d.AllowedValues.map(String).join(', ')}].`);
    }
    if (typeof d.AllowedPattern === 'string' && !new RegExp(`^(?:${d.AllowedPattern})$`).test(item)) {
      bad(`"${item}" does not match AllowedPattern ${d.AllowedPattern}.`);
    }
    if (d.MinLength !== undefined && item.length < Number(d.MinLength))
      bad(`shorter than MinLength ${String(d.MinLength)}.`);
    if (d.MaxLength !== undefined && item.length > Number(d.MaxLength))
      bad(`longer than MaxLength ${String(d.MaxLength)}.`);
    if (numeric && d.MinValue !== undefined && Number(item) < Number(d.MinValue))
      bad(`below MinValue ${String(d.MinValue)}.`);
    if (numeric && d.MaxValue !== undefined && Number(item) > Number(d.MaxValue))
      bad(`above MaxValue ${String(d.MaxValue)}.`);
  }
}
