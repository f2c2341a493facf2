/**
 * Creation order of resources: a topological sort (Kahn) over their dependencies, stable with
 * respect to template order. A cycle is a user error naming the resources in it.
 */
import { UserError } from '../cli/user-error.ts';

/** `dependencies.get(a)` = the resources `a` needs first. Every id must be a key. */
export function dependencyOrder(
  ids: readonly string[],
  dependencies: ReadonlyMap<string, ReadonlySet<string>>,
  file: string,
): string[] {
  const waitingOn = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const id of ids) {
    const needs = dependencies.get(id) ?? new Set<string>();
    waitingOn.set(id, needs.size);
    for (const need of needs) {
      const list = dependents.get(need);
      if (list) list.push(id);
      else dependents.set(need, [id]);
    }
  }
  const ready = ids.filter((id) => waitingOn.get(id) === 0);
  const order: string[] = [];
  for (let head = 0; head < ready.length; head++) {
    const id = ready[head];
    order.push(id);
    for (const dependent of dependents.get(id) ?? []) {
      const left = (waitingOn.get(dependent) ?? 0) - 1;
      waitingOn.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  if (order.length < ids.length) {
    const cycle = findCycle(
      ids.filter((id) => (waitingOn.get(id) ?? 0) > 0),
      dependencies,
    );
    throw new UserError(
      `circular dependency between resources: ${cycle.join(' → ')}. Break the cycle (e.g. move a security group rule into a separate AWS::EC2::SecurityGroupIngress resource).`,
      { file, logicalId: cycle[0], pointer: `/Resources/${cycle[0]}` },
    );
  }
  return order;
}

/** One concrete cycle among the resources left unsorted, written a → b → … → a. */
function findCycle(
  stuck: readonly string[],
  dependencies: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const inStuck = new Set(stuck);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    path.push(id);
    for (const next of dependencies.get(id) ?? []) {
      if (!inStuck.has(next)) continue;
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of stuck) {
    if (state.get(id) === undefined) {
      const found = visit(id);
      if (found) return found;
    }
  }
  return [...stuck];
}
