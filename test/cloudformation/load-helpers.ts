/** Small helpers for loader tests: build one template in YAML and JSON and load both. */
import assert from 'node:assert/strict';
import { loadTemplateText } from '../../src/cloudformation/load.ts';
import type { LoadOptions, Template } from '../../src/cloudformation/types.ts';
import { UserError } from '../../src/cli/user-error.ts';

/** A template whose `Out` output is `expression`, written as YAML text (short tags allowed). */
export function yamlWithOutput(expression: string, extra = ''): string {
  return `${BASE_YAML}${extra}\nOutputs:\n  Out:\n    Value: ${expression}\n`;
}

/** The same in JSON (long forms). */
export function jsonWithOutput(expression: unknown, extra: Record<string, unknown> = {}): string {
  const template = structuredClone(BASE_JSON) as unknown as Record<string, Record<string, unknown>>;
  for (const [section, content] of Object.entries(extra)) {
    template[section] = { ...(template[section] ?? {}), ...(content as Record<string, unknown>) };
  }
  template.Outputs = { Out: { Value: expression } };
  return JSON.stringify(template, null, 2);
}

export function load(
  text: string,
  file: string,
  options: LoadOptions = { stackName: 'test-stack' },
): Template {
  return loadTemplateText(text, file, options);
}

/** Asserts loading throws a UserError whose message contains every fragment. */
export function assertUserError(run: () => unknown, fragments: readonly string[]): UserError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof UserError, `expected a UserError, got ${String(caught)}`);
  for (const fragment of fragments) {
    assert.ok(caught.message.includes(fragment), `message "${caught.message}" should contain "${fragment}"`);
  }
  return caught;
}

/** Shared resources: a VPC, a subnet, a bucket, a role, an RDS instance, an interface endpoint. */
const BASE_YAML = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
    Default: dev
  Ports:
    Type: CommaDelimitedList
    Default: '80, 443'
  Count:
    Type: Number
    Default: 3
Mappings:
  Sizes:
    dev: { Instance: t3.micro }
    prod: { Instance: m5.large }
Conditions:
  IsDev: !Equals [!Ref Env, dev]
  IsProd: !Equals [!Ref Env, prod]
  DevOrProd: !Or [!Condition IsDev, !Condition IsProd]
  DevAndEast: !And [!Condition IsDev, !Equals [!Ref 'AWS::Region', us-east-1]]
  NotDev: !Not [!Condition IsDev]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      AvailabilityZone: us-east-1b
  Bucket:
    Type: AWS::S3::Bucket
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcEndpointType: Interface
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.us-east-1.secretsmanager
      SubnetIds: [!Ref Subnet]
`;

const BASE_JSON = {
  AWSTemplateFormatVersion: '2010-09-09',
  Parameters: {
    Env: { Type: 'String', Default: 'dev' },
    Ports: { Type: 'CommaDelimitedList', Default: '80, 443' },
    Count: { Type: 'Number', Default: 3 },
  },
  Mappings: { Sizes: { dev: { Instance: 't3.micro' }, prod: { Instance: 'm5.large' } } },
  Conditions: {
    IsDev: { 'Fn::Equals': [{ Ref: 'Env' }, 'dev'] },
    IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
    DevOrProd: { 'Fn::Or': [{ Condition: 'IsDev' }, { Condition: 'IsProd' }] },
    DevAndEast: {
      'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] }],
    },
    NotDev: { 'Fn::Not': [{ Condition: 'IsDev' }] },
  },
  Resources: {
    Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
    Subnet: {
      Type: 'AWS::EC2::Subnet',
      Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1b' },
    },
    Bucket: { Type: 'AWS::S3::Bucket' },
    Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
    Db: { Type: 'AWS::RDS::DBInstance', Properties: { Engine: 'postgres' } },
    Endpoint: {
      Type: 'AWS::EC2::VPCEndpoint',
      Properties: {
        VpcEndpointType: 'Interface',
        VpcId: { Ref: 'Vpc' },
        ServiceName: 'com.amazonaws.us-east-1.secretsmanager',
        SubnetIds: [{ Ref: 'Subnet' }],
      },
    },
  },
};
