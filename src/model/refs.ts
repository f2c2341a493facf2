/**
 * How model entities point at each other. A resolved property holds a physical id (vpc-0…,
 * sg-0…), an ARN or a name; the per-family `IdIndex` (ids.ts) maps it back to the entity's key —
 * like `template.byPhysicalId`, but per family, so that ids AWS creates implicitly (a VPC's
 * default security group, `GetAtt Vpc.DefaultSecurityGroup`) land on their own entity. What cannot
 * be mapped stays explicit: an external id (defined outside the template, e.g. a parameter) or an
 * unresolved marker — never a crash, never a guess.
 */
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
