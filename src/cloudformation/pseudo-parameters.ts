/**
 * Pseudo parameters and the Region-derived values: partition, URL suffix, Availability Zones.
 */
import { createHash } from 'node:crypto';

export const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
] as const;

/** `aws-cn` for the China Regions, `aws-us-gov` for GovCloud, `aws` elsewhere. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** `amazonaws.com.cn` in the China Regions, `amazonaws.com` elsewhere. */
export function urlSuffixOf(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/**
 * How many AZ names `Fn::GetAZs` returns per Region. The real list depends on the account;
 * these counts are the Regions' AZ counts, used with the letters a, b, c… (see the docs file).
 */
const AZ_COUNT: Readonly<Record<string, number>> = {
  'us-east-1': 6,
  'us-east-2': 3,
  'us-west-1': 2,
  'us-west-2': 4,
  'ca-central-1': 3,
  'eu-west-1': 3,
  'eu-west-2': 3,
  'eu-west-3': 3,
  'eu-central-1': 3,
  'eu-north-1': 3,
  'ap-northeast-1': 3,
  'ap-northeast-2': 4,
  'ap-southeast-1': 3,
  'ap-southeast-2': 3,
  'ap-south-1': 3,
  'sa-east-1': 3,
};

export function availabilityZones(region: string): string[] {
  const count = AZ_COUNT[region] ?? 3;
  return Array.from({ length: count }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

/** A stack ARN like CloudFormation's, with a UUID derived from the stack name (stable across runs). */
export function stackIdOf(partition: string, region: string, accountId: string, stackName: string): string {
  const hex = createHash('sha256').update(`stack/${stackName}`).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  return `arn:${partition}:cloudformation:${region}:${accountId}:stack/${stackName}/${uuid}`;
}
