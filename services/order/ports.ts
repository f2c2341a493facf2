import type { Order } from './order.ts';

/** The orders table. */
export interface OrderStore {
  get(orderId: string): Promise<Order | undefined>;
  /** Conditional put (attribute_not_exists(orderId)): false when the order already exists. */
  putIfAbsent(order: Order): Promise<boolean>;
}

/** Unit prices (integer cents) from the products table; undefined for an unknown product. */
export interface PriceList {
  unitPrice(productId: string): Promise<number | undefined>;
}

export interface PaymentRequest {
  orderId: string;
  customerId: string;
  amount: number;
  currency: string;
}

/** A response from the private API: status code and parsed JSON body. */
export interface ApiReply {
  status: number;
  body: unknown;
}

/** The private InternalApi, reached through the execute-api endpoint with SigV4. */
export interface InternalApi {
  getCustomer(customerId: string): Promise<ApiReply>;
  authorizePayment(request: PaymentRequest): Promise<ApiReply>;
}
