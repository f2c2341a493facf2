/**
 * SAM's `Globals` section, merged into the serverless resources it covers before resolution, as the
 * SAM transform does: a resource's primitive values override the global ones, maps merge (the
 * resource wins on a conflict), lists are additive (global items first). An intrinsic on either
 * side counts as a primitive.
 * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html
 */
import type { ResourceDeclaration } from './template-sections.ts';

const GLOBAL_SECTIONS: Readonly<Record<string, string>> = {
  Function: 'AWS::Serverless::Function',
  Api: 'AWS::Serverless::Api',
  HttpApi: 'AWS::Serverless::HttpApi',
  SimpleTable: 'AWS::Serverless::SimpleTable',
  StateMachine: 'AWS::Serverless::StateMachine',
};

function isPlainMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return !(keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::')));
}

export function mergeGlobal(global: unknown, local: unknown): unknown {
  if (local === undefined) return global;
  if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
  if (isPlainMap(global) && isPlainMap(local)) {
    const merged: Record<string, unknown> = { ...global };
    for (const [key, value] of Object.entries(local)) merged[key] = mergeGlobal(global[key], value);
    return merged;
  }
  return local;
}

/** The declarations with Globals applied (unchanged when there is no Globals section). */
export function applySamGlobals(
  globals: unknown,
  declarations: Readonly<Record<string, ResourceDeclaration>>,
): Readonly<Record<string, ResourceDeclaration>> {
  if (!isPlainMap(globals)) return declarations;
  const byType = new Map<string, unknown>();
  for (const [section, type] of Object.entries(GLOBAL_SECTIONS)) {
    if (isPlainMap(globals[section])) byType.set(type, globals[section]);
  }
  if (byType.size === 0) return declarations;
  const merged: Record<string, ResourceDeclaration> = {};
  for (const [logicalId, declaration] of Object.entries(declarations)) {
    const global = byType.get(declaration.Type);
    merged[logicalId] =
      global === undefined
        ? declaration
        : { ...declaration, Properties: mergeGlobal(global, declaration.Properties ?? {}) };
  }
  return merged;
}
