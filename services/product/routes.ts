import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { isId, json, problem } from '../shared/http.ts';
import type { ImageStore, ProductCatalog } from './catalog.ts';

export interface ProductDeps {
  catalog: ProductCatalog;
  images: ImageStore;
}

type ProductEvent = Pick<APIGatewayProxyEvent, 'httpMethod' | 'resource' | 'pathParameters'>;

/** GET /products, GET /products/{id}, GET /products/{id}/image. */
export async function routeProductRequest(
  event: ProductEvent,
  deps: ProductDeps,
): Promise<APIGatewayProxyResult> {
  if (event.httpMethod !== 'GET') return problem(405, `method ${event.httpMethod} not allowed`);
  if (event.resource === '/products') return json(200, { products: await deps.catalog.list() });

  const id = event.pathParameters?.id;
  if (!isId(id)) return problem(400, 'product id must be 1-64 letters, digits, - or _');
  const product = await deps.catalog.get(id);
  if (!product) return problem(404, `product ${id} not found`);
  if (event.resource === '/products/{id}') return json(200, product);

  if (event.resource === '/products/{id}/image') {
    const image = await deps.images.get(product.imageKey);
    if (!image) return problem(404, `image for product ${id} not found`);
    return {
      statusCode: 200,
      headers: { 'content-type': image.contentType },
      body: Buffer.from(image.bytes).toString('base64'),
      isBase64Encoded: true,
    };
  }
  return problem(404, `no route for ${event.resource}`);
}
