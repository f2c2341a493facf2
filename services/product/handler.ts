import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { requiredEnv } from '../shared/http.ts';
import { dynamoCatalog, s3Images } from './aws-catalog.ts';
import { routeProductRequest } from './routes.ts';

// Clients live for the life of the warm environment. TABLE_NAME / BUCKET_NAME come from the template.
const deps = {
  catalog: dynamoCatalog(DynamoDBDocumentClient.from(new DynamoDBClient({})), requiredEnv('TABLE_NAME')),
  images: s3Images(new S3Client({}), requiredEnv('BUCKET_NAME')),
};

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  return routeProductRequest(event, deps);
}
