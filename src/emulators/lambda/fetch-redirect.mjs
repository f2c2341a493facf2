/* global Request, Headers */
// Runs inside a Lambda worker, before the handler is loaded (plain JS: workers start without tsx).
//
// SDK clients honour AWS_ENDPOINT_URL and so already reach the workload's gateway entry. Code that
// calls AWS hosts with plain `fetch` (a private API `https://<id>.execute-api.<region>.amazonaws.com/…`)
// does not: we send those requests to the entry too and carry the host the code asked for in
// `x-securecart-host`, which the gateway uses for DNS, routing and SigV4 verification.

export const ORIGINAL_HOST_HEADER = 'x-securecart-host';

/** True for `amazonaws.com` and every name under it. */
export function isAwsHost(hostname) {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'amazonaws.com' || name.endsWith('.amazonaws.com');
}

/** Replace globalThis.fetch with one that sends AWS-bound requests to `endpointUrl`. */
export function installFetchRedirect(endpointUrl) {
  const entry = new URL(endpointUrl);
  const realFetch = globalThis.fetch;
  globalThis.fetch = async function fetch(input, init) {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!isAwsHost(url.hostname)) return realFetch(request);
    const target = new URL(entry.href);
    target.pathname = joinPaths(entry.pathname, url.pathname);
    target.search = url.search;
    const headers = new Headers(request.headers);
    headers.set(ORIGINAL_HOST_HEADER, url.host);
    return realFetch(target, {
      method: request.method,
      headers,
      body: request.body,
      duplex: 'half',
      redirect: request.redirect,
      signal: request.signal,
    });
  };
}

function joinPaths(base, path) {
  return base === '/' || base === '' ? path : base.replace(/\/$/, '') + path;
}
