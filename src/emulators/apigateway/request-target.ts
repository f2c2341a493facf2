/**
 * Which API, stage and path a request is for. Two URL forms reach an API:
 *   - the host form: `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/<path>` (also
 *     `<api-id>-<vpce-id>.execute-api…` and, with `x-apigw-api-id`, the endpoint's own
 *     `vpce-….execute-api.<region>.vpce.amazonaws.com`). The host comes from `x-securecart-host`
 *     when the twin rewrote the request (fetch redirect in Lambda workers), else from Host;
 *   - LocalStack's path form: `http://127.0.0.1:<port>/restapis/<id>/<stage>/_user_request_/<path>`.
 */
import type { ServiceRequest } from '../plugin.ts';

export const ORIGINAL_HOST_HEADER = 'x-securecart-host';

export interface RequestTarget {
  readonly apiId: string;
  readonly stage: string;
  /** The resource path the API sees: starts with '/', no stage, still percent-encoded. */
  readonly path: string;
  /** The host name the client used (or the API's regional name for the path form). */
  readonly domainName: string;
  /** The VPC endpoint named in the host, for `<api-id>-<vpce-id>` and `vpce-…` names. */
  readonly vpceInHost?: string;
  readonly form: 'host' | 'path';
}

const PATH_FORM = /^\/restapis\/([^/]+)\/([^/]+)\/_user_request_(\/.*)?$/;
const API_HOST = /^([a-z0-9]{10})(?:-(vpce-[0-9a-z]+))?\.execute-api\.([a-z0-9-]+)\.amazonaws\.com$/;
const VPCE_HOST =
  /^(vpce-[0-9a-z]+)-[0-9a-z]+(?:-[a-z0-9-]+)?\.execute-api\.([a-z0-9-]+)\.vpce\.amazonaws\.com$/;

/** The host the client addressed, without port. */
export function requestHost(req: ServiceRequest): string {
  const host = req.headers[ORIGINAL_HOST_HEADER] ?? req.headers.host ?? req.url.host;
  return host.toLowerCase().replace(/:\d+$/, '');
}

export function locateTarget(req: ServiceRequest, region: string): RequestTarget | undefined {
  const pathForm = PATH_FORM.exec(req.url.pathname);
  if (pathForm) {
    const [, apiId, stage, rest] = pathForm;
    return {
      apiId,
      stage,
      path: rest ?? '/',
      domainName: `${apiId}.execute-api.${region}.amazonaws.com`,
      form: 'path',
    };
  }
  const host = requestHost(req);
  const api = API_HOST.exec(host);
  const vpce = api ? undefined : VPCE_HOST.exec(host);
  const apiId = api?.[1] ?? (vpce ? req.headers['x-apigw-api-id'] : undefined);
  if (!apiId) return undefined;
  const [, stage, rest] = /^\/([^/]*)(\/.*)?$/.exec(req.url.pathname) ?? [];
  return {
    apiId,
    stage: stage ?? '',
    path: rest ?? '/',
    domainName: host,
    vpceInHost: api?.[2] ?? vpce?.[1],
    form: 'host',
  };
}
