import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Order } from './order.ts';
import type { OrderStore, PriceList } from './ports.ts';

type Sender = Pick<DynamoDBDocumentClient, 'send'>;

/** The orders table: GetItem (consistent) and a conditional PutItem. */
export function dynamoOrders(client: Sender, tableName: string): OrderStore {
  return {
    async get(orderId) {
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: { orderId }, ConsistentRead: true }),
      );
      return out.Item as Order | undefined;
    },
    async putIfAbsent(order) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: order,
            ConditionExpression: 'attribute_not_exists(orderId)',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    },
  };
}

/** Unit prices from the products table (GetItem, projected to the price). */
export function dynamoPrices(client: Sender, tableName: string): PriceList {
  return {
    async unitPrice(productId) {
      const out = await client.send(
        new GetCommand({ TableName: tableName, Key: { productId }, ProjectionExpression: 'price' }),
      );
      const price: unknown = out.Item?.price;
      return typeof price === 'number' && Number.isSafeInteger(price) ? price : undefined;
    },
  };
}
