/** A product as stored in the products table (price in integer cents). */
export interface Product {
  productId: string;
  name: string;
  price: number;
  imageKey: string;
  description?: string;
}

export interface ProductImage {
  bytes: Uint8Array;
  contentType: string;
}

/** Read access to the catalogue; the AWS implementation is in aws-catalog.ts. */
export interface ProductCatalog {
  list(): Promise<Product[]>;
  get(productId: string): Promise<Product | undefined>;
}

/** Read access to product images; undefined when the object does not exist. */
export interface ImageStore {
  get(key: string): Promise<ProductImage | undefined>;
}
