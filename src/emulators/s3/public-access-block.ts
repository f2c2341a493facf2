/**
 * A bucket's Block Public Access configuration, as S3 keeps it: the four settings, or none. New
 * buckets get all four on (since April 2023); DeletePublicAccessBlock leaves none, and then every
 * setting is off. A bucket record written before the twin kept this (no field) counts as a new
 * bucket. Facts and sources: docs/emulator-semantics.md, "S3: Block Public Access".
 */
export interface PublicAccessBlock {
  readonly BlockPublicAcls: boolean;
  readonly IgnorePublicAcls: boolean;
  readonly BlockPublicPolicy: boolean;
  readonly RestrictPublicBuckets: boolean;
}

export const SETTINGS = [
  'BlockPublicAcls',
  'IgnorePublicAcls',
  'BlockPublicPolicy',
  'RestrictPublicBuckets',
] as const;

export const ALL_BLOCKED: PublicAccessBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

const NONE_BLOCKED: PublicAccessBlock = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};

/** What a bucket record keeps: the configuration, 'none' after a delete, or nothing (legacy: all on). */
export type StoredPublicAccessBlock = PublicAccessBlock | 'none' | undefined;

/** The settings in force. */
export function effectivePublicAccessBlock(stored: StoredPublicAccessBlock): PublicAccessBlock {
  if (stored === undefined) return ALL_BLOCKED;
  return stored === 'none' ? NONE_BLOCKED : stored;
}
