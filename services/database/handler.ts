import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import pg from 'pg';
import { requiredEnv } from '../shared/http.ts';
import { cachedSecretString } from '../shared/secret.ts';
import { connectionConfig } from './connection.ts';
import { sqlCustomerStore } from './customers.ts';
import { routeCustomerRequest } from './routes.ts';

// SECRET_ARN: the generated DB credentials, read through the Secrets Manager endpoint.
const credentials = cachedSecretString(new SecretsManagerClient({}), requiredEnv('SECRET_ARN'));

// One connection per warm environment; a broken connection is dropped and reopened on the next call.
const store = sqlCustomerStore(async () => {
  const client = new pg.Client(connectionConfig(await credentials(), process.env));
  client.on('error', () => undefined);
  await client.connect();
  return client;
});

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  return routeCustomerRequest(event, store);
}
