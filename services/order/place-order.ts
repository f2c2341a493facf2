import type { APIGatewayProxyResult } from 'aws-lambda';
import { isRecord, json, problem } from '../shared/http.ts';
import {
  CURRENCY,
  requestHash,
  type Order,
  type OrderRequest,
  type PaymentRecord,
  type PricedLine,
} from './order.ts';
import type { InternalApi, OrderStore, PriceList } from './ports.ts';

export interface OrderDeps {
  orders: OrderStore;
  prices: PriceList;
  internalApi: InternalApi;
  now?: () => Date;
}

/**
 * POST /orders, idempotent on orderId: a retry with the same content returns the stored order (200);
 * the same orderId with different content is a conflict (409). New orders: 201.
 */
export async function placeOrder(request: OrderRequest, deps: OrderDeps): Promise<APIGatewayProxyResult> {
  const hash = requestHash(request);
  const existing = await deps.orders.get(request.orderId);
  if (existing) return replay(existing, hash);

  const customer = await deps.internalApi.getCustomer(request.customerId);
  if (customer.status === 404) return problem(400, `customer ${request.customerId} does not exist`);
  if (customer.status !== 200) return problem(502, `customer lookup failed with status ${customer.status}`);

  const lines: PricedLine[] = [];
  for (const line of request.items) {
    const unitPrice = await deps.prices.unitPrice(line.productId);
    if (unitPrice === undefined) return problem(400, `product ${line.productId} does not exist`);
    lines.push({ ...line, unitPrice });
  }
  const amount = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);

  const reply = await deps.internalApi.authorizePayment({
    orderId: request.orderId,
    customerId: request.customerId,
    amount,
    currency: CURRENCY,
  });
  if (reply.status === 402) return problem(402, 'payment declined');
  const payment = paymentRecord(reply.body);
  if (reply.status !== 200 || !payment)
    return problem(502, `payment authorization failed with status ${reply.status}`);

  const order: Order = {
    orderId: request.orderId,
    customerId: request.customerId,
    items: lines,
    amount,
    currency: CURRENCY,
    status: 'CONFIRMED',
    payment,
    requestHash: hash,
    createdAt: (deps.now ?? (() => new Date()))().toISOString(),
  };
  if (await deps.orders.putIfAbsent(order)) return json(201, order);

  // Lost a race with a concurrent request for the same orderId: answer as a retry would be answered.
  const winner = await deps.orders.get(request.orderId);
  return winner ? replay(winner, hash) : problem(500, `order ${request.orderId} vanished after a conflict`);
}

function replay(existing: Order, hash: string): APIGatewayProxyResult {
  if (existing.requestHash === hash) return json(200, existing);
  return problem(409, `order ${existing.orderId} already exists with different content`);
}

function paymentRecord(body: unknown): PaymentRecord | undefined {
  if (!isRecord(body)) return undefined;
  const { authorizationId, status, signature } = body;
  if (typeof authorizationId !== 'string' || typeof status !== 'string' || typeof signature !== 'string') {
    return undefined;
  }
  return { authorizationId, status, signature };
}
