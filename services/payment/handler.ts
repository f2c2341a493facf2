import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { requiredEnv } from '../shared/http.ts';
import { cachedSecretString } from '../shared/secret.ts';
import { routePaymentRequest } from './routes.ts';

// SECRET_ARN: the payment provider key, read through the Secrets Manager endpoint.
const deps = { providerKey: cachedSecretString(new SecretsManagerClient({}), requiredEnv('SECRET_ARN')) };

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  return routePaymentRequest(event, deps);
}
