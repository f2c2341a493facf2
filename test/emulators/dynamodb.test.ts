import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand,
  DescribeEndpointsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  DynamoDBServiceException,
  GetResourcePolicyCommand,
  ListTablesCommand,
  PutResourcePolicyCommand,
  DeleteResourcePolicyCommand,
  ExecuteStatementCommand,
} from '@aws-sdk/client-dynamodb';
import {
  TransactGetCommand,
  TransactWriteCommand,
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ACCOUNT, startHarness, type Harness } from './helpers.ts';

let h: Harness;
let ddb: DynamoDBClient;
let doc: DynamoDBDocumentClient;

const ordersTable = {
  TableName: 'Orders',
  KeySchema: [
    { AttributeName: 'customerId', KeyType: 'HASH' as const },
    { AttributeName: 'orderId', KeyType: 'RANGE' as const },
  ],
  AttributeDefinitions: [
    { AttributeName: 'customerId', AttributeType: 'S' as const },
    { AttributeName: 'orderId', AttributeType: 'S' as const },
  ],
  BillingMode: 'PAY_PER_REQUEST' as const,
};

function connect(): void {
  ddb = new DynamoDBClient(h.clientConfig());
  doc = DynamoDBDocumentClient.from(ddb);
}

before(async () => {
  h = await startHarness();
  await h.emulators.dynamodb.ensureTable(ordersTable);
  connect();
});
after(async () => {
  ddb.destroy();
  await h.close();
});

async function errorOf(promise: Promise<unknown>): Promise<DynamoDBServiceException> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DynamoDBServiceException) return err;
    throw err;
  }
  assert.fail('expected the call to fail');
}

