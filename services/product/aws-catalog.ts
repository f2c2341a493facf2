import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { GetCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ImageStore, Product, ProductCatalog } from './catalog.ts';

type Sender<C extends { send: unknown }> = Pick<C, 'send'>;

/** The products table: Scan (all pages) to list, GetItem to read one. */
export function dynamoCatalog(client: Sender<DynamoDBDocumentClient>, tableName: string): ProductCatalog {
  return {
    async list() {
      const products: Product[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }),
        );
        products.push(...((page.Items ?? []) as Product[]));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return products.sort((a, b) => a.productId.localeCompare(b.productId));
    },
    async get(productId) {
      const out = await client.send(new GetCommand({ TableName: tableName, Key: { productId } }));
      return out.Item as Product | undefined;
    },
  };
}

/** The images bucket: GetObject, with NoSuchKey mapped to undefined. */
export function s3Images(client: Sender<S3Client>, bucketName: string): ImageStore {
  return {
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucketName, Key: key }));
        if (!out.Body) return undefined;
        return {
          bytes: await out.Body.transformToByteArray(),
          contentType: out.ContentType ?? contentTypeOf(key),
        };
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },
  };
}

export function contentTypeOf(key: string): string {
  if (/\.png$/i.test(key)) return 'image/png';
  if (/\.jpe?g$/i.test(key)) return 'image/jpeg';
  return 'application/octet-stream';
}
