import { Aws } from 'aws-cdk-lib';

/**
 * The CDK bootstrap roles (`cdk-<qualifier>-cfn-exec-role-…`, `cdk-…-deploy-role-…`) deploy this stack
 * from outside the VPC. Resource policies that demand `aws:SourceVpce` exempt exactly these roles, so
 * CloudFormation can still manage the bucket and resolve the DB password's dynamic reference, without
 * opening the resource to anyone else (no other principal's ARN matches this pattern unless someone
 * names a role `cdk-*` in this account — which is the bootstrap's namespace).
 */
export const DEPLOY_ROLE_ARN_PATTERN = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/cdk-*`;

/** The condition block that keeps the deploy roles out of a "must come through the endpoint" deny. */
export function exceptDeployRoles(): Record<string, Record<string, string>> {
  return { ArnNotLike: { 'aws:PrincipalArn': DEPLOY_ROLE_ARN_PATTERN } };
}
