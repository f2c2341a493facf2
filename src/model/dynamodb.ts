/**
 * DynamoDB tables (and global tables) with their resource policies, kept as raw JSON.
 */
import type { BuildContext } from './context.ts';
import { obj, str } from './refs.ts';
import { parsePolicy } from './vpc-endpoint.ts';

export interface Table {
  readonly logicalId: string;
  readonly name: string;
  readonly arn?: string;
  readonly resourcePolicy?: unknown;
}

export function buildTables(ctx: BuildContext): Map<string, Table> {
  const tables = new Map<string, Table>();
  for (const resource of ctx.ofType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable')) {
    tables.set(resource.logicalId, {
      logicalId: resource.logicalId,
      name: resource.physicalId,
      arn: str(resource.attributes.Arn),
      resourcePolicy: parsePolicy(obj(resource.properties.ResourcePolicy)?.PolicyDocument),
    });
  }
  return tables;
}
