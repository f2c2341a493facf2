/**
 * Deterministic physical ids and names in AWS's shapes. Everything is derived from a SHA-256 of
 * the stack name and logical id, so loading the same template twice gives the same ids, and two
 * stacks from one template get different ones (as CloudFormation would).
 */
import { hash } from 'node:crypto';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 64 hex characters for (stack, logical id, purpose). */
export function digest(stackName: string, logicalId: string, purpose = ''): string {
  return hash('sha256', `${stackName}\u0000${logicalId}\u0000${purpose}`, 'hex');
}

/** `length` characters of `alphabet`, drawn from the digest bytes. */
export function charsFrom(hex: string, length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    const byte = parseInt(hex.slice((i * 2) % 64, ((i * 2) % 64) + 2), 16) + i * 7;
    out += alphabet[byte % alphabet.length];
  }
  return out;
}

export const alphabets = { UPPER_ALNUM, LOWER_ALNUM, MIXED_ALNUM } as const;

/** An EC2-style id: `<prefix>-0` + 16 hex, e.g. `vpc-0a1b2c3d4e5f60718`. */
export function ec2Id(prefix: string, stackName: string, logicalId: string, purpose = ''): string {
  return `${prefix}-0${digest(stackName, logicalId, `${prefix}/${purpose}`).slice(0, 16)}`;
}

/**
 * The ENI an interface endpoint puts in one subnet. Derived from the two logical ids only (or the
 * subnet id when the subnet is a parameter), so the model can recompute it without the stack name.
 */
export function eniId(endpointLogicalId: string, subnetLogicalId: string): string {
  return `eni-0${hash('sha256', `eni\u0000${endpointLogicalId}\u0000${subnetLogicalId}`, 'hex').slice(0, 16)}`;
}

/** A UUID (8-4-4-4-12 hex) for ids AWS shapes that way (KMS key ids, certificate ids). */
export function uuidFor(stackName: string, logicalId: string, purpose = ''): string {
  const h = digest(stackName, logicalId, `uuid/${purpose}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface GeneratedNameOptions {
  /** The service's limit on the name's length. */
  readonly maxLength: number;
  /** S3 buckets, RDS identifiers: CloudFormation lowercases the whole name. */
  readonly lowercase?: boolean;
  /** @default 13 (CloudFormation's suffixes are 12–13 characters) */
  readonly suffixLength?: number;
}

/**
 * `<stack>-<LogicalId>-<SUFFIX>` as CloudFormation generates it. When too long, the stack name is
 * shortened first, then the logical id, keeping the random suffix whole (observed AWS behaviour,
 * see docs/cloudformation-semantics.md).
 */
export function generatedName(stackName: string, logicalId: string, options: GeneratedNameOptions): string {
  const lowercase = options.lowercase ?? false;
  const suffixLength = options.suffixLength ?? (lowercase ? 12 : 13);
  const suffix = charsFrom(
    digest(stackName, logicalId, 'name'),
    suffixLength,
    lowercase ? LOWER_ALNUM : UPPER_ALNUM,
  );
  let stack = stackName;
  let logical = logicalId;
  const room = options.maxLength - suffixLength - 2;
  if (stack.length + logical.length > room) {
    const half = Math.floor(room / 2);
    const stackRoom = Math.max(half, room - logical.length);
    stack = stack.slice(0, Math.min(stack.length, stackRoom));
    logical = logical.slice(0, room - stack.length);
  }
  const name = `${stack}-${logical}-${suffix}`;
  return lowercase ? name.toLowerCase() : name;
}

/** An IPv4 address in 3.0.0.0/9 (an Amazon range), stable for (stack, logical id). */
export function publicIpFor(stackName: string, logicalId: string): string {
  const h = digest(stackName, logicalId, 'public-ip');
  const byte = (i: number): number => parseInt(h.slice(i * 2, i * 2 + 2), 16);
  return `3.${byte(0) % 128}.${byte(1)}.${1 + (byte(2) % 254)}`;
}
