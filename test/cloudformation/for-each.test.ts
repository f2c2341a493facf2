/** Fn::ForEach (AWS::LanguageExtensions): resources, properties, outputs and conditions from loops. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertUserError, load } from './load-helpers.ts';

const TEMPLATE = `Transform: AWS::LanguageExtensions
Parameters:
  Services:
    Type: CommaDelimitedList
    Default: s3,dynamodb
  Tables:
    Type: CommaDelimitedList
Conditions:
  Fn::ForEach::Envs:
    - Env
    - [dev, prod]
    - Is\${Env}: !Equals [!Ref 'AWS::Region', us-east-1]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Fn::ForEach::Endpoints:
    - Service
    - !Ref Services
    - \${Service}Endpoint:
        Type: AWS::EC2::VPCEndpoint
        Properties:
          VpcId: !Ref Vpc
          ServiceName: !Sub 'com.amazonaws.\${AWS::Region}.\${Service}'
          Tags:
            - Key: service
              Value: !Ref Service
  Fn::ForEach::Buckets:
    - Name
    - [logs.archive, data-lake]
    - Bucket&{Name}:
        Type: AWS::S3::Bucket
        Condition: Isdev
        Properties:
          Tags:
            Fn::ForEach::Tags:
              - Tag
              - [a, b]
              - Tag\${Tag}: '\${Name}/\${Tag}'
Outputs:
  Fn::ForEach::EndpointIds:
    - Service
    - !Ref Services
    - \${Service}EndpointId:
        Value: !Ref '\${Service}Endpoint'
`;

test('Fn::ForEach makes one resource per item, with Ref and ${} substituted', () => {
  const t = load(TEMPLATE, 'loops.yaml');
  assert.deepEqual(Object.keys(t.resources), [
    'Vpc',
    's3Endpoint',
    'dynamodbEndpoint',
    'Bucketlogsarchive',
    'Bucketdatalake',
  ]);
  assert.equal(t.resources.s3Endpoint.properties.ServiceName, 'com.amazonaws.us-east-1.s3');
  assert.equal(t.resources.dynamodbEndpoint.properties.VpcId, t.resources.Vpc.physicalId);
  assert.deepEqual(t.resources.dynamodbEndpoint.properties.Tags, [{ Key: 'service', Value: 'dynamodb' }]);
});

test('nested loops in properties, &{} in keys, conditions made by a loop', () => {
  const t = load(TEMPLATE, 'loops.yaml');
  assert.deepEqual(t.resources.Bucketlogsarchive.properties.Tags, {
    Taga: 'logs.archive/a',
    Tagb: 'logs.archive/b',
  });
  assert.deepEqual(t.skipped, []);
});

test('loop-made resources borrow the line of their loop', () => {
  const t = load(TEMPLATE, 'loops.yaml');
  const lines = TEMPLATE.split('\n');
  assert.ok(
    lines[(t.resources.s3Endpoint.line ?? 0) - 1].includes('Fn::ForEach::Endpoints'),
    String(t.resources.s3Endpoint.line),
  );
});

test('outputs made by a loop', () => {
  const t = load(TEMPLATE, 'loops.yaml', { parameters: { Services: 's3' } });
  assert.equal(t.outputs.s3EndpointId, t.resources.s3Endpoint.physicalId);
  assert.ok(!('dynamodbEndpoint' in t.resources), 'the override shortens the collection');
});

test('a collection from a parameter with no value is a user error naming the loop', () => {
  const text = `Transform: AWS::LanguageExtensions
Parameters:
  Tables: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Tables:
    - T
    - !Ref Tables
    - Table\${T}: {Type: AWS::DynamoDB::Table}
`;
  assertUserError(
    () => load(text, 'noval.yaml'),
    ['noval.yaml', '/Resources/Fn::ForEach::Tables/1', '--param Tables='],
  );
});

test('without the LanguageExtensions transform a loop key is not a resource', () => {
  assertUserError(
    () => load("Resources:\n  Fn::ForEach::X: [I, [a], {'R${I}': {Type: AWS::S3::Bucket}}]\n", 'plain.yaml'),
    ['/Resources/Fn::ForEach::X'],
  );
});
