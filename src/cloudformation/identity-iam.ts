/**
 * Identity rules (what Ref and Fn::GetAtt return): IAM roles, instance profiles, policies, users and groups.
 */
import type { IdentityContext, IdentityRule } from './identity-helpers.ts';
import { id, nameOf, named, arn, text, upper } from './identity-helpers.ts';
import { generatedName } from './physical-ids.ts';
import { isUnresolved } from './unresolved.ts';

function iamPath(c: IdentityContext): string {
  return text(c.properties.Path) ?? '/';
}

export const role: IdentityRule = (c) =>
  named(c, nameOf(c, 'RoleName', 64), (name) => ({
    Arn: arn(c, 'iam', `role${iamPath(c)}${name}`, ''),
    RoleId: `AROA${upper(c, 'role-id', 17)}`,
  }));

export const instanceProfile: IdentityRule = (c) =>
  named(c, nameOf(c, 'InstanceProfileName', 128), (name) => ({
    Arn: arn(c, 'iam', `instance-profile${iamPath(c)}${name}`, ''),
  }));

export const managedPolicy: IdentityRule = (c) => {
  const name = nameOf(c, 'ManagedPolicyName', 128);
  if (isUnresolved(name)) return named(c, name, () => ({ PolicyArn: '', PolicyId: '' }));
  const policyArn = arn(c, 'iam', `policy${iamPath(c)}${name}`, '');
  return id(policyArn, {
    PolicyArn: policyArn,
    PolicyId: `ANPA${upper(c, 'policy-id', 17)}`,
    DefaultVersionId: 'v1',
  });
};

export const user: IdentityRule = (c) =>
  named(c, nameOf(c, 'UserName', 64), (name) => ({ Arn: arn(c, 'iam', `user${iamPath(c)}${name}`, '') }));

export const group: IdentityRule = (c) =>
  named(c, nameOf(c, 'GroupName', 128), (name) => ({ Arn: arn(c, 'iam', `group${iamPath(c)}${name}`, '') }));

export const iamPolicy: IdentityRule = (c) => {
  const policyId = generatedName(c.stackName, c.logicalId, { maxLength: 128 });
  return id(policyId, { Id: policyId });
};
