import { createHmac, timingSafeEqual } from 'node:crypto';
import { isId, isRecord } from '../shared/http.ts';

export interface PaymentRequest {
  orderId: string;
  customerId: string;
  /** Integer cents. */
  amount: number;
  /** ISO 4217 code, e.g. USD. */
  currency: string;
}

export type PaymentStatus = 'AUTHORIZED' | 'DECLINED';

export interface PaymentAuthorization extends PaymentRequest {
  authorizationId: string;
  status: PaymentStatus;
  /** HMAC-SHA256 (hex) over the canonical authorization, keyed with the provider API key. */
  signature: string;
}

/** Above this many cents the (simulated) provider declines. The card network is out of scope. */
export const AUTHORIZATION_LIMIT_CENTS = 1_000_000;

export type Validation<T> = { ok: true; value: T } | { ok: false; message: string };

export function validatePaymentRequest(body: unknown): Validation<PaymentRequest> {
  if (!isRecord(body)) return { ok: false, message: 'body must be a JSON object' };
  const { orderId, customerId, amount, currency } = body;
  if (!isId(orderId)) return { ok: false, message: 'orderId must be 1-64 letters, digits, - or _' };
  if (!isId(customerId)) return { ok: false, message: 'customerId must be 1-64 letters, digits, - or _' };
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
    return { ok: false, message: 'amount must be a positive integer (cents)' };
  }
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    return { ok: false, message: 'currency must be a 3-letter ISO 4217 code' };
  }
  return { ok: true, value: { orderId, customerId, amount, currency } };
}

function hmac(key: string, text: string): string {
  return createHmac('sha256', key).update(text, 'utf8').digest('hex');
}

/** The exact bytes the signature covers, one field per line. */
export function canonicalAuthorization(auth: Omit<PaymentAuthorization, 'signature'>): string {
  return [auth.authorizationId, auth.orderId, auth.customerId, auth.amount, auth.currency, auth.status].join(
    '\n',
  );
}

/**
 * Authorize and sign. The id is derived from the request with the key, so a retried authorization
 * for the same order gets the same id: the order service can retry safely.
 */
export function authorizePayment(request: PaymentRequest, providerKey: string): PaymentAuthorization {
  const { orderId, customerId, amount, currency } = request;
  const authorizationId = `auth_${hmac(providerKey, ['id', orderId, customerId, amount, currency].join('\n')).slice(0, 24)}`;
  const status: PaymentStatus = amount > AUTHORIZATION_LIMIT_CENTS ? 'DECLINED' : 'AUTHORIZED';
  const unsigned = { authorizationId, orderId, customerId, amount, currency, status };
  return { ...unsigned, signature: hmac(providerKey, canonicalAuthorization(unsigned)) };
}

/** True when `auth.signature` was made with `providerKey` over exactly these fields. */
export function verifyAuthorization(auth: PaymentAuthorization, providerKey: string): boolean {
  const expected = Buffer.from(hmac(providerKey, canonicalAuthorization(auth)), 'hex');
  const actual = Buffer.from(auth.signature, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
