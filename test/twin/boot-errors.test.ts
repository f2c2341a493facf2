/**
 * A template the twin cannot create stops `up` with a clear error — the file, the resource and the
 * service's own reason — never a stack trace; and `up` can start again on the same data dir and
 * port afterwards (nothing left listening, no lock held).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTwin } from '../../src/twin/twin.ts';
import { UserError } from '../../src/cli/user-error.ts';

const CASES: Array<[string, string, RegExp]> = [
  [
    'a bucket name S3 would refuse',
    'Bad: {Type: AWS::S3::Bucket, Properties: {BucketName: Not_A_Valid_Bucket}}',
    /resource Bad: the twin cannot create this AWS::S3::Bucket: invalid bucket name 'Not_A_Valid_Bucket'/,
  ],
  [
    'a secret under a KMS key that does not exist',
    'Bad: {Type: AWS::SecretsManager::Secret, Properties: {Name: s, SecretString: v, KmsKeyId: alias/no-such-key}}',
    /resource Bad: the twin cannot create this AWS::SecretsManager::Secret: Secrets Manager can't encrypt/,
  ],
  [
    'a public bucket policy under Block Public Access (on by default): the deployment fails on AWS',
    [
      'Site: {Type: AWS::S3::Bucket, Properties: {BucketName: public-site}}',
      "SitePolicy: {Type: AWS::S3::BucketPolicy, Properties: {Bucket: !Ref Site, PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::public-site/*'}]}}}",
    ].join('\n  '),
    /resource SitePolicy: the twin cannot create this AWS::S3::BucketPolicy: API: s3:PutBucketPolicy Access Denied .*BlockPublicPolicy/,
  ],
  [
    'a bucket ACL that grants others, with ACLs disabled (the default): the deployment fails on AWS',
    'Logs: {Type: AWS::S3::Bucket, Properties: {BucketName: access-logs, AccessControl: LogDeliveryWrite}}',
    /resource Logs: the twin cannot create this AWS::S3::Bucket: Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting .*InvalidBucketAclWithObjectOwnership.*AccessControl LogDeliveryWrite/,
  ],
  [
    'an API model whose schema is not a JSON Schema',
    [
      'Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: a}}',
      'V: {Type: AWS::ApiGateway::RequestValidator, Properties: {RestApiId: !Ref Api, ValidateRequestBody: true}}',
      'Pet: {Type: AWS::ApiGateway::Model, Properties: {RestApiId: !Ref Api, ContentType: application/json, Schema: {type: objekt}}}',
      'Post: {Type: AWS::ApiGateway::Method, Properties: {RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: POST, AuthorizationType: NONE, RequestValidatorId: !Ref V, RequestModels: {application/json: !Ref Pet}, Integration: {Type: MOCK}}}',
    ].join('\n  '),
    /resource Pet, at \/Properties\/Schema: the twin cannot create this AWS::ApiGateway::Model: its Schema is not a valid JSON Schema \(draft 4\)/,
  ],
];

describe('a resource the twin cannot create', () => {
  for (const [what, resource, expected] of CASES) {
    it(`${what}: a UserError naming the file and the resource`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'twin-boot-error-'));
      const file = join(dir, 'template.yaml');
      writeFileSync(file, `Resources:\n  ${resource}\n`);
      try {
        const start = () =>
          startTwin({ templateFile: file, dataDir: join(dir, 'data'), port: 0, seedDir: null });
        await assert.rejects(start(), (error: unknown) => {
          assert.ok(error instanceof UserError, String(error));
          assert.ok(error.message.startsWith(`${file}, `), error.message);
          assert.match(error.message, expected);
          return true;
        });
        // The failed boot released everything: a second try meets the same refusal, not a lock.
        await assert.rejects(start(), expected);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('bucket ACLs that S3 accepts', () => {
  const accepted: Array<[string, string]> = [
    ['Private: full control to the owner only', 'AccessControl: Private'],
    ['an object ACL S3 ignores on a bucket', 'AccessControl: BucketOwnerFullControl'],
    [
      'a grant to the log delivery group once ACLs are enabled (ObjectWriter)',
      'AccessControl: LogDeliveryWrite, OwnershipControls: {Rules: [{ObjectOwnership: ObjectWriter}]}',
    ],
  ];
  for (const [what, properties] of accepted) {
    it(`${what}: the bucket is created`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'twin-bucket-acl-'));
      const file = join(dir, 'template.yaml');
      writeFileSync(
        file,
        `Resources:\n  Logs: {Type: AWS::S3::Bucket, Properties: {BucketName: access-logs, ${properties}}}\n`,
      );
      try {
        const twin = await startTwin({
          templateFile: file,
          dataDir: join(dir, 'data'),
          port: 0,
          seedDir: null,
        });
        assert.equal(twin.state.resources.Logs?.physicalId, 'access-logs');
        await twin.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
