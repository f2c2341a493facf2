import { createHash } from 'node:crypto';
import { isId, isRecord } from '../shared/http.ts';

export interface OrderLine {
  productId: string;
  quantity: number;
}

export interface OrderRequest {
  orderId: string;
  customerId: string;
  items: OrderLine[];
}

export interface PricedLine extends OrderLine {
  /** Integer cents, from the products table at order time. */
  unitPrice: number;
}

export interface PaymentRecord {
  authorizationId: string;
  status: string;
  signature: string;
}

/** The item stored in the orders table. */
export interface Order {
  orderId: string;
  customerId: string;
  items: PricedLine[];
  /** Integer cents. */
  amount: number;
  currency: string;
  status: 'CONFIRMED';
  payment: PaymentRecord;
  /** SHA-256 of the request's content: a retry must carry the same. */
  requestHash: string;
  createdAt: string;
}

export const CURRENCY = 'USD';
export const MAX_LINES = 50;
export const MAX_QUANTITY = 100;

export type Validation<T> = { ok: true; value: T } | { ok: false; message: string };

export function validateOrderRequest(body: unknown): Validation<OrderRequest> {
  if (!isRecord(body)) return { ok: false, message: 'body must be a JSON object' };
  const { orderId, customerId, items } = body;
  if (!isId(orderId)) return { ok: false, message: 'orderId must be 1-64 letters, digits, - or _' };
  if (!isId(customerId)) return { ok: false, message: 'customerId must be 1-64 letters, digits, - or _' };
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_LINES) {
    return { ok: false, message: `items must be a list of 1-${MAX_LINES} lines` };
  }
  const lines: OrderLine[] = [];
  for (const [index, item] of items.entries()) {
    if (!isRecord(item) || !isId(item.productId)) {
      return { ok: false, message: `items[${index}].productId must be 1-64 letters, digits, - or _` };
    }
    const { productId, quantity } = item;
    if (
      typeof quantity !== 'number' ||
      !Number.isInteger(quantity) ||
      quantity < 1 ||
      quantity > MAX_QUANTITY
    ) {
      return { ok: false, message: `items[${index}].quantity must be an integer from 1 to ${MAX_QUANTITY}` };
    }
    if (lines.some((line) => line.productId === productId)) {
      return { ok: false, message: `items[${index}].productId ${productId} appears twice` };
    }
    lines.push({ productId, quantity });
  }
  return { ok: true, value: { orderId, customerId, items: lines } };
}

/** What makes two requests "the same order": customer and lines, in order, nothing else. */
export function requestHash(request: OrderRequest): string {
  const content = {
    customerId: request.customerId,
    items: request.items.map(({ productId, quantity }) => ({ productId, quantity })),
  };
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
