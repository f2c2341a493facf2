/**
 * The template's Conditions, each evaluated once on demand (they may refer to each other).
 * A condition that depends on a value unknown before deployment cannot be decided: that is a
 * user error asking for a `--param`, never a guess.
 */
import { UserError } from '../cli/user-error.ts';
import { childPointer } from './json-pointer.ts';
import { resolveConditionExpression } from './intrinsics.ts';
import type { Scope } from './intrinsics.ts';
import { isUnresolved } from './unresolved.ts';

export class ConditionTable {
  private readonly values = new Map<string, boolean>();
  private readonly evaluating = new Set<string>();

  constructor(
    private readonly definitions: Readonly<Record<string, unknown>>,
    private readonly file: string,
    private readonly scopeFor: (conditionName: string) => Scope,
  ) {}

  evaluate(name: string, pointer: string, from?: string): boolean {
    const known = this.values.get(name);
    if (known !== undefined) return known;
    if (!Object.prototype.hasOwnProperty.call(this.definitions, name)) {
      throw new UserError(`no condition named "${name}" in Conditions; define it or fix the name.`, {
        file: this.file,
        logicalId: from,
        pointer,
      });
    }
    const at = childPointer('/Conditions', name);
    if (this.evaluating.has(name)) {
      throw new UserError(
        `conditions refer to each other in a cycle: ${[...this.evaluating, name].join(' → ')}.`,
        {
          file: this.file,
          pointer: at,
        },
      );
    }
    this.evaluating.add(name);
    const value = resolveConditionExpression(this.definitions[name], at, this.scopeFor(name));
    this.evaluating.delete(name);
    if (isUnresolved(value)) {
      throw new UserError(
        `condition ${name} cannot be decided before deployment: ${value.reason}. Pass --param for the parameter it uses.`,
        { file: this.file, pointer: at },
      );
    }
    this.values.set(name, value);
    return value;
  }
}
