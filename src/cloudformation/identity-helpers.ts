/**
 * Shared pieces of the identity rules (what Ref and Fn::GetAtt return per type): the context a rule
 * sees, and helpers for names, ARNs and AWS-shaped random parts.
 */
import type { ResourceInstance, Unresolved } from './types.ts';
import { alphabets, charsFrom, digest, generatedName, type GeneratedNameOptions } from './physical-ids.ts';
import { isUnresolved, unresolved } from './unresolved.ts';

export interface IdentityContext {
  readonly stackName: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly logicalId: string;
  readonly type: string;
  /** Resolved properties (may hold unresolved tokens). */
  readonly properties: Readonly<Record<string, unknown>>;
  /** A resource resolved earlier, by the value its Ref returned (for a subnet's AZ, an LB's ARN…). */
  readonly resourceByPhysicalId: (physicalId: string) => ResourceInstance | undefined;
}

export interface Identity {
  /** What Ref returns; a token when it is built from an unresolved name. */
  readonly ref: string | Unresolved;
  readonly physicalId: string;
  readonly attributes: Record<string, unknown>;
}

export type IdentityRule = (c: IdentityContext) => Identity;

/** The fixed creation time used wherever AWS reports one (deterministic output). */
export const CREATION_TIMESTAMP = '2024-01-01T00:00:00.000Z';

export function id(ref: string, attributes: Record<string, unknown> = {}): Identity {
  return { ref, physicalId: ref, attributes };
}

/** The explicit name property when given, else CloudFormation's generated name. */
export function nameOf(
  c: IdentityContext,
  property: string | undefined,
  maxLength: number,
  lowercase = false,
): string | Unresolved {
  const given = property === undefined ? undefined : c.properties[property];
  if (typeof given === 'string' || typeof given === 'number') return String(given);
  if (isUnresolved(given)) return given;
  return generatedName(c.stackName, c.logicalId, { maxLength, lowercase });
}

/**
 * An identity whose Ref is a name; ARN-like attributes built from it (tokens propagate). An
 * unresolved name keeps a generated stand-in as its physical id, made by `fallbackRules`: the
 * twin creates the resource under it, so a bucket's must be a valid (lowercase) bucket name.
 */
export function named(
  c: IdentityContext,
  name: string | Unresolved,
  attributes: (name: string) => Record<string, unknown>,
  fallbackRules: GeneratedNameOptions = { maxLength: 64 },
): Identity {
  if (isUnresolved(name)) {
    const fallback = generatedName(c.stackName, c.logicalId, fallbackRules);
    const derived = Object.fromEntries(
      Object.keys(attributes(fallback)).map((key) => [
        key,
        unresolved('Fn::GetAtt', [c.logicalId, key], `built from an unresolved name (${name.reason})`),
      ]),
    );
    return { ref: name, physicalId: fallback, attributes: derived };
  }
  return { ref: name, physicalId: name, attributes: attributes(name) };
}

export function arn(
  c: IdentityContext,
  service: string,
  resource: string,
  region = c.region,
  account = c.accountId,
): string {
  return `arn:${c.partition}:${service}:${region}:${account}:${resource}`;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export function lower(c: IdentityContext, purpose: string, length: number): string {
  return charsFrom(digest(c.stackName, c.logicalId, purpose), length, alphabets.LOWER_ALNUM);
}

export function upper(c: IdentityContext, purpose: string, length: number): string {
  return charsFrom(digest(c.stackName, c.logicalId, purpose), length, alphabets.UPPER_ALNUM);
}

export function mixed(c: IdentityContext, purpose: string, length: number): string {
  return charsFrom(digest(c.stackName, c.logicalId, purpose), length, alphabets.MIXED_ALNUM);
}

export function hex(c: IdentityContext, purpose: string, length: number): string {
  return digest(c.stackName, c.logicalId, purpose).slice(0, length);
}

export function pending(c: IdentityContext, attribute: string, reason: string): Unresolved {
  return unresolved('Fn::GetAtt', [c.logicalId, attribute], reason);
}

/** The value of a property, passing tokens through, or `fallback` when absent. */
export function prop(c: IdentityContext, key: string, fallback: unknown): unknown {
  const value = c.properties[key];
  return value === undefined ? fallback : value;
}

/** The last path segment of a name-or-ARN value (`arn:…:cluster/prod` → `prod`). */
export function lastSegment(value: string): string {
  return value.slice(value.lastIndexOf('/') + 1);
}
