import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { isId, json, problem } from '../shared/http.ts';
import type { CustomerStore } from './customers.ts';

type CustomerEvent = Pick<APIGatewayProxyEvent, 'httpMethod' | 'resource' | 'pathParameters'>;

/** GET /customers/{id} on the private API. */
export async function routeCustomerRequest(
  event: CustomerEvent,
  store: CustomerStore,
): Promise<APIGatewayProxyResult> {
  if (event.resource !== '/customers/{id}') return problem(404, `no route for ${event.resource}`);
  if (event.httpMethod !== 'GET') return problem(405, `method ${event.httpMethod} not allowed`);
  const id = event.pathParameters?.id;
  if (!isId(id)) return problem(400, 'customer id must be 1-64 letters, digits, - or _');
  const customer = await store.find(id);
  return customer ? json(200, customer) : problem(404, `customer ${id} not found`);
}
