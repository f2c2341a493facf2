/**
 * Identity rules (what Ref and Fn::GetAtt return): S3 buckets, DynamoDB tables, Secrets Manager secrets, KMS keys.
 */
import type { IdentityRule } from './identity-helpers.ts';
import { id, nameOf, named, arn, text, mixed, CREATION_TIMESTAMP } from './identity-helpers.ts';
import { uuidFor } from './physical-ids.ts';
import { isUnresolved } from './unresolved.ts';

/** Regions whose website endpoints use `s3-website-<region>` (dash); newer ones use a dot. */
const S3_WEBSITE_DASH_REGIONS = new Set([
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'eu-west-1',
  'sa-east-1',
  'us-gov-west-1',
]);

const BUCKET_NAME = { maxLength: 63, lowercase: true } as const;

export const bucket: IdentityRule = (c) =>
  named(
    c,
    nameOf(c, 'BucketName', BUCKET_NAME.maxLength, BUCKET_NAME.lowercase),
    (name) => ({
      Arn: `arn:${c.partition}:s3:::${name}`,
      DomainName: `${name}.s3.${c.urlSuffix}`,
      RegionalDomainName: `${name}.s3.${c.region}.${c.urlSuffix}`,
      DualStackDomainName: `${name}.s3.dualstack.${c.region}.${c.urlSuffix}`,
      WebsiteURL: `http://${name}.s3-website${S3_WEBSITE_DASH_REGIONS.has(c.region) ? '-' : '.'}${c.region}.${c.urlSuffix}`,
    }),
    BUCKET_NAME,
  );

export const table: IdentityRule = (c) =>
  named(c, nameOf(c, 'TableName', 255), (name) => {
    const tableArn = arn(c, 'dynamodb', `table/${name}`);
    const attributes: Record<string, unknown> = { Arn: tableArn };
    // StreamArn exists only when the table has a stream.
    if (c.properties.StreamSpecification !== undefined) {
      attributes.StreamArn = `${tableArn}/stream/${CREATION_TIMESTAMP.slice(0, 23)}`;
    }
    return attributes;
  });

export const secret: IdentityRule = (c) => {
  const given = c.properties.Name;
  if (isUnresolved(given)) return named(c, given, () => ({ Id: '' }));
  // CloudFormation names an unnamed secret `<LogicalId>-<12 mixed-case characters>`.
  const name = text(given) ?? `${c.logicalId}-${mixed(c, 'secret-name', 12)}`;
  const secretArn = arn(c, 'secretsmanager', `secret:${name}-${mixed(c, 'secret-arn', 6)}`);
  return id(secretArn, { Id: secretArn });
};

export const kmsKey: IdentityRule = (c) => {
  const keyId = uuidFor(c.stackName, c.logicalId, 'kms');
  return id(keyId, { KeyId: keyId, Arn: arn(c, 'kms', `key/${keyId}`) });
};

export const kmsAlias: IdentityRule = (c) => {
  const name = nameOf(c, 'AliasName', 256);
  return named(c, name, () => ({}));
};
