import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { json, parseJsonBody, problem } from '../shared/http.ts';
import { authorizePayment, validatePaymentRequest } from './authorize.ts';

export interface PaymentDeps {
  /** The provider API key (from Secrets Manager in production). */
  providerKey: () => Promise<string>;
  log?: (line: string) => void;
}

type PaymentEvent = Pick<APIGatewayProxyEvent, 'httpMethod' | 'resource' | 'body' | 'isBase64Encoded'>;

/** POST /payments on the private API. Stateless: the order service records the authorization. */
export async function routePaymentRequest(
  event: PaymentEvent,
  deps: PaymentDeps,
): Promise<APIGatewayProxyResult> {
  if (event.resource !== '/payments') return problem(404, `no route for ${event.resource}`);
  if (event.httpMethod !== 'POST') return problem(405, `method ${event.httpMethod} not allowed`);
  const body = parseJsonBody(event);
  if (!body.ok) return body.response;
  const request = validatePaymentRequest(body.value);
  if (!request.ok) return problem(400, request.message);
  const authorization = authorizePayment(request.value, await deps.providerKey());
  // The log line is the service's record of the authorization (CloudWatch Logs, kept one year).
  (deps.log ?? console.log)(
    JSON.stringify({ event: 'payment-authorization', ...authorization, signature: undefined }),
  );
  return json(authorization.status === 'AUTHORIZED' ? 200 : 402, authorization);
}
