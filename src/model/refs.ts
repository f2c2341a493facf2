/**
 * How model entities point at each other. A resolved property holds a physical id (vpc-0…,
 * sg-0…) or an ARN; `template.byPhysicalId` maps it back to the logical id. What cannot be mapped
 * stays explicit: an external id (defined outside the template, e.g. a parameter) or an
 * unresolved marker — never a crash, never a guess.
 */
import type { Template } from '../cloudformation/types.ts';
import { isUnresolved } from '../cloudformation/unresolved.ts';

/** A reference to a resource of this template. */
export interface ResourceRef {
  readonly kind: 'resource';
  readonly logicalId: string;
  readonly physicalId: string;
}
/** A concrete id that no resource of this template defines (a parameter value, an imported id). */
export interface ExternalRef {
  readonly kind: 'external';
  readonly physicalId: string;
}
/** A value the loader could not resolve, or a property that is missing or malformed. */
export interface UnresolvedMarker {
  readonly kind: 'unresolved';
  readonly reason: string;
}
export type Ref = ResourceRef | ExternalRef | UnresolvedMarker;

export function unresolvedRef(reason: string): UnresolvedMarker {
  return { kind: 'unresolved', reason };
}

/** The logical id of a reference, or undefined when it is not a resource of this template. */
export function logicalIdOf(ref: Ref | undefined): string | undefined {
  return ref?.kind === 'resource' ? ref.logicalId : undefined;
}

/** A printable name: the logical id, the external id, or `<unresolved: why>`. */
export function describeRef(ref: Ref): string {
  if (ref.kind === 'resource') return ref.logicalId;
  if (ref.kind === 'external') return ref.physicalId;
  return `<unresolved: ${ref.reason}>`;
}

/** Reads resolved property values; knows the loader's tokens and CloudFormation's string-typed scalars. */
export class PropertyReader {
  constructor(private readonly template: Template) {}

  /** A reference from a resolved value (physical id, ARN, or name). */
  ref(value: unknown, what: string): Ref {
    if (value === undefined || value === null) return unresolvedRef(`${what} is not set`);
    if (isUnresolved(value)) return unresolvedRef(`${what}: ${value.intrinsic} ${value.reason}`);
    if (typeof value !== 'string') return unresolvedRef(`${what} is not a string`);
    const logicalId = this.template.byPhysicalId.get(value);
    if (logicalId !== undefined) return { kind: 'resource', logicalId, physicalId: value };
    return { kind: 'external', physicalId: value };
  }

  /** References from a list value; an unresolved list becomes one marker. */
  refs(value: unknown, what: string): Ref[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return [this.ref(value, what)];
    return value.map((item, index) => this.ref(item, `${what}[${index}]`));
  }
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** CloudFormation accepts booleans as `true` or `"true"` (parameters are strings). */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'True') return true;
  if (value === 'false' || value === 'False') return false;
  return undefined;
}

export function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isUnresolved(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
