/**
 * Identity inside the model. Every entity has a key — its logical id, or for what AWS creates
 * implicitly, `<VpcLogicalId>/MainRouteTable`, `/DefaultSecurityGroup`, `/DefaultNetworkAcl` —
 * and is found again from any id a resolved property may hold (physical id, ARN, name).
 */
import { createHash } from 'node:crypto';
import { isUnresolved } from '../cloudformation/unresolved.ts';
import { type Ref, unresolvedRef } from './refs.ts';

/** A deterministic id in AWS's shape, e.g. `syntheticId('sg', 'Vpc/DefaultSecurityGroup')` → `sg-0…`. */
export function syntheticId(prefix: string, seed: string): string {
  return `${prefix}-0${createHash('sha256').update(seed).digest('hex').slice(0, 16)}`;
}

/** Maps every id of one entity family (physical id, ARN, name…) to the entity's key. */
export class IdIndex {
  private readonly keys = new Map<string, string>();

  add(key: string, ...ids: unknown[]): void {
    for (const id of ids) if (typeof id === 'string' && id !== '') this.keys.set(id, key);
  }

  keyOf(id: string): string | undefined {
    return this.keys.get(id);
  }

  /** A reference from a resolved property value: to an entity of this family, external, or unresolved. */
  ref(value: unknown, what: string): Ref {
    if (value === undefined || value === null || value === '') return unresolvedRef(`${what} is not set`);
    if (isUnresolved(value))
      return unresolvedRef(`${what} is unresolved (${value.intrinsic}: ${value.reason})`);
    if (typeof value !== 'string') return unresolvedRef(`${what} is not a string`);
    const key = this.keys.get(value);
    return key !== undefined
      ? { kind: 'resource', logicalId: key, physicalId: value }
      : { kind: 'external', physicalId: value };
  }

  /** References from a list property; a single value is accepted as a list of one. */
  refs(value: unknown, what: string): Ref[] {
    if (value === undefined || value === null) return [];
    if (isUnresolved(value))
      return [unresolvedRef(`${what} is unresolved (${value.intrinsic}: ${value.reason})`)];
    const items = Array.isArray(value) ? value : [value];
    return items.map((item, index) => this.ref(item, `${what}[${index}]`));
  }
}
