/**
 * A bucket's Block Public Access settings and Object Ownership as the template sets them: no
 * configuration means the defaults of every new bucket since April 2023 (all on, ACLs disabled);
 * a PublicAccessBlockConfiguration given replaces the default, a setting it leaves out is off.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../src/model/index.ts';
import { handTemplate } from './hand-template.ts';

type Settings = [restrict: boolean, blockPolicy: boolean, blockAcls: boolean, ownership: string];

const CASES: Array<[string, Record<string, unknown>, Settings]> = [
  ['no configuration: the new-bucket defaults', {}, [true, true, true, 'BucketOwnerEnforced']],
  [
    'every setting off',
    {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: false,
        BlockPublicPolicy: false,
        IgnorePublicAcls: false,
        RestrictPublicBuckets: false,
      },
    },
    [false, false, false, 'BucketOwnerEnforced'],
  ],
  [
    'only RestrictPublicBuckets given: the others are off',
    { PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } },
    [true, false, false, 'BucketOwnerEnforced'],
  ],
  [
    'ACLs enabled for the object writer',
    { OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } },
    [true, true, true, 'ObjectWriter'],
  ],
  [
    'BucketOwnerPreferred',
    { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } },
    [true, true, true, 'BucketOwnerPreferred'],
  ],
];

describe('model: bucket Block Public Access and Object Ownership', () => {
  for (const [what, properties, expected] of CASES) {
    it(what, () => {
      const model = buildModel(
        handTemplate({ Site: { type: 'AWS::S3::Bucket', physicalId: 'site', properties } }),
      );
      const bucket = model.buckets.get('Site');
      assert.ok(bucket);
      assert.deepEqual(
        [
          bucket.restrictPublicBuckets,
          bucket.blockPublicPolicy,
          bucket.blockPublicAcls,
          bucket.objectOwnership,
        ],
        expected,
      );
    });
  }
});