describe('DynamoDB (dynalite behind the plugin)', () => {
  it('answers DescribeEndpoints itself', async () => {
    const out = await ddb.send(new DescribeEndpointsCommand({}));
    assert.deepEqual(out.Endpoints, [
      { Address: 'dynamodb.us-east-1.amazonaws.com', CachePeriodInMinutes: 1440 },
    ]);
  });

  it('creates tables from a definition at boot, idempotently', async () => {
    const arn = await h.emulators.dynamodb.ensureTable(ordersTable);
    assert.equal(arn, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`);
    const described = await ddb.send(new DescribeTableCommand({ TableName: 'Orders' }));
    assert.equal(described.Table?.TableStatus, 'ACTIVE');
    assert.ok((await ddb.send(new ListTablesCommand({}))).TableNames?.includes('Orders'));
  });

  it('accepts AWS::DynamoDB::Table properties as they are in a template', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: 'dynamodb:DeleteTable', Resource: '*' }],
    };
    const arn = await h.emulators.dynamodb.ensureTable({
      ...ordersTable,
      TableName: 'FromTemplate',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      ResourcePolicy: { PolicyDocument: policy },
    });
    assert.equal(
      (await ddb.send(new DescribeTableCommand({ TableName: 'FromTemplate' }))).Table?.TableStatus,
      'ACTIVE',
    );
    assert.equal(h.emulators.dynamodb.resourcePolicy(arn), JSON.stringify(policy));
  });

  it('round-trips items through the Document client: put, get, update, query, scan, delete', async () => {
    await doc.send(
      new PutCommand({
        TableName: 'Orders',
        Item: { customerId: 'c1', orderId: 'o1', total: 42.5, items: ['sku-1'] },
      }),
    );
    await doc.send(
      new PutCommand({ TableName: 'Orders', Item: { customerId: 'c1', orderId: 'o2', total: 10 } }),
    );
    await doc.send(
      new PutCommand({ TableName: 'Orders', Item: { customerId: 'c2', orderId: 'o3', total: 1 } }),
    );
    const got = await doc.send(
      new GetCommand({ TableName: 'Orders', Key: { customerId: 'c1', orderId: 'o1' } }),
    );
    assert.deepEqual(got.Item, { customerId: 'c1', orderId: 'o1', total: 42.5, items: ['sku-1'] });
    const updated = await doc.send(
      new UpdateCommand({
        TableName: 'Orders',
        Key: { customerId: 'c1', orderId: 'o1' },
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': 'PAID' },
        ReturnValues: 'ALL_NEW',
      }),
    );
    assert.equal(updated.Attributes?.status, 'PAID');
    const query = await doc.send(
      new QueryCommand({
        TableName: 'Orders',
        KeyConditionExpression: 'customerId = :c',
        ExpressionAttributeValues: { ':c': 'c1' },
      }),
    );
    assert.deepEqual(
      query.Items?.map((i) => i.orderId),
      ['o1', 'o2'],
    );
    assert.equal((await doc.send(new ScanCommand({ TableName: 'Orders' }))).Count, 3);
    await doc.send(new DeleteCommand({ TableName: 'Orders', Key: { customerId: 'c2', orderId: 'o3' } }));
    assert.equal(
      (await doc.send(new GetCommand({ TableName: 'Orders', Key: { customerId: 'c2', orderId: 'o3' } })))
        .Item,
      undefined,
    );
  });

  it('runs batch writes and gets', async () => {
    await doc.send(
      new BatchWriteCommand({
        RequestItems: {
          Orders: [
            { PutRequest: { Item: { customerId: 'c9', orderId: 'b1' } } },
            { PutRequest: { Item: { customerId: 'c9', orderId: 'b2' } } },
          ],
        },
      }),
    );
    const out = await doc.send(
      new BatchGetCommand({
        RequestItems: {
          Orders: {
            Keys: [
              { customerId: 'c9', orderId: 'b1' },
              { customerId: 'c9', orderId: 'b2' },
            ],
          },
        },
      }),
    );
    assert.equal(out.Responses?.Orders?.length, 2);
  });

  it('passes DynamoDB errors through in their wire shape', async () => {
    const missing = await errorOf(
      doc.send(new GetCommand({ TableName: 'NoSuchTable', Key: { customerId: 'x', orderId: 'y' } })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
    const conditional = await errorOf(
      doc.send(
        new PutCommand({
          TableName: 'Orders',
          Item: { customerId: 'c1', orderId: 'o1' },
          ConditionExpression: 'attribute_not_exists(customerId)',
        }),
      ),
    );
    assert.equal(conditional.name, 'ConditionalCheckFailedException');
    const exists = await errorOf(ddb.send(new CreateTableCommand(ordersTable)));
    assert.equal(exists.name, 'ResourceInUseException');
  });

  it('runs TransactWriteItems: all items applied together', async () => {
    await doc.send(
      new PutCommand({ TableName: 'Orders', Item: { customerId: 't1', orderId: 'old', total: 1 } }),
    );
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: 'Orders',
              Item: { customerId: 't1', orderId: 'new', total: 5 },
              ConditionExpression: 'attribute_not_exists(orderId)',
            },
          },
          {
            Update: {
              TableName: 'Orders',
              Key: { customerId: 't1', orderId: 'old' },
              UpdateExpression: 'SET #t = #t + :d',
              ExpressionAttributeNames: { '#t': 'total' },
              ExpressionAttributeValues: { ':d': 10 },
            },
          },
          { Delete: { TableName: 'Orders', Key: { customerId: 'c9', orderId: 'b1' } } },
        ],
      }),
    );
    assert.equal(
      (await doc.send(new GetCommand({ TableName: 'Orders', Key: { customerId: 't1', orderId: 'new' } })))
        .Item?.total,
      5,
    );
    assert.equal(
      (await doc.send(new GetCommand({ TableName: 'Orders', Key: { customerId: 't1', orderId: 'old' } })))
        .Item?.total,
      11,
    );
    assert.equal(
      (await doc.send(new GetCommand({ TableName: 'Orders', Key: { customerId: 'c9', orderId: 'b1' } })))
        .Item,
      undefined,
    );
  });

  it('cancels a TransactWriteItems whose condition fails: nothing applied, one reason per item', async () => {
    const err = await errorOf(
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 'Orders', Item: { customerId: 't2', orderId: 'x', total: 1 } } },
            {
              Update: {
                TableName: 'Orders',
                Key: { customerId: 't1', orderId: 'old' },
                UpdateExpression: 'SET #t = :z',
                ExpressionAttributeNames: { '#t': 'total' },
                ExpressionAttributeValues: { ':z': 0 },
              },
            },
            {
              ConditionCheck: {
                TableName: 'Orders',
                Key: { customerId: 't1', orderId: 'new' },
                ConditionExpression: '#t > :big',
                ExpressionAttributeNames: { '#t': 'total' },
                ExpressionAttributeValues: { ':big': 1000 },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      ),
    );
    assert.equal(err.name, 'TransactionCanceledException');
    const reasons = (
      err as unknown as { CancellationReasons: Array<{ Code: string; Item?: Record<string, unknown> }> }
    ).CancellationReasons;
    assert.deepEqual(
      reasons.map((r) => r.Code),
      ['None', 'None', 'ConditionalCheckFailed'],
    );
    assert.ok(reasons[2].Item, 'ALL_OLD returns the item that failed the check');
    assert.equal(
      (await doc.send(new GetCommand({ TableName: 'Orders', Key: { customerId: 't2', orderId: 'x' } }))).Item,
      undefined,
    );
    assert.equal(
      (await doc.send(new GetCommand({ TableName: 'Orders', Key: { customerId: 't1', orderId: 'old' } })))
        .Item?.total,
      11,
    );
    const twice = await errorOf(
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 'Orders', Item: { customerId: 't3', orderId: 'y' } } },
            { Delete: { TableName: 'Orders', Key: { customerId: 't3', orderId: 'y' } } },
          ],
        }),
      ),
    );
    assert.equal(twice.name, 'ValidationException');
  });

  it('runs TransactGetItems in order, {} for a missing item', async () => {
    const out = await doc.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: 'Orders', Key: { customerId: 't1', orderId: 'new' } } },
          { Get: { TableName: 'Orders', Key: { customerId: 'nobody', orderId: 'none' } } },
        ],
      }),
    );
    assert.equal(out.Responses?.[0]?.Item?.total, 5);
    assert.equal(out.Responses?.[1]?.Item, undefined);
  });

  it('refuses operations it does not implement as UnknownOperationException (not silently)', async () => {
    const unknown = await errorOf(
      ddb.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM Orders' })),
    );
    assert.equal(unknown.name, 'UnknownOperationException');
  });

  it('stores table resource policies with revision ids', async () => {
    const arn = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: 'dynamodb:GetItem',
          Resource: arn,
        },
      ],
    });
    const put = await ddb.send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy }));
    const got = await ddb.send(new GetResourcePolicyCommand({ ResourceArn: arn }));
    assert.equal(got.Policy, policy);
    assert.equal(got.RevisionId, put.RevisionId);
    assert.equal(h.emulators.dynamodb.resourcePolicy(`${arn}/index/byStatus`), policy);
    await ddb.send(new DeleteResourcePolicyCommand({ ResourceArn: arn }));
    assert.equal(
      (await errorOf(ddb.send(new GetResourcePolicyCommand({ ResourceArn: arn })))).name,
      'PolicyNotFoundException',
    );
  });

  it('keeps tables and items across a restart (LevelDB on disk)', async () => {
    await doc.send(
      new PutCommand({
        TableName: 'Orders',
        Item: { customerId: 'durable', orderId: 'd1', note: 'acknowledged' },
      }),
    );
    await h.restart();
    ddb.destroy();
    connect();
    await h.emulators.dynamodb.ensureTable(ordersTable);
    const got = await doc.send(
      new GetCommand({ TableName: 'Orders', Key: { customerId: 'durable', orderId: 'd1' } }),
    );
    assert.equal(got.Item?.note, 'acknowledged');
  });
});

describe('DynamoDB: the connection to dynalite', () => {
  it('is reused after longer than Node’s default keep-alive (5 s, closed at 6 s) (no "socket hang up" race)', async () => {
    const server = (h.emulators.dynamodb as unknown as { server: import('node:http').Server }).server;
    const get = () =>
      doc.send(new GetCommand({ TableName: 'Orders', Key: { customerId: 'k', orderId: '1' } }));
    await get(); // the plugin's agent now holds an idle connection to dynalite
    let connections = 0;
    const count = () => connections++;
    server.on('connection', count);
    try {
      await new Promise((resolve) => setTimeout(resolve, 6_600));
      await get();
    } finally {
      server.off('connection', count);
    }
    // With Node's default keepAliveTimeout (5 s; Node closes the socket a second later) the
    // server would have closed the idle connection, and the agent would have opened a new one.
    assert.equal(connections, 0, `dynalite saw ${connections} new connection(s)`);
  });
});
