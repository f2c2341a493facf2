/**
 * The top-level sections of a template, checked for shape. Wrong shapes are user errors with the
 * JSON pointer of the offending value.
 */
import { UserError } from '../cli/user-error.ts';
import { childPointer } from './json-pointer.ts';

export interface ResourceDeclaration {
  readonly Type: string;
  readonly Properties?: unknown;
  readonly Metadata?: unknown;
  readonly Condition?: string;
  readonly DependsOn: readonly string[];
}

export interface OutputDeclaration {
  readonly Value: unknown;
  readonly Condition?: string;
}

export interface TemplateSections {
  readonly mappings: Readonly<Record<string, unknown>>;
  readonly conditions: Readonly<Record<string, unknown>>;
  readonly resources: Readonly<Record<string, ResourceDeclaration>>;
  readonly outputs: Readonly<Record<string, OutputDeclaration>>;
  readonly transforms: readonly string[];
  /** SAM's Globals section, as written (undefined when absent). */
  readonly globals: unknown;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readTemplateSections(document: unknown, file: string): TemplateSections {
  if (!isMapping(document)) {
    throw new UserError('a template must be a mapping with a Resources section.', { file, pointer: '' });
  }
  const optionalMapping = (key: string): Record<string, unknown> => {
    const value = document[key];
    if (value === undefined || value === null) return {};
    if (!isMapping(value)) throw new UserError(`${key} must be a mapping.`, { file, pointer: `/${key}` });
    return value;
  };
  if (!isMapping(document.Resources)) {
    const what =
      document.Resources === undefined
        ? 'has no Resources section'
        : 'has a Resources section that is not a mapping';
    throw new UserError(`the template ${what}; CloudFormation requires one.`, {
      file,
      pointer: '/Resources',
    });
  }
  const resources: Record<string, ResourceDeclaration> = {};
  for (const [logicalId, raw] of Object.entries(document.Resources)) {
    resources[logicalId] = readResource(logicalId, raw, file);
  }
  const outputs: Record<string, OutputDeclaration> = {};
  for (const [name, raw] of Object.entries(optionalMapping('Outputs'))) {
    const pointer = childPointer('/Outputs', name);
    if (!isMapping(raw) || !('Value' in raw))
      throw new UserError(`output ${name} needs a Value.`, { file, pointer });
    if (raw.Condition !== undefined && typeof raw.Condition !== 'string') {
      throw new UserError(`output ${name}: Condition must be a condition name.`, {
        file,
        pointer: childPointer(pointer, 'Condition'),
      });
    }
    outputs[name] = { Value: raw.Value, Condition: raw.Condition };
  }
  return {
    mappings: optionalMapping('Mappings'),
    conditions: optionalMapping('Conditions'),
    resources,
    outputs,
    transforms: readTransforms(document.Transform, file),
    globals: document.Globals,
  };
}

function readResource(logicalId: string, raw: unknown, file: string): ResourceDeclaration {
  const pointer = childPointer('/Resources', logicalId);
  const where = (at: string) => ({ file, logicalId, pointer: at });
  if (!isMapping(raw)) throw new UserError('a resource must be a mapping with a Type.', where(pointer));
  if (typeof raw.Type !== 'string' || raw.Type === '') {
    throw new UserError(
      'the resource has no Type; add one (e.g. AWS::EC2::VPC).',
      where(childPointer(pointer, 'Type')),
    );
  }
  if (raw.Properties !== undefined && raw.Properties !== null && !isMapping(raw.Properties)) {
    throw new UserError('Properties must be a mapping.', where(childPointer(pointer, 'Properties')));
  }
  if (raw.Condition !== undefined && typeof raw.Condition !== 'string') {
    throw new UserError(
      'Condition must be the name of a condition.',
      where(childPointer(pointer, 'Condition')),
    );
  }
  const dependsOn =
    raw.DependsOn === undefined ? [] : Array.isArray(raw.DependsOn) ? raw.DependsOn : [raw.DependsOn];
  dependsOn.forEach((name, i) => {
    if (typeof name !== 'string') {
      throw new UserError(
        'DependsOn must name resources.',
        where(childPointer(childPointer(pointer, 'DependsOn'), i)),
      );
    }
  });
  return {
    Type: raw.Type,
    Properties: raw.Properties ?? undefined,
    Metadata: raw.Metadata,
    Condition: raw.Condition,
    DependsOn: dependsOn as string[],
  };
}

/** `Transform: Name`, `Transform: [A, B]`, or `{Name: AWS::Include, Parameters: …}` entries. */
export function readTransforms(value: unknown, file: string): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    if (typeof item === 'string') return item;
    if (isMapping(item) && typeof item.Name === 'string') return item.Name;
    throw new UserError('Transform must name a transform.', {
      file,
      pointer: Array.isArray(value) ? `/Transform/${i}` : '/Transform',
    });
  });
}
