/**
 * ACL headers on object writes, as S3 judges them: Object Ownership "bucket owner enforced" (the
 * default) disables ACLs but the owner's full control; with ACLs enabled, BlockPublicAcls (the
 * default) refuses public ones. Sources: docs/emulator-semantics.md, "S3: ACLs on object writes".
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkRequestAcl, type AclSettings } from '../../src/emulators/s3/request-acl.ts';
import { ServiceError } from '../../src/emulators/common/service-error.ts';

const OWNER = 'a'.repeat(64);
type Settings = AclSettings & { readonly blockPublicAcls: boolean };
const ENFORCED: Settings = { blockPublicAcls: true };
const WRITER_BLOCKING: Settings = { objectOwnership: 'ObjectWriter', blockPublicAcls: true };
const WRITER_OPEN: Settings = { objectOwnership: 'ObjectWriter', blockPublicAcls: false };
const PREFERRED: Settings = { objectOwnership: 'BucketOwnerPreferred', blockPublicAcls: true };

/** [what, bucket settings, request headers, expected: 'ok' or the error code]. */
const CASES: Array<[string, Settings, Record<string, string>, string]> = [
  ['no ACL, default bucket', ENFORCED, {}, 'ok'],
  ['bucket-owner-full-control, default bucket', ENFORCED, { 'x-amz-acl': 'bucket-owner-full-control' }, 'ok'],
  [
    'private canned ACL, default bucket',
    ENFORCED,
    { 'x-amz-acl': 'private' },
    'AccessControlListNotSupported',
  ],
  ['public-read, default bucket', ENFORCED, { 'x-amz-acl': 'public-read' }, 'AccessControlListNotSupported'],
  ['full control granted to the owner', ENFORCED, { 'x-amz-grant-full-control': `id="${OWNER}"` }, 'ok'],
  [
    'full control granted to another account',
    ENFORCED,
    { 'x-amz-grant-full-control': `id="${'b'.repeat(64)}"` },
    'AccessControlListNotSupported',
  ],
  [
    'read granted to the owner',
    ENFORCED,
    { 'x-amz-grant-read': `id="${OWNER}"` },
    'AccessControlListNotSupported',
  ],
  [
    'public-read, ObjectWriter, BlockPublicAcls on',
    WRITER_BLOCKING,
    { 'x-amz-acl': 'public-read' },
    'AccessDenied',
  ],
  [
    'authenticated-read, BucketOwnerPreferred',
    PREFERRED,
    { 'x-amz-acl': 'authenticated-read' },
    'AccessDenied',
  ],
  [
    'a grant to AllUsers, ObjectWriter, BlockPublicAcls on',
    WRITER_BLOCKING,
    { 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' },
    'AccessDenied',
  ],
  ['private, ObjectWriter', WRITER_BLOCKING, { 'x-amz-acl': 'private' }, 'ok'],
  ['public-read, ObjectWriter, BlockPublicAcls off', WRITER_OPEN, { 'x-amz-acl': 'public-read' }, 'ok'],
];

describe('ACL headers on object writes', () => {
  for (const [what, settings, headers, expected] of CASES) {
    it(`${what}: ${expected}`, () => {
      let outcome = 'ok';
      try {
        checkRequestAcl(settings, headers, OWNER);
      } catch (error) {
        assert.ok(error instanceof ServiceError, String(error));
        outcome = error.code;
        assert.equal(error.status, error.code === 'AccessDenied' ? 403 : 400);
      }
      assert.equal(outcome, expected);
    });
  }
});
