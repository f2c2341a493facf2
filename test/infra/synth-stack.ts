/** Shared by the infra tests: synthesize SecureCart once per test file and look things up in it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../infra/lib/app.ts';
import type { SecureCartStack } from '../../infra/lib/securecart-stack.ts';

export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  Metadata?: Record<string, unknown>;
}

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action?: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface Synthesized {
  stack: SecureCartStack;
  template: Template;
  resources: Record<string, Resource>;
  /** The logical id of a construct's CloudFormation resource (its default child). */
  id(construct: IConstruct): string;
  ofType(type: string): [string, Resource][];
}

export function synthesizeStack(): Synthesized {
  const { stack } = buildApp(mkdtempSync(join(tmpdir(), 'securecart-test-')));
  const template = Template.fromStack(stack);
  const resources = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
  return {
    stack,
    template,
    resources,
    id: (construct) => stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement),
    ofType: (type) => Object.entries(resources).filter(([, resource]) => resource.Type === type),
  };
}

export function list<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every statement of every policy-like document in the template, with where it came from. */
export function allStatements(
  resources: Record<string, Resource>,
): { logicalId: string; type: string; statement: Statement }[] {
  const out: { logicalId: string; type: string; statement: Statement }[] = [];
  const visit = (logicalId: string, type: string, value: unknown): void => {
    if (Array.isArray(value)) return value.forEach((item) => visit(logicalId, type, item));
    if (typeof value !== 'object' || value === null) return;
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.Statement)) {
      for (const statement of record.Statement as Statement[]) out.push({ logicalId, type, statement });
      return;
    }
    for (const child of Object.values(record)) visit(logicalId, type, child);
  };
  for (const [logicalId, resource] of Object.entries(resources))
    visit(logicalId, resource.Type, resource.Properties);
  return out;
}

/** `{ "Fn::GetAtt": [id, "Arn"] }` — how the template names a role's, table's or bucket's ARN. */
export const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
export const ref = (logicalId: string) => ({ Ref: logicalId });
export const groupIdOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'GroupId'] });
