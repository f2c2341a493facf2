/** Parameter types, defaults, overrides and the `--param` parser. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseParamOverrides } from '../../src/cloudformation/load.ts';
import { isUnresolved } from '../../src/cloudformation/unresolved.ts';
import { assertUserError, load } from './load-helpers.ts';

const TEMPLATE = `
Parameters:
  Name: {Type: String, Default: shop}
  Size: {Type: Number, Default: 2}
  Ports: {Type: List<Number>, Default: '80, 443'}
  Zones: {Type: CommaDelimitedList, Default: 'us-east-1a ,us-east-1b'}
  VpcId: {Type: 'AWS::EC2::VPC::Id', Default: vpc-0123456789abcdef0}
  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>', Default: 'subnet-0a,subnet-0b'}
  Ami: {Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: /aws/service/ami}
  Required: {Type: String}
  Empty: {Type: CommaDelimitedList, Default: ''}
Resources:
  Bucket: {Type: AWS::S3::Bucket}
`;

const rows: ReadonlyArray<readonly [string, unknown]> = [
  ['Name', 'shop'],
  ['Size', '2'],
  ['Ports', ['80', '443']],
  ['Zones', ['us-east-1a', 'us-east-1b']],
  ['VpcId', 'vpc-0123456789abcdef0'],
  ['Subnets', ['subnet-0a', 'subnet-0b']],
  ['Empty', []],
];

const template = load(TEMPLATE, 'params.yaml');

for (const [name, expected] of rows) {
  test(`parameter ${name} resolves to ${JSON.stringify(expected)}`, () => {
    assert.deepEqual(template.parameters[name], expected);
  });
}

test('an SSM parameter type stays an unresolved token naming the SSM parameter', () => {
  const value = template.parameters.Ami;
  assert.ok(isUnresolved(value), 'token');
  assert.match(value.reason, /\/aws\/service\/ami/);
  assert.ok(
    template.unresolved.some((u) => u.logicalId === 'Ami' && u.pointer === '/Parameters/Ami'),
    'listed in template.unresolved',
  );
});

test('a parameter with no Default and no override stays a token asking for --param', () => {
  const value = template.parameters.Required;
  assert.ok(isUnresolved(value), 'token');
  assert.match(value.reason, /--param Required=/);
});

test('overrides win over defaults and are typed like defaults', () => {
  const t = load(TEMPLATE, 'params.yaml', {
    parameters: { Name: 'store', Size: '5', Ports: '8080,8443', Required: 'given', Subnets: 'subnet-0c' },
  });
  assert.equal(t.parameters.Name, 'store');
  assert.equal(t.parameters.Size, '5');
  assert.deepEqual(t.parameters.Ports, ['8080', '8443']);
  assert.equal(t.parameters.Required, 'given');
  assert.deepEqual(t.parameters.Subnets, ['subnet-0c']);
});

test('a List<Number> override with a non-number is refused', () => {
  assertUserError(
    () => load(TEMPLATE, 'params.yaml', { parameters: { Ports: '80,http' } }),
    ['/Parameters/Ports', '"http" is not a number'],
  );
});

test('MinLength/MaxLength and MinValue/MaxValue apply to overrides', () => {
  const text = `Parameters:\n  S: {Type: String, Default: abc, MinLength: 2, MaxLength: 4}\n  N: {Type: Number, Default: 5, MinValue: 1, MaxValue: 10}\nResources:\n  B: {Type: AWS::S3::Bucket}\n`;
  assertUserError(() => load(text, 'p.yaml', { parameters: { S: 'a' } }), ['MinLength 2']);
  assertUserError(() => load(text, 'p.yaml', { parameters: { S: 'abcde' } }), ['MaxLength 4']);
  assertUserError(() => load(text, 'p.yaml', { parameters: { N: '0' } }), ['MinValue 1']);
  assertUserError(() => load(text, 'p.yaml', { parameters: { N: '11' } }), ['MaxValue 10']);
  assert.equal(load(text, 'p.yaml', { parameters: { S: 'abcd', N: '10' } }).parameters.N, '10');
});

test('parseParamOverrides splits at the first "="', () => {
  assert.deepEqual(parseParamOverrides(['Env=prod', 'Cidr=10.0.0.0/16', 'Query=a=b', 'Empty=']), {
    Env: 'prod',
    Cidr: '10.0.0.0/16',
    Query: 'a=b',
    Empty: '',
  });
});

for (const bad of ['Env', '=value', '']) {
  test(`parseParamOverrides refuses "${bad}"`, () => {
    assertUserError(() => parseParamOverrides([bad]), ['--param', 'Key=Value']);
  });
}
