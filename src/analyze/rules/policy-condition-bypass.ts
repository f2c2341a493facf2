/**
 * policy-condition-bypass — conditions that do not restrict what they seem to. A single-valued key
 * (aws:SourceVpce, aws:SourceIp, …) under `ForAllValues:` matches when the key is absent, so an
 * Allow meant for one endpoint allows requests that come through none; under `ForAnyValue:` in a
 * Deny it never matches an absent key, so requests without it escape the Deny; `…IfExists` on a
 * network key in an Allow matches requests that carry no such key.
 * Source: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
import { policyInventory } from '../policy-inventory.ts';
import { statementsOf } from '../policy-document.ts';
import type { Rule, RuleFinding } from './rule.ts';

/** Global condition keys that hold one value per request. */
const SINGLE_VALUED_KEYS = new Set(
  [
    'aws:SourceVpce',
    'aws:SourceVpc',
    'aws:SourceIp',
    'aws:VpcSourceIp',
    'aws:SourceAccount',
    'aws:SourceArn',
    'aws:SourceOrgID',
    'aws:PrincipalArn',
    'aws:PrincipalAccount',
    'aws:PrincipalOrgID',
    'aws:PrincipalType',
    'aws:ResourceAccount',
    'aws:ResourceOrgID',
    'aws:VpceAccount',
    'aws:VpceOrgID',
    'aws:SecureTransport',
    'aws:RequestedRegion',
    'aws:userid',
    'aws:username',
    'aws:ViaAWSService',
    'aws:CurrentTime',
    'aws:EpochTime',
  ].map((key) => key.toLowerCase()),
);

/** Keys a request carries only on some network paths: `IfExists` on them lets the other paths through. */
const PATH_KEYS = new Set(['aws:sourcevpce', 'aws:sourcevpc', 'aws:vpcsourceip', 'aws:sourceip']);

export const policyConditionBypass: Rule = {
  id: 'policy-condition-bypass',
  severity: 'error',
  title: 'A policy condition does not restrict what it seems to',
  help:
    'Set operators (ForAllValues:, ForAnyValue:) are for multi-valued keys. ForAllValues: on a single-valued key such as ' +
    'aws:SourceVpce is true when the key is absent, so an Allow "only through my endpoint" also allows requests from the ' +
    'internet; ForAnyValue: in a Deny is false when the key is absent, so those requests escape the Deny; ...IfExists on ' +
    'a network key in an Allow matches every request that has no such key. Use the plain operator (StringEquals, ' +
    'StringNotEquals) for single-valued keys.',
  *check(analysis) {
    for (const entry of policyInventory(analysis.model)) {
      for (const statement of statementsOf(entry.document)) {
        for (const [operator, keys] of Object.entries(statement.condition)) {
          const lower = operator.toLowerCase();
          for (const key of Object.keys(keys)) {
            const lowerKey = key.toLowerCase();
            const where = `statement ${statement.sid ? `"${statement.sid}"` : statement.index} of ${entry.name}`;
            const finding = (why: string, fix: string): RuleFinding => ({
              resources: [entry.owner],
              message: `${where}: ${operator} on ${key} ${why}`,
              fix,
            });
            if (!SINGLE_VALUED_KEYS.has(lowerKey) && !PATH_KEYS.has(lowerKey)) continue;
            const plain = operator.replace(/^For(All|Any)Values:/i, '').replace(/IfExists$/i, '');
            if (
              lower.startsWith('forallvalues:') &&
              statement.effect === 'Allow' &&
              SINGLE_VALUED_KEYS.has(lowerKey)
            ) {
              yield finding(
                `is true when the key is absent, so this Allow also applies to requests that carry no ${key}`,
                `use ${plain} (no set operator) for the single-valued key ${key}`,
              );
            } else if (
              lower.startsWith('foranyvalue:') &&
              statement.effect === 'Deny' &&
              SINGLE_VALUED_KEYS.has(lowerKey)
            ) {
              yield finding(
                `is false when the key is absent, so requests that carry no ${key} escape this Deny`,
                `use ${plain} (no set operator) for the single-valued key ${key}`,
              );
            } else if (
              lower.endsWith('ifexists') &&
              statement.effect === 'Allow' &&
              PATH_KEYS.has(lowerKey)
            ) {
              yield finding(
                `matches requests that carry no ${key} (any other network path), so this Allow is not limited to it`,
                `use ${plain} without IfExists`,
              );
            }
          }
        }
      }
    }
  },
};
