/**
 * One row per intrinsic form, each written in YAML (short tags) and JSON (long form); both must
 * resolve to the same expected value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Template } from '../../src/cloudformation/types.ts';
import { isUnresolved } from '../../src/cloudformation/unresolved.ts';
import { jsonWithOutput, load, yamlWithOutput } from './load-helpers.ts';

interface Row {
  readonly name: string;
  readonly yaml: string;
  readonly json: unknown;
  /** The expected output value, or a function of the loaded template giving it. */
  readonly expected: unknown;
}

const vpcId = (t: Template) => t.resources.Vpc.physicalId;
const bucketName = (t: Template) => t.resources.Bucket.physicalId;

const rows: Row[] = [
  // Ref
  { name: 'Ref parameter default', yaml: '!Ref Env', json: { Ref: 'Env' }, expected: 'dev' },
  { name: 'Ref Number parameter is a string', yaml: '!Ref Count', json: { Ref: 'Count' }, expected: '3' },
  {
    name: 'Ref CommaDelimitedList is trimmed',
    yaml: '!Ref Ports',
    json: { Ref: 'Ports' },
    expected: ['80', '443'],
  },
  { name: 'Ref resource → physical id', yaml: '!Ref Vpc', json: { Ref: 'Vpc' }, expected: vpcId },
  {
    name: 'Ref AWS::Region',
    yaml: "!Ref 'AWS::Region'",
    json: { Ref: 'AWS::Region' },
    expected: 'us-east-1',
  },
  {
    name: 'Ref AWS::AccountId',
    yaml: '!Ref AWS::AccountId',
    json: { Ref: 'AWS::AccountId' },
    expected: '123456789012',
  },
  {
    name: 'Ref AWS::Partition',
    yaml: '!Ref AWS::Partition',
    json: { Ref: 'AWS::Partition' },
    expected: 'aws',
  },
  {
    name: 'Ref AWS::URLSuffix',
    yaml: '!Ref AWS::URLSuffix',
    json: { Ref: 'AWS::URLSuffix' },
    expected: 'amazonaws.com',
  },
  {
    name: 'Ref AWS::StackName',
    yaml: '!Ref AWS::StackName',
    json: { Ref: 'AWS::StackName' },
    expected: 'test-stack',
  },
  {
    name: 'Ref AWS::NotificationARNs',
    yaml: '!Ref AWS::NotificationARNs',
    json: { Ref: 'AWS::NotificationARNs' },
    expected: [],
  },
  {
    name: 'Ref AWS::StackId is a stack ARN',
    yaml: '!Ref AWS::StackId',
    json: { Ref: 'AWS::StackId' },
    expected: (t: Template) => {
      const id = t.outputs.Out as string;
      assert.match(id, /^arn:aws:cloudformation:us-east-1:123456789012:stack\/test-stack\/[0-9a-f-]{36}$/);
      return id;
    },
  },
  // Fn::GetAtt
  {
    name: 'GetAtt dotted short form',
    yaml: '!GetAtt Vpc.CidrBlock',
    json: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] },
    expected: '10.0.0.0/16',
  },
  {
    name: 'GetAtt list short form',
    yaml: '!GetAtt [Subnet, AvailabilityZone]',
    json: { 'Fn::GetAtt': ['Subnet', 'AvailabilityZone'] },
    expected: 'us-east-1b',
  },
  {
    name: 'GetAtt attribute with a dot (Endpoint.Port)',
    yaml: '!GetAtt Db.Endpoint.Port',
    json: { 'Fn::GetAtt': ['Db', 'Endpoint.Port'] },
    expected: '5432',
  },
  {
    name: 'GetAtt with the attribute name from a Ref',
    yaml: "!GetAtt [Vpc, !Sub 'Cidr${!Nothing}Block']",
    json: { 'Fn::GetAtt': ['Vpc', { 'Fn::Sub': 'Cidr${!Nothing}Block' }] },
    expected: (t: Template) => {
      // `${!Nothing}` writes a literal, so the name is not an attribute: an explicit token.
      assert.ok(isUnresolved(t.outputs.Out), 'expected a token');
      return t.outputs.Out;
    },
  },
  {
    name: 'GetAtt Role.Arn',
    yaml: '!GetAtt Role.Arn',
    json: { 'Fn::GetAtt': ['Role', 'Arn'] },
    expected: (t: Template) => `arn:aws:iam::123456789012:role/${t.resources.Role.physicalId}`,
  },
  // Fn::Join
  {
    name: 'Join',
    yaml: "!Join ['-', [a, b, c]]",
    json: { 'Fn::Join': ['-', ['a', 'b', 'c']] },
    expected: 'a-b-c',
  },
  {
    name: 'Join nested tokens',
    yaml: "!Join ['', ['arn:', !Ref 'AWS::Partition', ':s3:::', !Ref Bucket, '/*']]",
    json: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Bucket' }, '/*']] },
    expected: (t: Template) => `arn:aws:s3:::${bucketName(t)}/*`,
  },
  {
    name: 'Join a list parameter',
    yaml: "!Join ['|', !Ref Ports]",
    json: { 'Fn::Join': ['|', { Ref: 'Ports' }] },
    expected: '80|443',
  },
  // Fn::Sub
  {
    name: 'Sub string form with pseudo, parameter, resource and attribute',
    yaml: "!Sub '${AWS::Region}/${Env}/${Vpc}/${Vpc.CidrBlock}'",
    json: { 'Fn::Sub': '${AWS::Region}/${Env}/${Vpc}/${Vpc.CidrBlock}' },
    expected: (t: Template) => `us-east-1/dev/${vpcId(t)}/10.0.0.0/16`,
  },
  {
    name: 'Sub ${!Literal} escape',
    yaml: "!Sub 'echo ${!HOME} in ${Env}'",
    json: { 'Fn::Sub': 'echo ${!HOME} in ${Env}' },
    expected: 'echo ${HOME} in dev',
  },
  {
    name: 'Sub list form with variables (incl. GetAtt)',
    yaml: "!Sub ['${Name}:${Cidr}', {Name: !Ref Env, Cidr: !GetAtt Vpc.CidrBlock}]",
    json: {
      'Fn::Sub': ['${Name}:${Cidr}', { Name: { Ref: 'Env' }, Cidr: { 'Fn::GetAtt': ['Vpc', 'CidrBlock'] } }],
    },
    expected: 'dev:10.0.0.0/16',
  },
  {
    name: 'Sub block scalar inside Base64',
    yaml: '!Base64\n      Fn::Sub: |\n        #!/bin/bash\n        echo ${Env}\n',
    json: { 'Fn::Base64': { 'Fn::Sub': '#!/bin/bash\necho ${Env}\n' } },
    expected: Buffer.from('#!/bin/bash\necho dev\n').toString('base64'),
  },
  // Fn::Select / Fn::Split
  {
    name: 'Select',
    yaml: '!Select [1, [a, b, c]]',
    json: { 'Fn::Select': ['1', ['a', 'b', 'c']] },
    expected: 'b',
  },
  {
    name: 'Split',
    yaml: "!Split [',', 'a,b,,c']",
    json: { 'Fn::Split': [',', 'a,b,,c'] },
    expected: ['a', 'b', '', 'c'],
  },
  {
    name: 'Select + Split on DnsEntries (regional endpoint name)',
    yaml: "!Select [1, !Split [':', !Select [0, !GetAtt Endpoint.DnsEntries]]]",
    json: {
      'Fn::Select': [
        1,
        { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': ['Endpoint', 'DnsEntries'] }] }] },
      ],
    },
    expected: (t: Template) => {
      const name = t.outputs.Out as string;
      assert.match(name, /^vpce-0[0-9a-f]{16}-[a-z0-9]{8}\.secretsmanager\.us-east-1\.vpce\.amazonaws\.com$/);
      assert.ok(
        name.startsWith(`${t.resources.Endpoint.physicalId}-`),
        `${name} starts with the endpoint id`,
      );
      return name;
    },
  },
  // Fn::GetAZs
  {
    name: "GetAZs '' → six us-east-1 AZs",
    yaml: "!GetAZs ''",
    json: { 'Fn::GetAZs': '' },
    expected: ['a', 'b', 'c', 'd', 'e', 'f'].map((l) => `us-east-1${l}`),
  },
  {
    name: 'GetAZs bare tag in Select',
    yaml: '!Select [2, !GetAZs ]',
    json: { 'Fn::Select': [2, { 'Fn::GetAZs': null }] },
    expected: 'us-east-1c',
  },
  {
    name: 'GetAZs of Ref AWS::Region',
    yaml: "!Select [0, !GetAZs {Ref: 'AWS::Region'}]",
    json: { 'Fn::Select': [0, { 'Fn::GetAZs': { Ref: 'AWS::Region' } }] },
    expected: 'us-east-1a',
  },
  {
    name: 'GetAZs of another Region',
    yaml: '!GetAZs eu-west-1',
    json: { 'Fn::GetAZs': 'eu-west-1' },
    expected: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  },
  // Fn::Cidr, Fn::Base64
  {
    name: 'Cidr',
    yaml: "!Cidr ['192.168.0.0/24', 2, 5]",
    json: { 'Fn::Cidr': ['192.168.0.0/24', '2', '5'] },
    expected: ['192.168.0.0/27', '192.168.0.32/27'],
  },
  {
    name: 'Cidr of GetAtt VPC.CidrBlock',
    yaml: '!Select [1, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]',
    json: { 'Fn::Select': [1, { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 4, 8] }] },
    expected: '10.0.1.0/24',
  },
  { name: 'Base64', yaml: '!Base64 hello', json: { 'Fn::Base64': 'hello' }, expected: 'aGVsbG8=' },
  // Fn::FindInMap
  {
    name: 'FindInMap with a Ref key',
    yaml: '!FindInMap [Sizes, !Ref Env, Instance]',
    json: { 'Fn::FindInMap': ['Sizes', { Ref: 'Env' }, 'Instance'] },
    expected: 't3.micro',
  },
  {
    name: 'FindInMap DefaultValue',
    yaml: '!FindInMap [Sizes, test, Instance, {DefaultValue: t3.nano}]',
    json: { 'Fn::FindInMap': ['Sizes', 'test', 'Instance', { DefaultValue: 't3.nano' }] },
    expected: 't3.nano',
  },
  // Conditions
  {
    name: 'If true branch',
    yaml: '!If [IsDev, yes-dev, no-dev]',
    json: { 'Fn::If': ['IsDev', 'yes-dev', 'no-dev'] },
    expected: 'yes-dev',
  },
  {
    name: 'If false branch',
    yaml: '!If [IsProd, p, np]',
    json: { 'Fn::If': ['IsProd', 'p', 'np'] },
    expected: 'np',
  },
  {
    name: 'Or of Conditions',
    yaml: '!If [DevOrProd, 1, 0]',
    json: { 'Fn::If': ['DevOrProd', 1, 0] },
    expected: 1,
  },
  {
    name: 'And with Equals',
    yaml: '!If [DevAndEast, 1, 0]',
    json: { 'Fn::If': ['DevAndEast', 1, 0] },
    expected: 1,
  },
  { name: 'Not', yaml: '!If [NotDev, 1, 0]', json: { 'Fn::If': ['NotDev', 1, 0] }, expected: 0 },
  {
    name: 'AWS::NoValue removes a key',
    yaml: "\n      Keep: 1\n      Drop: !If [IsProd, 2, !Ref 'AWS::NoValue']",
    json: { Keep: 1, Drop: { 'Fn::If': ['IsProd', 2, { Ref: 'AWS::NoValue' }] } },
    expected: { Keep: 1 },
  },
  {
    name: 'AWS::NoValue removes a list item',
    yaml: "[a, !If [IsProd, b, !Ref 'AWS::NoValue'], c]",
    json: ['a', { 'Fn::If': ['IsProd', 'b', { Ref: 'AWS::NoValue' }] }, 'c'],
    expected: ['a', 'c'],
  },
  // LanguageExtensions
  {
    name: 'ToJsonString',
    yaml: '!ToJsonString {a: !Ref Env, b: [1, 2]}',
    json: { 'Fn::ToJsonString': { a: { Ref: 'Env' }, b: [1, 2] } },
    expected: '{"a":"dev","b":[1,2]}',
  },
  { name: 'Length', yaml: '!Length [a, b, c]', json: { 'Fn::Length': ['a', 'b', 'c'] }, expected: 3 },
];

for (const row of rows) {
  for (const format of ['yaml', 'json'] as const) {
    test(`${row.name} (${format})`, () => {
      const text = format === 'yaml' ? yamlWithOutput(row.yaml) : jsonWithOutput(row.json);
      const template = load(text, `intrinsic.${format}`);
      const expected =
        typeof row.expected === 'function'
          ? (row.expected as (t: Template) => unknown)(template)
          : row.expected;
      assert.deepEqual(template.outputs.Out, expected);
    });
  }
}

interface TokenRow {
  readonly name: string;
  readonly yaml: string;
  readonly json: unknown;
  readonly intrinsic: string;
  readonly reason: RegExp;
}

const tokenRows: TokenRow[] = [
  {
    name: 'ImportValue',
    yaml: "!ImportValue 'network-VpcId'",
    json: { 'Fn::ImportValue': 'network-VpcId' },
    intrinsic: 'Fn::ImportValue',
    reason: /another stack/,
  },
  {
    name: 'GetAtt of an unknown attribute',
    yaml: '!GetAtt Bucket.NoSuchThing',
    json: { 'Fn::GetAtt': ['Bucket', 'NoSuchThing'] },
    intrinsic: 'Fn::GetAtt',
    reason: /NoSuchThing/,
  },
  {
    name: 'Join over an ImportValue',
    yaml: "!Join ['', [x, !ImportValue other]]",
    json: { 'Fn::Join': ['', ['x', { 'Fn::ImportValue': 'other' }]] },
    intrinsic: 'Fn::Join',
    reason: /Fn::ImportValue/,
  },
  {
    name: 'Sub over a dynamic transform',
    yaml: "!Sub ['${X}', {X: {'Fn::Transform': {Name: 'AWS::Include'}}}]",
    json: { 'Fn::Sub': ['${X}', { X: { 'Fn::Transform': { Name: 'AWS::Include' } } }] },
    intrinsic: 'Fn::Sub',
    reason: /Fn::Transform/,
  },
];

for (const row of tokenRows) {
  for (const format of ['yaml', 'json'] as const) {
    test(`${row.name} stays an unresolved token, listed with its place (${format})`, () => {
      const text = format === 'yaml' ? yamlWithOutput(row.yaml) : jsonWithOutput(row.json);
      const template = load(text, `token.${format}`);
      const value = template.outputs.Out;
      assert.ok(isUnresolved(value), `expected a token, got ${JSON.stringify(value)}`);
      assert.equal(value.intrinsic, row.intrinsic);
      assert.match(value.reason, row.reason);
      const listed = template.unresolved.find((u) => u.pointer === '/Outputs/Out/Value');
      assert.ok(listed !== undefined, 'listed in template.unresolved');
      assert.equal(listed.logicalId, 'Out');
      assert.equal(listed.token, value);
    });
  }
}

for (const [name, yaml] of [
  ['written as is', "'{{resolve:secretsmanager:db-secret:SecretString:password}}'"],
  ['built by Fn::Sub', "!Sub '{{resolve:ssm:/${Env}/db/host}}'"],
] as const) {
  test(`a dynamic reference (${name}) becomes a token and is reported`, () => {
    const template = load(yamlWithOutput(yaml), 'dyn.yaml');
    const value = template.outputs.Out;
    assert.ok(isUnresolved(value), `expected a token, got ${JSON.stringify(value)}`);
    assert.equal(value.intrinsic, 'dynamic-reference');
    const listed = template.unresolved.find((u) => u.pointer === '/Outputs/Out/Value');
    assert.ok(listed !== undefined, 'listed in template.unresolved');
    assert.equal(listed.token, value);
  });
}

test('partition and URL suffix follow the Region', () => {
  const cases = [
    ['cn-north-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-west-1', 'aws-us-gov', 'amazonaws.com'],
    ['eu-central-1', 'aws', 'amazonaws.com'],
  ] as const;
  for (const [region, partition, suffix] of cases) {
    const template = load(yamlWithOutput("!Sub '${AWS::Partition} ${AWS::URLSuffix}'"), 'p.yaml', { region });
    assert.equal(template.outputs.Out, `${partition} ${suffix}`);
    assert.equal(template.partition, partition);
    assert.equal(template.urlSuffix, suffix);
  }
});
