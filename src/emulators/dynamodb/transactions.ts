/**
 * TransactWriteItems and TransactGetItems on top of dynalite, which has neither. The plugin runs
 * them under an exclusive lock (every other request holds it shared), so no request sees a
 * transaction half-done. Writes are applied one by one with their own conditions, each item's
 * before-image kept; if any condition fails, everything applied is restored and the caller gets
 * TransactionCanceledException with one reason per item, as DynamoDB answers.
 * Not atomic against a crash of the process in the middle of a transaction.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
import { ServiceError } from '../common/service-error.ts';

/** Calls one dynalite operation; throws ServiceError with DynamoDB's code on failure. */
export type DynamoCall = (operation: string, input: unknown) => Promise<Record<string, unknown>>;

type Item = Record<string, unknown>;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_ITEMS = 100;

interface WriteStep {
  readonly kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  readonly body: Record<string, unknown>;
  readonly tableName: string;
}

/** Copies the expression members every transaction item may carry. */
function expressionMembers(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of ['ConditionExpression', 'ExpressionAttributeNames', 'ExpressionAttributeValues']) {
    if (body[member] !== undefined) out[member] = body[member];
  }
  return out;
}

async function keyOf(call: DynamoCall, tableName: string, itemOrKey: Item): Promise<Item> {
  const table = (await call('DescribeTable', { TableName: tableName })).Table as {
    KeySchema: Array<{ AttributeName: string }>;
  };
  const key: Item = {};
  for (const { AttributeName } of table.KeySchema) key[AttributeName] = itemOrKey[AttributeName];
  return key;
}

function validationError(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

function parseWriteSteps(input: Record<string, unknown>): WriteStep[] {
  const items = input.TransactItems;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_ITEMS) {
    throw validationError(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ITEMS} and greater than or equal to 1`,
    );
  }
  return items.map((entry) => {
    const kinds = isRecord(entry)
      ? Object.keys(entry).filter((k) => ['Put', 'Update', 'Delete', 'ConditionCheck'].includes(k))
      : [];
    if (!isRecord(entry) || kinds.length !== 1)
      throw validationError('TransactItems can only contain one of Check, Put, Update or Delete');
    const kind = kinds[0] as WriteStep['kind'];
    const body = entry[kind];
    if (!isRecord(body) || typeof body.TableName !== 'string')
      throw validationError(`${kind} must name a TableName`);
    return { kind, body, tableName: body.TableName };
  });
}

/** What a step does to its item, as a dynalite call that honours the step's condition. */
async function applyStep(
  call: DynamoCall,
  step: WriteStep,
  key: Item,
  before: Item | undefined,
): Promise<void> {
  const { body, tableName } = step;
  const expressions = expressionMembers(body);
  switch (step.kind) {
    case 'Put':
      await call('PutItem', { TableName: tableName, Item: body.Item, ...expressions });
      return;
    case 'Update':
      await call('UpdateItem', {
        TableName: tableName,
        Key: key,
        UpdateExpression: body.UpdateExpression,
        ...expressions,
      });
      return;
    case 'Delete':
      await call('DeleteItem', { TableName: tableName, Key: key, ...expressions });
      return;
    case 'ConditionCheck':
      // Evaluate the condition without changing anything: rewrite the same item, or delete a missing one.
      if (before) await call('PutItem', { TableName: tableName, Item: before, ...expressions });
      else await call('DeleteItem', { TableName: tableName, Key: key, ...expressions });
      return;
  }
}

async function restore(
  call: DynamoCall,
  tableName: string,
  key: Item,
  before: Item | undefined,
): Promise<void> {
  if (before) await call('PutItem', { TableName: tableName, Item: before });
  else await call('DeleteItem', { TableName: tableName, Key: key });
}

export async function transactWriteItems(call: DynamoCall, input: Record<string, unknown>): Promise<unknown> {
  const steps = parseWriteSteps(input);
  const keys: Item[] = [];
  const seen = new Set<string>();
  for (const step of steps) {
    const source = step.kind === 'Put' ? step.body.Item : step.body.Key;
    if (!isRecord(source))
      throw validationError(`${step.kind} must have ${step.kind === 'Put' ? 'an Item' : 'a Key'}`);
    const key = await keyOf(call, step.tableName, source);
    const identity = `${step.tableName}\0${JSON.stringify(key)}`;
    if (seen.has(identity))
      throw validationError('Transaction request cannot include multiple operations on one item');
    seen.add(identity);
    keys.push(key);
  }
  const befores: Array<Item | undefined> = [];
  for (const [i, step] of steps.entries()) {
    const got = await call('GetItem', { TableName: step.tableName, Key: keys[i], ConsistentRead: true });
    befores.push(isRecord(got.Item) ? got.Item : undefined);
  }
  const applied: number[] = [];
  const reasons: Array<Record<string, unknown>> = steps.map(() => ({ Code: 'None' }));
  let failed = false;
  for (const [i, step] of steps.entries()) {
    try {
      await applyStep(call, step, keys[i], befores[i]);
      applied.push(i);
    } catch (err) {
      if (!(err instanceof ServiceError) || err.code !== 'ConditionalCheckFailedException') {
        for (const j of applied.reverse()) await restore(call, steps[j].tableName, keys[j], befores[j]);
        throw err;
      }
      failed = true;
      reasons[i] = {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        ...(step.body.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && befores[i]
          ? { Item: befores[i] }
          : {}),
      };
    }
  }
  if (!failed) return {};
  for (const j of applied.reverse()) await restore(call, steps[j].tableName, keys[j], befores[j]);
  throw new TransactionCanceled(reasons);
}

export async function transactGetItems(call: DynamoCall, input: Record<string, unknown>): Promise<unknown> {
  const items = input.TransactItems;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_ITEMS) {
    throw validationError(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ITEMS} and greater than or equal to 1`,
    );
  }
  const responses: Array<Record<string, unknown>> = [];
  for (const entry of items) {
    const get = isRecord(entry) ? entry.Get : undefined;
    if (!isRecord(get) || typeof get.TableName !== 'string')
      throw validationError('TransactGetItems entries must be Get with a TableName');
    const request: Record<string, unknown> = { TableName: get.TableName, Key: get.Key, ConsistentRead: true };
    if (get.ProjectionExpression !== undefined) request.ProjectionExpression = get.ProjectionExpression;
    if (get.ExpressionAttributeNames !== undefined)
      request.ExpressionAttributeNames = get.ExpressionAttributeNames;
    const got = await call('GetItem', request);
    responses.push(isRecord(got.Item) ? { Item: got.Item } : {});
  }
  return { Responses: responses };
}

/** DynamoDB's TransactionCanceledException: "Message" (capital M) and one reason per item. */
export class TransactionCanceled extends ServiceError {
  constructor(readonly reasons: ReadonlyArray<Record<string, unknown>>) {
    super(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => String(r.Code)).join(', ')}]`,
    );
  }
}
