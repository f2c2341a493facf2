/**
 * Loads a CloudFormation template (JSON or YAML) and resolves it: parameters, conditions,
 * intrinsics, physical ids and attributes, in dependency order. See types.ts for the contract and
 * docs/cloudformation-semantics.md for the AWS behaviour it follows.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { UserError } from '../cli/user-error.ts';
import type { LoadOptions, ResourceInstance, Template, UnresolvedRef } from './types.ts';
import { ConditionTable } from './conditions.ts';
import { dependencyOrder } from './dependency-order.ts';
import { markDynamicReferences } from './dynamic-references.ts';
import { NO_VALUE, resolveValue } from './intrinsics.ts';
import type { Scope } from './intrinsics.ts';
import { childPointer } from './json-pointer.ts';
import { MODELLED_TYPES } from './modelled-types.ts';
import { resolveParameters } from './parameters.ts';
import { parseTemplateText } from './parse-template-text.ts';
import { PSEUDO_PARAMETERS, partitionOf, stackIdOf, urlSuffixOf } from './pseudo-parameters.ts';
import { collectReferences } from './references.ts';
import { identityOf } from './resource-identity.ts';
import { SAM_TRANSFORM, samGeneratedNames } from './sam-generated.ts';
import { readTemplateSections } from './template-sections.ts';
import type { ResourceDeclaration } from './template-sections.ts';
import { collectUnresolved, unresolved } from './unresolved.ts';

export type { LoadOptions, Template } from './types.ts';
export { parseParamOverrides } from './parameters.ts';
export { eniId } from './physical-ids.ts';

const MODELLED = new Set(MODELLED_TYPES);
const PSEUDO = new Set<string>(PSEUDO_PARAMETERS);

export function loadTemplate(file: string, options: LoadOptions = {}): Template {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UserError(`cannot read the template (${code}); check the path.`, { file });
  }
  return loadTemplateText(text, file, options);
}

export function loadTemplateText(text: string, file: string, options: LoadOptions = {}): Template {
  const { document, resourceLines } = parseTemplateText(text, file);
  const sections = readTemplateSections(document, file);
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  // `SecureCart.template.json` (CDK's output name) → `SecureCart`.
  const stackName = options.stackName ?? basename(file, extname(file)).replace(/\.template$/, '');
  const partition = partitionOf(region);
  const urlSuffix = urlSuffixOf(region);
  const pseudo: Record<string, unknown> = {
    'AWS::AccountId': accountId,
    'AWS::NotificationARNs': [],
    'AWS::Partition': partition,
    'AWS::Region': region,
    'AWS::StackId': stackIdOf(partition, region, accountId, stackName),
    'AWS::StackName': stackName,
    'AWS::URLSuffix': urlSuffix,
  };
  const parameters = resolveParameters(sections.parameters, options.parameters ?? {}, file);
  const declarations = sections.resources;
  const isSamGenerated = samGeneratedNames(sections.transforms, declarations);
  const samToken = (intrinsic: string, expression: unknown, name: string) =>
    unresolved(
      intrinsic,
      expression,
      `${name} is created by the ${SAM_TRANSFORM} transform, which the loader does not run`,
    );

  const instances = new Map<string, ResourceInstance>();
  const refValues = new Map<string, unknown>();
  const byPhysicalId = new Map<string, string>();
  const skippedSet = new Set<string>();

  const where = (logicalId: string | undefined, pointer: string) => ({
    file,
    logicalId: logicalId || undefined,
    pointer,
  });

  const valueOfName = (name: string, pointer: string, from: string, allowResources: boolean): unknown => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (PSEUDO.has(name)) return pseudo[name];
    if (Object.prototype.hasOwnProperty.call(parameters, name)) return parameters[name];
    if (Object.prototype.hasOwnProperty.call(declarations, name)) {
      if (!allowResources)
        throw new UserError(`conditions cannot refer to resource ${name}.`, where(from, pointer));
      return resourceValue(name, pointer, from, refValues);
    }
    if (isSamGenerated(name)) return samToken('Ref', { Ref: name }, name);
    throw new UserError(
      `Ref to "${name}", but there is no parameter or resource by that name.`,
      where(from, pointer),
    );
  };

  const resourceValue = <T>(name: string, pointer: string, from: string, table: Map<string, T>): T => {
    if (skippedSet.has(name)) {
      const condition = String(declarations[name].Condition);
      throw new UserError(
        `refers to ${name}, which is not created because its Condition ${condition} is false; guard the reference with Fn::If.`,
        where(from, pointer),
      );
    }
    const value = table.get(name);
    if (value === undefined)
      throw new Error(`loader bug: ${name} used before it was resolved (from ${from})`);
    return value;
  };

  /** `logicalId` is the resource being resolved, '' for outputs and conditions (the pointer names those). */
  const scopeFor = (logicalId: string, allowResources: boolean): Scope => ({
    file,
    logicalId,
    region,
    mappings: sections.mappings,
    ref: (name, pointer) => valueOfName(name, pointer, logicalId, allowResources),
    getAtt: (resource, attribute, pointer) => {
      if (
        allowResources &&
        isSamGenerated(resource) &&
        !Object.prototype.hasOwnProperty.call(declarations, resource)
      ) {
        return samToken('Fn::GetAtt', { 'Fn::GetAtt': [resource, attribute] }, resource);
      }
      if (!allowResources || !Object.prototype.hasOwnProperty.call(declarations, resource)) {
        throw new UserError(
          `Fn::GetAtt on "${resource}", but there is no resource by that name.`,
          where(logicalId, pointer),
        );
      }
      const instance = resourceValue(resource, pointer, logicalId, instances);
      if (Object.prototype.hasOwnProperty.call(instance.attributes, attribute))
        return instance.attributes[attribute];
      return unresolved(
        'Fn::GetAtt',
        { 'Fn::GetAtt': [resource, attribute] },
        `attribute ${attribute} of ${instance.type} is not known before deployment (or not modelled by the loader)`,
      );
    },
    condition: (name, pointer) => conditions.evaluate(name, pointer, logicalId),
  });

  const conditions = new ConditionTable(sections.conditions, file, () => scopeFor('', false));

  // Which resources exist, and what each needs first.
  const order: string[] = [];
  for (const [logicalId, declaration] of Object.entries(declarations)) {
    const on = declaration.Condition;
    const pointer = `/Resources/${logicalId}/Condition`;
    if (on !== undefined && !conditions.evaluate(on, pointer, logicalId)) skippedSet.add(logicalId);
    else order.push(logicalId);
  }
  const dependencies = new Map<string, Set<string>>();
  for (const logicalId of order) {
    dependencies.set(logicalId, dependenciesOf(logicalId, declarations[logicalId]));
  }

  function dependenciesOf(logicalId: string, declaration: ResourceDeclaration): Set<string> {
    const needs = new Set<string>();
    const base = childPointer('/Resources', logicalId);
    declaration.DependsOn.forEach((name, i) => {
      const pointer = childPointer(childPointer(base, 'DependsOn'), i);
      if (!Object.prototype.hasOwnProperty.call(declarations, name)) {
        throw new UserError(
          `DependsOn names "${name}", but there is no resource by that name.`,
          where(logicalId, pointer),
        );
      }
      if (skippedSet.has(name)) {
        throw new UserError(
          `DependsOn names ${name}, which is not created (its Condition is false).`,
          where(logicalId, pointer),
        );
      }
      needs.add(name);
    });
    const visit = (name: string, kind: 'Ref' | 'Fn::GetAtt', pointer: string): void => {
      if (Object.prototype.hasOwnProperty.call(declarations, name)) {
        if (skippedSet.has(name)) resourceValue(name, pointer, logicalId, refValues);
        needs.add(name);
      } else if (isSamGenerated(name)) {
        return;
      } else if (kind === 'Fn::GetAtt') {
        throw new UserError(
          `Fn::GetAtt on "${name}", but there is no resource by that name.`,
          where(logicalId, pointer),
        );
      } else if (!PSEUDO.has(name) && !Object.prototype.hasOwnProperty.call(parameters, name)) {
        throw new UserError(
          `Ref to "${name}", but there is no parameter or resource by that name.`,
          where(logicalId, pointer),
        );
      }
    };
    const condition = (name: string, pointer: string): boolean =>
      conditions.evaluate(name, pointer, logicalId);
    collectReferences(declaration.Properties, childPointer(base, 'Properties'), visit, condition);
    collectReferences(declaration.Metadata, childPointer(base, 'Metadata'), visit, condition);
    return needs;
  }

  const resources: Record<string, ResourceInstance> = {};
  const unresolvedRefs: UnresolvedRef[] = [];
  for (const [name, value] of Object.entries(parameters)) {
    collectUnresolved(value, name, childPointer('/Parameters', name), unresolvedRefs);
  }
  for (const logicalId of dependencyOrder(order, dependencies, file)) {
    const declaration = declarations[logicalId];
    const base = childPointer('/Resources', logicalId);
    const scope = scopeFor(logicalId, true);
    const properties = resolveValue(
      declaration.Properties ?? {},
      childPointer(base, 'Properties'),
      scope,
    ) as Record<string, unknown>;
    const metadata =
      declaration.Metadata === undefined
        ? undefined
        : resolveValue(declaration.Metadata, childPointer(base, 'Metadata'), scope);
    const identity = identityOf({
      stackName,
      region,
      accountId,
      partition,
      urlSuffix,
      logicalId,
      type: declaration.Type,
      properties,
      resourceByPhysicalId: (physicalId) => {
        const owner = byPhysicalId.get(physicalId);
        return owner === undefined ? undefined : instances.get(owner);
      },
    });
    const instance: ResourceInstance = {
      logicalId,
      type: declaration.Type,
      properties,
      physicalId: identity.physicalId,
      attributes: identity.attributes,
      dependsOn: declaration.DependsOn,
      ...(metadata === undefined || metadata === NO_VALUE ? {} : { metadata }),
      ...(resourceLines.has(logicalId) ? { line: resourceLines.get(logicalId) } : {}),
    };
    instances.set(logicalId, instance);
    refValues.set(logicalId, identity.ref);
    byPhysicalId.set(identity.physicalId, logicalId);
    const arn = identity.attributes.Arn;
    if (typeof arn === 'string') byPhysicalId.set(arn, logicalId);
  }
  // Template order for consumers, whatever the creation order was.
  for (const logicalId of order) {
    const instance = instances.get(logicalId) as ResourceInstance;
    resources[logicalId] = instance;
    const base = childPointer('/Resources', logicalId);
    collectUnresolved(instance.properties, logicalId, childPointer(base, 'Properties'), unresolvedRefs);
    if (instance.metadata !== undefined)
      collectUnresolved(instance.metadata, logicalId, childPointer(base, 'Metadata'), unresolvedRefs);
  }

  const outputs: Record<string, unknown> = {};
  for (const [name, output] of Object.entries(sections.outputs)) {
    const pointer = childPointer('/Outputs', name);
    if (
      output.Condition !== undefined &&
      !conditions.evaluate(output.Condition, childPointer(pointer, 'Condition'), name)
    )
      continue;
    const value = markDynamicReferences(
      resolveValue(output.Value, childPointer(pointer, 'Value'), scopeFor('', true)),
    );
    if (value === NO_VALUE) continue;
    outputs[name] = value;
    collectUnresolved(value, name, childPointer(pointer, 'Value'), unresolvedRefs);
  }

  const unsupported = new Set<string>();
  for (const logicalId of order) {
    const type = declarations[logicalId].Type;
    if (!MODELLED.has(type)) unsupported.add(type);
  }

  return {
    file,
    region,
    accountId,
    partition,
    urlSuffix,
    stackName,
    parameters,
    resources,
    skipped: [...skippedSet],
    outputs,
    unresolved: unresolvedRefs,
    unsupportedTypes: [...unsupported].sort(),
    byPhysicalId,
    transforms: sections.transforms,
  };
}
