/**
 * The SigV4 canonical request, computed from a request as the server received it.
 * Mirrors @smithy/signature-v4 and AWS's documentation:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 *
 * Verification runs on every request the twin's gateway sees, so the common shapes (path `/`,
 * no query, plain ASCII header values) take fast paths; each fast path gives exactly what the
 * general path would, and falls back to it whenever it cannot be sure.
 */
import { hash } from 'node:crypto';

/** SHA-256 of zero bytes: what a bodiless request hashes to. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Only RFC 3986 unreserved characters: uriEscape leaves such a value as it is. */
const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/;

/** RFC 3986 encoding as SigV4 wants it: only A-Z a-z 0-9 - _ . ~ stay literal; space is %20. */
export function uriEscape(value: string): string {
  if (UNRESERVED_ONLY.test(value)) return value;
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * A path of non-empty segments of unreserved characters, none of them `.` or `..` (a segment
 * may not start with a dot here): normalizing and escaping it changes nothing.
 */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9\-_~][A-Za-z0-9\-_.~]*)+\/?$/;

/**
 * S3 signs the path exactly as sent (no normalization, no second encoding). Every other
 * service removes `.`/`..`/empty segments and URI-encodes the already-encoded path again.
 */
export function canonicalPath(rawPath: string, service: string): string {
  if (service === 's3') return rawPath === '' ? '/' : rawPath;
  if (rawPath === '/' || PLAIN_PATH.test(rawPath)) return rawPath;
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const normalized = `${rawPath.startsWith('/') ? '/' : ''}${segments.join('/')}${trailing}`;
  return uriEscape(normalized).replace(/%2F/g, '/');
}

/** Decodes a query component; `+` is a literal plus (SigV4 clients send a space as %20). */
function decodeComponent(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** `[name, value]` pairs of a raw query string, decoded, in order of appearance. */
export function parseQuery(rawQuery: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const start = rawQuery.startsWith('?') ? 1 : 0;
  if (rawQuery.length <= start) return pairs;
  for (const part of (start === 0 ? rawQuery : rawQuery.slice(1)).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    pairs.push(
      eq < 0
        ? [decodeComponent(part), '']
        : [decodeComponent(part.slice(0, eq)), decodeComponent(part.slice(eq + 1))],
    );
  }
  return pairs;
}

/** Sorted by encoded name then encoded value; `X-Amz-Signature` left out (presigned form). */
export function canonicalQuery(pairs: ReadonlyArray<readonly [string, string]>): string {
  if (pairs.length === 0) return '';
  const encoded: Array<[string, string]> = [];
  for (const [name, value] of pairs) {
    if (name.toLowerCase() !== 'x-amz-signature') encoded.push([uriEscape(name), uriEscape(value)]);
  }
  if (encoded.length > 1) encoded.sort(byNameThenValue);
  let out = '';
  for (let i = 0; i < encoded.length; i++) out += `${i === 0 ? '' : '&'}${encoded[i][0]}=${encoded[i][1]}`;
  return out;
}

function byNameThenValue(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/**
 * SignedHeaders split at `;`, one shared frozen array per distinct line. A client sends the same
 * line on every request; names that were looked up once before make the header lookups cheaper
 * than freshly split strings do (measured in bench/sigv4.ts).
 */
const signedHeaderLists = new Map<string, readonly string[]>();
const SIGNED_HEADER_LISTS_LIMIT = 1000;

export function signedHeaderNames(line: string): readonly string[] {
  let names = signedHeaderLists.get(line);
  if (names === undefined) {
    names = Object.freeze(line.split(';'));
    if (signedHeaderLists.size >= SIGNED_HEADER_LISTS_LIMIT) signedHeaderLists.clear();
    signedHeaderLists.set(line, names);
  }
  return names;
}

/** A character outside printable ASCII and space (a tab, a line break, anything non-ASCII). */
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;

/** A header value as SigV4 signs it: trimmed, inner whitespace runs collapsed to one space. */
export function canonicalHeaderValue(value: string): string {
  // Printable ASCII with only single inner spaces is already canonical; only other values can
  // change, and only they pay for trim + the whitespace regex.
  const plain =
    value.charCodeAt(0) !== 0x20 &&
    value.charCodeAt(value.length - 1) !== 0x20 &&
    !value.includes('  ') &&
    !NOT_PRINTABLE_ASCII.test(value);
  return plain ? value : value.trim().replace(/\s+/g, ' ');
}

/** `name:value\n` for each signed header, values trimmed and inner whitespace runs collapsed. */
export function canonicalHeaders(
  headers: Readonly<Record<string, string>>,
  signedHeaders: readonly string[],
): string | { missing: string } {
  let out = '';
  for (const name of signedHeaders) {
    const value = headers[name];
    // Not a string: absent, or a name like `constructor` that only the object's prototype has.
    if (typeof value !== 'string') return { missing: name };
    out += `${name}:${canonicalHeaderValue(value)}\n`;
  }
  return out;
}

export function sha256Hex(data: string | Buffer): string {
  // One-shot hash: a third of createHash()'s cost for the small bodies the twin sees most.
  return hash('sha256', data, 'hex');
}

/** The canonical request's six lines (`headers` already ends in `\n`, hence the blank line). */
export function canonicalRequest(
  method: string,
  path: string,
  query: string,
  headers: string,
  signedHeadersLine: string,
  payloadHash: string,
): string {
  return `${method}\n${path}\n${query}\n${headers}\n${signedHeadersLine}\n${payloadHash}`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}
