/**
 * DynamoDB request → `dynamodb:<Operation>` on table (or index) ARNs. Batch operations name
 * every table they touch; transactions are authorized item by item with the item action
 * (PutItem, UpdateItem, DeleteItem, ConditionCheckItem, GetItem).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
import type { AuthorizationCheck, Classified, ServiceRequest } from '../plugin.ts';
import { parseJsonObject, targetOperation } from '../common/json-protocol.ts';

export interface TableNaming {
  tableArn(name: string): string;
  /** The partition key attribute of a known table (for dynamodb:LeadingKeys). */
  partitionKeyOf(table: string): string | undefined;
}

const ACCOUNT_LEVEL = new Set([
  'ListTables',
  'DescribeEndpoints',
  'DescribeLimits',
  'ListBackups',
  'ListGlobalTables',
  'ListExports',
  'ListImports',
]);
const BY_RESOURCE_ARN = new Set([
  'PutResourcePolicy',
  'GetResourcePolicy',
  'DeleteResourcePolicy',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
]);
const TRANSACT_ACTIONS: Record<string, string> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
  Get: 'GetItem',
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The scalar value of a DynamoDB AttributeValue ({S: 'x'} → 'x'). */
function scalar(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined;
  for (const type of ['S', 'N', 'B']) if (typeof value[type] === 'string') return value[type] as string;
  return undefined;
}

export function classifyDynamoDb(req: ServiceRequest, naming: TableNaming): Classified {
  const target = req.headers['x-amz-target'] ?? '';
  const operation = targetOperation(req, target.split('.')[0]) ?? 'Unknown';
  let input: Record<string, unknown> = {};
  try {
    input = parseJsonObject(req.body);
  } catch {
    // handle() reports it.
  }
  const action = `dynamodb:${operation}`;
  const checks: AuthorizationCheck[] = [];
  const tables = new Set<string>();
  const leadingKeys = new Set<string>();
  const addLeadingKey = (table: string, item: unknown): void => {
    const pk = naming.partitionKeyOf(table);
    const value = pk !== undefined && isRecord(item) ? scalar(item[pk]) : undefined;
    if (value !== undefined) leadingKeys.add(value);
  };
  const tableName = typeof input.TableName === 'string' ? input.TableName : undefined;

  if (BY_RESOURCE_ARN.has(operation) && typeof input.ResourceArn === 'string') {
    checks.push({ action, resource: input.ResourceArn });
    const table = /:table\/([^/]+)/.exec(input.ResourceArn)?.[1];
    if (table !== undefined) tables.add(table);
  } else if (
    (operation === 'BatchGetItem' || operation === 'BatchWriteItem') &&
    isRecord(input.RequestItems)
  ) {
    for (const [table, request] of Object.entries(input.RequestItems)) {
      tables.add(table);
      checks.push({ action, resource: naming.tableArn(table) });
      if (operation === 'BatchGetItem' && isRecord(request) && Array.isArray(request.Keys))
        for (const key of request.Keys) addLeadingKey(table, key);
      if (operation === 'BatchWriteItem' && Array.isArray(request)) {
        for (const write of request) {
          if (!isRecord(write)) continue;
          const item = isRecord(write.PutRequest)
            ? write.PutRequest.Item
            : isRecord(write.DeleteRequest)
              ? write.DeleteRequest.Key
              : undefined;
          addLeadingKey(table, item);
        }
      }
    }
  } else if (
    (operation === 'TransactWriteItems' || operation === 'TransactGetItems') &&
    Array.isArray(input.TransactItems)
  ) {
    for (const entry of input.TransactItems) {
      if (!isRecord(entry)) continue;
      for (const [kind, body] of Object.entries(entry)) {
        if (!isRecord(body) || typeof body.TableName !== 'string' || TRANSACT_ACTIONS[kind] === undefined)
          continue;
        tables.add(body.TableName);
        checks.push({
          action: `dynamodb:${TRANSACT_ACTIONS[kind]}`,
          resource: naming.tableArn(body.TableName),
        });
        addLeadingKey(body.TableName, body.Item ?? body.Key);
      }
    }
  } else if (tableName !== undefined) {
    tables.add(tableName);
    const indexName = typeof input.IndexName === 'string' ? input.IndexName : undefined;
    const base = naming.tableArn(tableName);
    checks.push({
      action,
      resource:
        indexName !== undefined && (operation === 'Query' || operation === 'Scan')
          ? `${base}/index/${indexName}`
          : base,
    });
    addLeadingKey(tableName, input.Item ?? input.Key);
  }
  if (checks.length === 0 || ACCOUNT_LEVEL.has(operation)) {
    if (checks.length === 0) checks.push({ action, resource: '*' });
  }

  const serviceKeys: Record<string, string | string[]> = {};
  if (leadingKeys.size > 0) serviceKeys['dynamodb:LeadingKeys'] = [...leadingKeys];
  for (const [member, key] of [
    ['Select', 'dynamodb:Select'],
    ['ReturnValues', 'dynamodb:ReturnValues'],
    ['ReturnConsumedCapacity', 'dynamodb:ReturnConsumedCapacity'],
  ] as const) {
    if (typeof input[member] === 'string') serviceKeys[key] = input[member] as string;
  }
  if (Array.isArray(input.AttributesToGet))
    serviceKeys['dynamodb:Attributes'] = input.AttributesToGet.map(String);
  const policyArns = [...tables].map((t) => naming.tableArn(t));
  return {
    service: 'dynamodb',
    operation,
    actions: [...new Set(checks.map((c) => c.action))],
    resources: [...new Set(checks.map((c) => c.resource))],
    checks,
    resourceOwner: policyArns.length > 0 ? 'table' : undefined,
    policyArns,
    serviceKeys,
  };
}
