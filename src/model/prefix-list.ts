/**
 * Customer-managed prefix lists (AWS::EC2::PrefixList). The AWS-managed lists of S3 and DynamoDB
 * come from the shipped table in src/network/aws-prefixes.json.
 */
import { type BuildContext, idsOf } from './context.ts';
import { list, obj, str } from './refs.ts';

export interface ManagedPrefixList {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly name?: string;
  readonly cidrs: string[];
}

export function buildPrefixLists(ctx: BuildContext): Map<string, ManagedPrefixList> {
  const lists = new Map<string, ManagedPrefixList>();
  for (const resource of ctx.ofType('AWS::EC2::PrefixList')) {
    const props = resource.properties;
    if (str(props.AddressFamily) === 'IPv6') continue;
    const cidrs = list(props.Entries)
      .map((entry) => str(obj(entry)?.Cidr))
      .filter((cidr): cidr is string => cidr !== undefined);
    lists.set(resource.logicalId, {
      logicalId: resource.logicalId,
      physicalId: str(resource.attributes.PrefixListId) ?? resource.physicalId,
      name: str(props.PrefixListName),
      cidrs,
    });
    ctx.index('prefixList').add(resource.logicalId, ...idsOf(resource));
  }
  return lists;
}
