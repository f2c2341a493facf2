/**
 * `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]` (AWS::LanguageExtensions),
 * expanded before anything else is read, in Conditions, Resources (properties included) and
 * Outputs. Every `${Identifier}` in keys and strings becomes the item, `&{Identifier}` the item
 * without its non-alphanumeric characters, and `Ref: Identifier` the item.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html
 */
import { UserError } from '../cli/user-error.ts';
import { childPointer } from './json-pointer.ts';
import { isUnresolved } from './unresolved.ts';

const LOOP = 'Fn::ForEach::';
export const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';

export interface ExpandedDocument {
  readonly document: Record<string, unknown>;
  /** Logical id made by a loop in Resources → the loop's key (to borrow its source line). */
  readonly loopOf: ReadonlyMap<string, string>;
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function expandForEach(
  document: Mapping,
  parameters: Readonly<Record<string, unknown>>,
  file: string,
): ExpandedDocument {
  const loopOf = new Map<string, string>();
  const expanded: Mapping = { ...document };
  const expander = new LoopExpander(parameters, file);
  for (const section of ['Conditions', 'Resources', 'Outputs']) {
    const value = document[section];
    if (!isMapping(value)) continue;
    if (section !== 'Resources') {
      expanded[section] = expander.map(value, `/${section}`);
      continue;
    }
    const resources: Mapping = {};
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith(LOOP)) {
        for (const [id, resource] of Object.entries(expander.loop(item, childPointer('/Resources', key)))) {
          resources[id] = resource;
          loopOf.set(id, key);
        }
      } else {
        resources[key] = expander.value(item, childPointer('/Resources', key));
      }
    }
    expanded.Resources = resources;
  }
  return { document: expanded, loopOf };
}

class LoopExpander {
  constructor(
    private readonly parameters: Readonly<Record<string, unknown>>,
    private readonly file: string,
  ) {}

  value(value: unknown, pointer: string): unknown {
    if (Array.isArray(value)) return value.map((item, i) => this.value(item, childPointer(pointer, i)));
    return isMapping(value) ? this.map(value, pointer) : value;
  }

  map(map: Mapping, pointer: string): Mapping {
    const out: Mapping = {};
    for (const [key, item] of Object.entries(map)) {
      if (key.startsWith(LOOP)) Object.assign(out, this.loop(item, childPointer(pointer, key)));
      else out[key] = this.value(item, childPointer(pointer, key));
    }
    return out;
  }

  /** The fragment once per item, identifier substituted, inner loops expanded. */
  loop(argument: unknown, pointer: string): Mapping {
    if (
      !Array.isArray(argument) ||
      argument.length !== 3 ||
      typeof argument[0] !== 'string' ||
      !isMapping(argument[2])
    ) {
      throw new UserError('Fn::ForEach takes [Identifier, Collection, {OutputKey: OutputValue}].', {
        file: this.file,
        pointer,
      });
    }
    const [identifier, collection, fragment] = argument as [string, unknown, Mapping];
    const out: Mapping = {};
    for (const item of this.items(collection, childPointer(pointer, 1))) {
      Object.assign(
        out,
        this.map(substitute(fragment, identifier, item) as Mapping, childPointer(pointer, 2)),
      );
    }
    return out;
  }

  private items(collection: unknown, pointer: string): string[] {
    let list = collection;
    if (isMapping(collection) && typeof collection.Ref === 'string' && Object.keys(collection).length === 1) {
      list = this.parameters[collection.Ref];
      if (isUnresolved(list)) {
        throw new UserError(`Fn::ForEach cannot expand: ${list.reason}.`, { file: this.file, pointer });
      }
    }
    if (!Array.isArray(list) || !list.every((item) => typeof item === 'string' || typeof item === 'number')) {
      throw new UserError(
        'the Fn::ForEach collection must be a list of strings or a Ref to a list parameter.',
        {
          file: this.file,
          pointer,
        },
      );
    }
    return list.map(String);
  }
}

function substitute(value: unknown, identifier: string, item: string): unknown {
  if (typeof value === 'string') {
    return value
      .split(`\${${identifier}}`)
      .join(item)
      .split(`&{${identifier}}`)
      .join(item.replace(/[^A-Za-z0-9]/g, ''));
  }
  if (Array.isArray(value)) return value.map((entry) => substitute(entry, identifier, item));
  if (!isMapping(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref' && value.Ref === identifier) return item;
  const out: Mapping = {};
  for (const key of keys)
    out[substitute(key, identifier, item) as string] = substitute(value[key], identifier, item);
  return out;
}
