import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { isId, json, parseJsonBody, problem } from '../shared/http.ts';
import { validateOrderRequest } from './order.ts';
import { placeOrder, type OrderDeps } from './place-order.ts';

type OrderEvent = Pick<
  APIGatewayProxyEvent,
  'httpMethod' | 'resource' | 'pathParameters' | 'body' | 'isBase64Encoded'
>;

/** POST /orders and GET /orders/{id}. */
export async function routeOrderRequest(event: OrderEvent, deps: OrderDeps): Promise<APIGatewayProxyResult> {
  if (event.resource === '/orders' && event.httpMethod === 'POST') {
    const body = parseJsonBody(event);
    if (!body.ok) return body.response;
    const request = validateOrderRequest(body.value);
    if (!request.ok) return problem(400, request.message);
    return placeOrder(request.value, deps);
  }
  if (event.resource === '/orders/{id}' && event.httpMethod === 'GET') {
    const id = event.pathParameters?.id;
    if (!isId(id)) return problem(400, 'order id must be 1-64 letters, digits, - or _');
    const order = await deps.orders.get(id);
    return order ? json(200, order) : problem(404, `order ${id} not found`);
  }
  return problem(404, `no route for ${event.httpMethod} ${event.resource}`);
}
