/**
 * Identity rules (what Ref and Fn::GetAtt return): Route 53, ACM, SSM parameters, wait conditions, CloudFront,
 * Step Functions, EventBridge.
 */
import type { IdentityRule } from './identity-helpers.ts';
import { id, nameOf, named, arn, lower, upper, pending, prop } from './identity-helpers.ts';
import { uuidFor } from './physical-ids.ts';
import { isUnresolved } from './unresolved.ts';

export const hostedZone: IdentityRule = (c) => {
  const zoneId = `Z${upper(c, 'hosted-zone', 20)}`;
  return id(zoneId, {
    Id: zoneId,
    NameServers: pending(c, 'NameServers', 'assigned by Route 53 at creation'),
  });
};

export function arnWithUuid(service: string, resource: string, ...attributeNames: string[]): IdentityRule {
  return (c) => {
    const value = arn(c, service, `${resource}/${uuidFor(c.stackName, c.logicalId, service)}`);
    return id(value, Object.fromEntries(attributeNames.map((name) => [name, value])));
  };
}

export const ssmParameter: IdentityRule = (c) =>
  named(c, nameOf(c, 'Name', 2048), () => ({ Type: prop(c, 'Type', 'String'), Value: prop(c, 'Value', '') }));

export const waitConditionHandle: IdentityRule = (c) =>
  id(
    `https://cloudformation-waitcondition-${c.region}.s3.${c.region}.${c.urlSuffix}/${encodeURIComponent(
      `arn:${c.partition}:cloudformation:${c.region}:${c.accountId}:stack/${c.stackName}`,
    )}/${c.logicalId}`,
  );

export const distribution: IdentityRule = (c) => {
  const distributionId = `E${upper(c, 'cloudfront', 13)}`;
  return id(distributionId, {
    Id: distributionId,
    DomainName: `d${lower(c, 'cloudfront-dns', 13)}.cloudfront.net`,
  });
};

export const stateMachine: IdentityRule = (c) => {
  const name = nameOf(c, 'StateMachineName', 80);
  if (isUnresolved(name)) return named(c, name, () => ({ Arn: '', Name: '' }));
  const value = arn(c, 'states', `stateMachine:${name}`);
  return id(value, { Arn: value, Name: name });
};

export const eventRule: IdentityRule = (c) =>
  named(c, nameOf(c, 'Name', 64), (name) => ({ Arn: arn(c, 'events', `rule/${name}`) }));
