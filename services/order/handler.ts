import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { requiredEnv } from '../shared/http.ts';
import { dynamoOrders, dynamoPrices } from './aws-tables.ts';
import { signedInternalApi } from './private-api.ts';
import { routeOrderRequest } from './routes.ts';

// TABLE_NAME (orders), PRODUCTS_TABLE_NAME, PRIVATE_API_URL come from the template.
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const deps = {
  orders: dynamoOrders(documents, requiredEnv('TABLE_NAME')),
  prices: dynamoPrices(documents, requiredEnv('PRODUCTS_TABLE_NAME')),
  internalApi: signedInternalApi({
    baseUrl: requiredEnv('PRIVATE_API_URL'),
    region: requiredEnv('AWS_REGION'),
    // Lambda puts the role's session credentials in the environment; the chain reads them first.
    credentials: fromNodeProviderChain(),
  }),
};

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  return routeOrderRequest(event, deps);
}
