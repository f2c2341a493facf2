/**
 * Resolves a parsed template: parameters, conditions, then every resource in dependency order
 * (its properties, then its physical id and attributes), then the outputs.
 * One instance per load; every lookup is a map access, so the whole load is linear in the size
 * of the template.
 */
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
import type { ParsedTemplate } from './parse-template-text.ts';
import { PSEUDO_PARAMETERS, partitionOf, stackIdOf, urlSuffixOf } from './pseudo-parameters.ts';
import { collectReferences } from './references.ts';
import type { ReferenceKind } from './references.ts';
import { identityOf } from './resource-identity.ts';
import { SAM_TRANSFORM, samGeneratedNames } from './sam-generated.ts';
import { applySamGlobals } from './sam-globals.ts';
import { LANGUAGE_EXTENSIONS, expandForEach } from './for-each.ts';
import { readTemplateSections, readTransforms } from './template-sections.ts';
import type { ResourceDeclaration, TemplateSections } from './template-sections.ts';
import { collectUnresolved, unresolved } from './unresolved.ts';

const MODELLED = new Set(MODELLED_TYPES);
const PSEUDO = new Set<string>(PSEUDO_PARAMETERS);

function has(record: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(record, key);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The template's sections, after expanding Fn::ForEach when AWS::LanguageExtensions is declared;
 * a resource made by a loop gets the source line of its loop.
 */
function readSections(
  parsed: ParsedTemplate,
  parameters: Readonly<Record<string, unknown>>,
  file: string,
): { sections: TemplateSections; resourceLines: ReadonlyMap<string, number> } {
  const document = parsed.document;
  if (!isMapping(document) || !readTransforms(document.Transform, file).includes(LANGUAGE_EXTENSIONS)) {
    return { sections: readTemplateSections(document, file), resourceLines: parsed.resourceLines };
  }
  const expanded = expandForEach(document, parameters, file);
  const resourceLines = new Map(parsed.resourceLines);
  for (const [logicalId, loop] of expanded.loopOf) {
    const line = parsed.resourceLines.get(loop);
    if (line !== undefined) resourceLines.set(logicalId, line);
  }
  return { sections: readTemplateSections(expanded.document, file), resourceLines };
}

export class TemplateResolver {
  private readonly sections: TemplateSections;
  private readonly declarations: Readonly<Record<string, ResourceDeclaration>>;
  private readonly region: string;
  private readonly accountId: string;
  private readonly stackName: string;
  private readonly partition: string;
  private readonly urlSuffix: string;
  private readonly pseudo: Readonly<Record<string, unknown>>;
  private readonly parameters: Record<string, unknown>;
  /** Line of each logical id (a resource made by Fn::ForEach gets its loop's line). */
  private readonly resourceLines: ReadonlyMap<string, number>;
  private readonly conditions: ConditionTable;
  private readonly isSamGenerated: (name: string) => boolean;
  private readonly instances = new Map<string, ResourceInstance>();
  /** What Ref returns per resource (a token when built from an unresolved name). */
  private readonly refValues = new Map<string, unknown>();
  private readonly byPhysicalId = new Map<string, string>();
  private readonly skipped = new Set<string>();
  /** A resource resolved earlier, by the value its Ref returned (one function for every rule). */
  private readonly resourceByPhysicalId = (physicalId: string): ResourceInstance | undefined => {
    const owner = this.byPhysicalId.get(physicalId);
    return owner === undefined ? undefined : this.instances.get(owner);
  };

  constructor(
    parsed: ParsedTemplate,
    private readonly file: string,
    options: LoadOptions,
    defaultStackName: string,
  ) {
    const document = parsed.document;
    // Fn::ForEach loops may iterate over a list parameter, so parameters are read first.
    this.parameters = resolveParameters(
      isMapping(document) ? document.Parameters : undefined,
      options.parameters ?? {},
      file,
    );
    ({ sections: this.sections, resourceLines: this.resourceLines } = readSections(
      parsed,
      this.parameters,
      file,
    ));
    this.declarations = this.sections.transforms.includes(SAM_TRANSFORM)
      ? applySamGlobals(this.sections.globals, this.sections.resources)
      : this.sections.resources;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.stackName = options.stackName ?? defaultStackName;
    this.partition = partitionOf(this.region);
    this.urlSuffix = urlSuffixOf(this.region);
    this.pseudo = {
      'AWS::AccountId': this.accountId,
      'AWS::NotificationARNs': [],
      'AWS::Partition': this.partition,
      'AWS::Region': this.region,
      'AWS::StackId': stackIdOf(this.partition, this.region, this.accountId, this.stackName),
      'AWS::StackName': this.stackName,
      'AWS::URLSuffix': this.urlSuffix,
    };
    this.isSamGenerated = samGeneratedNames(this.sections.transforms, this.declarations);
    this.conditions = new ConditionTable(
      this.sections.conditions,
      file,
      () => new ResolutionScope(this, '', false),
    );
  }

  resolve(): Template {
    const created = this.createdResources();
    const dependencies = new Map<string, Set<string>>();
    for (const logicalId of created) dependencies.set(logicalId, this.dependenciesOf(logicalId));
    for (const logicalId of dependencyOrder(created, dependencies, this.file))
      this.resolveResource(logicalId);

    const unresolvedRefs: UnresolvedRef[] = [];
    for (const [name, value] of Object.entries(this.parameters)) {
      collectUnresolved(value, name, childPointer('/Parameters', name), unresolvedRefs);
    }
    // Template order for consumers, whatever the creation order was.
    const resources: Record<string, ResourceInstance> = {};
    const unsupported = new Set<string>();
    for (const logicalId of created) {
      const instance = this.instances.get(logicalId) as ResourceInstance;
      resources[logicalId] = instance;
      if (!MODELLED.has(instance.type)) unsupported.add(instance.type);
      const base = childPointer('/Resources', logicalId);
      collectUnresolved(instance.properties, logicalId, childPointer(base, 'Properties'), unresolvedRefs);
      if (instance.metadata !== undefined) {
        collectUnresolved(instance.metadata, logicalId, childPointer(base, 'Metadata'), unresolvedRefs);
      }
    }
    const outputs = this.resolveOutputs(unresolvedRefs);
    return {
      file: this.file,
      region: this.region,
      accountId: this.accountId,
      partition: this.partition,
      urlSuffix: this.urlSuffix,
      stackName: this.stackName,
      parameters: this.parameters,
      resources,
      skipped: [...this.skipped],
      outputs,
      unresolved: unresolvedRefs,
      unsupportedTypes: [...unsupported].sort(),
      byPhysicalId: this.byPhysicalId,
      transforms: this.sections.transforms,
    };
  }

  // ---------- names, as a Scope sees them ----------

  ref(name: string, pointer: string, from: string, allowResources: boolean): unknown {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (PSEUDO.has(name)) return this.pseudo[name];
    if (has(this.parameters, name)) return this.parameters[name];
    if (has(this.declarations, name)) {
      if (!allowResources) throw this.error(`conditions cannot refer to resource ${name}.`, from, pointer);
      return this.created(name, pointer, from, this.refValues);
    }
    if (this.isSamGenerated(name)) return this.samToken('Ref', { Ref: name }, name);
    throw this.error(`Ref to "${name}", but there is no parameter or resource by that name.`, from, pointer);
  }

  getAtt(
    resource: string,
    attribute: string,
    pointer: string,
    from: string,
    allowResources: boolean,
  ): unknown {
    const declared = has(this.declarations, resource);
    if (allowResources && !declared && this.isSamGenerated(resource)) {
      return this.samToken('Fn::GetAtt', { 'Fn::GetAtt': [resource, attribute] }, resource);
    }
    if (!allowResources || !declared) {
      throw this.error(`Fn::GetAtt on "${resource}", but there is no resource by that name.`, from, pointer);
    }
    const instance = this.created(resource, pointer, from, this.instances);
    if (has(instance.attributes, attribute)) return instance.attributes[attribute];
    return unresolved(
      'Fn::GetAtt',
      { 'Fn::GetAtt': [resource, attribute] },
      `attribute ${attribute} of ${instance.type} is not known before deployment (or not modelled by the loader)`,
    );
  }

  condition(name: string, pointer: string, from: string): boolean {
    return this.conditions.evaluate(name, pointer, from || undefined);
  }

  get fileName(): string {
    return this.file;
  }

  get stackRegion(): string {
    return this.region;
  }

  get mappings(): Readonly<Record<string, unknown>> {
    return this.sections.mappings;
  }

  // ---------- steps ----------

  /** Logical ids whose Condition holds, in template order; the others are recorded as skipped. */
  private createdResources(): string[] {
    const created: string[] = [];
    for (const [logicalId, declaration] of Object.entries(this.declarations)) {
      const on = declaration.Condition;
      const pointer = childPointer(childPointer('/Resources', logicalId), 'Condition');
      if (on !== undefined && !this.conditions.evaluate(on, pointer, logicalId)) this.skipped.add(logicalId);
      else created.push(logicalId);
    }
    return created;
  }

  /** DependsOn plus every resource named by Ref, GetAtt or Sub (in the branches Fn::If takes). */
  private dependenciesOf(logicalId: string): Set<string> {
    const declaration = this.declarations[logicalId];
    const needs = new Set<string>();
    const base = childPointer('/Resources', logicalId);
    declaration.DependsOn.forEach((name, i) => {
      const pointer = childPointer(childPointer(base, 'DependsOn'), i);
      if (!has(this.declarations, name)) {
        throw this.error(
          `DependsOn names "${name}", but there is no resource by that name.`,
          logicalId,
          pointer,
        );
      }
      if (this.skipped.has(name)) {
        throw this.error(
          `DependsOn names ${name}, which is not created (its Condition is false).`,
          logicalId,
          pointer,
        );
      }
      needs.add(name);
    });
    const visit = (name: string, kind: ReferenceKind, pointer: string): void => {
      if (has(this.declarations, name)) {
        if (this.skipped.has(name)) this.created(name, pointer, logicalId, this.refValues);
        needs.add(name);
      } else if (this.isSamGenerated(name)) {
        return;
      } else if (kind === 'Fn::GetAtt') {
        throw this.error(
          `Fn::GetAtt on "${name}", but there is no resource by that name.`,
          logicalId,
          pointer,
        );
      } else if (!PSEUDO.has(name) && !has(this.parameters, name)) {
        throw this.error(
          `Ref to "${name}", but there is no parameter or resource by that name.`,
          logicalId,
          pointer,
        );
      }
    };
    const condition = (name: string, pointer: string): boolean =>
      this.conditions.evaluate(name, pointer, logicalId);
    collectReferences(declaration.Properties, childPointer(base, 'Properties'), visit, condition);
    collectReferences(declaration.Metadata, childPointer(base, 'Metadata'), visit, condition);
    return needs;
  }

  private resolveResource(logicalId: string): void {
    const declaration = this.declarations[logicalId];
    const base = childPointer('/Resources', logicalId);
    const scope = new ResolutionScope(this, logicalId, true);
    const properties = markDynamicReferences(
      resolveValue(declaration.Properties ?? {}, childPointer(base, 'Properties'), scope),
    ) as Record<string, unknown>;
    const metadata =
      declaration.Metadata === undefined
        ? undefined
        : markDynamicReferences(resolveValue(declaration.Metadata, childPointer(base, 'Metadata'), scope));
    const identity = identityOf({
      stackName: this.stackName,
      region: this.region,
      accountId: this.accountId,
      partition: this.partition,
      urlSuffix: this.urlSuffix,
      logicalId,
      type: declaration.Type,
      properties,
      resourceByPhysicalId: this.resourceByPhysicalId,
    });
    const line = this.resourceLines.get(logicalId);
    const instance: ResourceInstance = {
      logicalId,
      type: declaration.Type,
      properties,
      physicalId: identity.physicalId,
      attributes: identity.attributes,
      dependsOn: declaration.DependsOn,
      ...(metadata === undefined || metadata === NO_VALUE ? {} : { metadata }),
      ...(line === undefined ? {} : { line }),
    };
    this.instances.set(logicalId, instance);
    this.refValues.set(logicalId, identity.ref);
    this.byPhysicalId.set(identity.physicalId, logicalId);
    // The resource's own ARNs (Arn, DBInstanceArn, TopicArn…), not those of things it holds
    // (`MasterUserSecret.SecretArn` names a secret RDS creates).
    for (const [attribute, value] of Object.entries(identity.attributes)) {
      if (
        attribute.endsWith('Arn') &&
        !attribute.includes('.') &&
        typeof value === 'string' &&
        value.startsWith('arn:')
      ) {
        this.byPhysicalId.set(value, logicalId);
      }
    }
  }

  private resolveOutputs(unresolvedRefs: UnresolvedRef[]): Record<string, unknown> {
    const outputs: Record<string, unknown> = {};
    const scope = new ResolutionScope(this, '', true);
    for (const [name, output] of Object.entries(this.sections.outputs)) {
      const pointer = childPointer('/Outputs', name);
      if (
        output.Condition !== undefined &&
        !this.conditions.evaluate(output.Condition, childPointer(pointer, 'Condition'))
      ) {
        continue;
      }
      const value = markDynamicReferences(resolveValue(output.Value, childPointer(pointer, 'Value'), scope));
      if (value === NO_VALUE) continue;
      outputs[name] = value;
      collectUnresolved(value, name, childPointer(pointer, 'Value'), unresolvedRefs);
    }
    return outputs;
  }

  // ---------- helpers ----------

  /** A value of a created resource; a reference to a skipped one is the user's error. */
  private created<T>(name: string, pointer: string, from: string, table: ReadonlyMap<string, T>): T {
    if (this.skipped.has(name)) {
      const condition = String(this.declarations[name].Condition);
      throw this.error(
        `refers to ${name}, which is not created because its Condition ${condition} is false; guard the reference with Fn::If.`,
        from,
        pointer,
      );
    }
    const value = table.get(name);
    if (value === undefined)
      throw new Error(`loader bug: ${name} used before it was resolved (from ${from})`);
    return value;
  }

  private samToken(intrinsic: string, expression: unknown, name: string): unknown {
    return unresolved(
      intrinsic,
      expression,
      `${name} is created by the ${SAM_TRANSFORM} transform, which the loader does not run`,
    );
  }

  private error(message: string, logicalId: string | undefined, pointer: string): UserError {
    return new UserError(message, { file: this.file, logicalId: logicalId || undefined, pointer });
  }
}

/** The Scope intrinsics see while resolving one resource ('' for outputs and conditions). */
class ResolutionScope implements Scope {
  constructor(
    private readonly resolver: TemplateResolver,
    readonly logicalId: string,
    private readonly allowResources: boolean,
  ) {}

  get file(): string {
    return this.resolver.fileName;
  }

  get region(): string {
    return this.resolver.stackRegion;
  }

  get mappings(): Readonly<Record<string, unknown>> {
    return this.resolver.mappings;
  }

  ref(name: string, pointer: string): unknown {
    return this.resolver.ref(name, pointer, this.logicalId, this.allowResources);
  }

  getAtt(resource: string, attribute: string, pointer: string): unknown {
    return this.resolver.getAtt(resource, attribute, pointer, this.logicalId, this.allowResources);
  }

  condition(name: string, pointer: string): boolean {
    return this.resolver.condition(name, pointer, this.logicalId);
  }
}
