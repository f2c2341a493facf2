/**
 * Queue URLs and ARNs. AWS's URL is `https://sqs.<region>.amazonaws.com/<account>/<name>` (the
 * template's `Ref` of a queue); the twin answers with that form and accepts any host — the SDK
 * sends the QueueUrl in the body, and a client pointed at the twin's entry may use the entry's.
 */
export interface QueueRef {
  readonly accountId: string;
  readonly name: string;
}

const PATH = /^\/(\d{12})\/([A-Za-z0-9_-]{1,80}(?:\.fifo)?)\/?$/;

/** The account and name a queue URL names (any scheme and host), or undefined. */
export function parseQueueUrl(url: string): QueueRef | undefined {
  let pathname: string;
  try {
    pathname = new URL(url).pathname;
  } catch {
    // A bare path (`/123456789012/name`), as the query protocol's request line carries it.
    pathname = url;
  }
  const match = PATH.exec(pathname);
  return match ? { accountId: match[1], name: match[2] } : undefined;
}

export function queueUrl(region: string, accountId: string, name: string): string {
  return `https://sqs.${region}.amazonaws.com/${accountId}/${name}`;
}

export function queueArn(region: string, accountId: string, name: string): string {
  return `arn:aws:sqs:${region}:${accountId}:${name}`;
}

/** The name in a queue ARN (`arn:aws:sqs:<region>:<account>:<name>`), or undefined. */
export function nameOfQueueArn(arn: string): QueueRef | undefined {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || parts[2] !== 'sqs') return undefined;
  return { accountId: parts[4], name: parts[5] };
}
