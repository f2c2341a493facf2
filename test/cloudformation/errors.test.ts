/**
 * Bad input is a UserError whose message names the file, the logical id and the JSON pointer.
 * One row per way to be wrong.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTemplate } from '../../src/cloudformation/load.ts';
import { assertUserError, load } from './load-helpers.ts';

interface ErrorRow {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  readonly parameters?: Readonly<Record<string, string>>;
  /** Fragments the message must contain (file, "resource <id>", "at <pointer>", the cause). */
  readonly expect: readonly string[];
  readonly logicalId?: string;
  readonly pointer?: string;
}

const yaml = (resources: string, extra = ''): string => `${extra}Resources:\n${resources}`;

const rows: ErrorRow[] = [
  {
    name: 'malformed JSON',
    file: 'broken.json',
    text: '{\n  "Resources": {\n    "A": { "Type": "AWS::S3::Bucket", }\n  }\n}\n',
    expect: ['broken.json', 'malformed JSON at line 3'],
  },
  {
    name: 'malformed YAML',
    file: 'broken.yaml',
    text: 'Resources:\n  A:\n    Type: AWS::S3::Bucket\n     Properties: {}\n',
    expect: ['broken.yaml', 'malformed YAML at line'],
  },
  {
    name: 'duplicate YAML key',
    file: 'dup.yaml',
    text: 'Resources:\n  A:\n    Type: AWS::S3::Bucket\n  A:\n    Type: AWS::S3::Bucket\n',
    expect: ['dup.yaml', 'malformed YAML at line 4'],
  },
  {
    name: 'Ref to nothing',
    file: 'ref.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Missing\n'),
    expect: ['ref.yaml', 'resource A', 'at /Resources/A/Properties/BucketName/Ref', '"Missing"'],
    logicalId: 'A',
    pointer: '/Resources/A/Properties/BucketName/Ref',
  },
  {
    name: 'GetAtt on nothing',
    file: 'getatt.yaml',
    text: yaml(
      '  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        - Key: k\n          Value: !GetAtt Missing.Arn\n',
    ),
    expect: ['getatt.yaml', 'resource A', 'at /Resources/A/Properties/Tags/0/Value/Fn::GetAtt', '"Missing"'],
  },
  {
    name: 'GetAtt on a parameter',
    file: 'getatt-param.yaml',
    text: yaml(
      '  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !GetAtt P.Arn\n',
      'Parameters:\n  P: {Type: String, Default: x}\n',
    ),
    expect: ['resource A', '/Resources/A/Properties/BucketName/Fn::GetAtt', '"P"'],
  },
  {
    name: 'Sub variable naming nothing',
    file: 'sub.yaml',
    text: yaml("  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'x-${Missing}'\n"),
    expect: ['resource A', 'at /Resources/A/Properties/BucketName/Fn::Sub', '"Missing"'],
  },
  {
    name: 'Ref to nothing in an output',
    file: 'out.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n') + 'Outputs:\n  O:\n    Value: !Ref Missing\n',
    expect: ['out.yaml', 'at /Outputs/O/Value/Ref', '"Missing"'],
  },
  {
    name: 'a cycle through Ref and GetAtt',
    file: 'cycle.yaml',
    text: yaml(
      '  A:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      VpcId: vpc-1\n      SecurityGroupIngress:\n        - SourceSecurityGroupId: !GetAtt B.GroupId\n' +
        '  B:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      VpcId: vpc-1\n      SecurityGroupIngress:\n        - SourceSecurityGroupId: !Ref A\n',
    ),
    expect: ['cycle.yaml', 'circular dependency', 'A → B → A'],
  },
  {
    name: 'a cycle through DependsOn (self)',
    file: 'self.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n    DependsOn: A\n'),
    expect: ['circular dependency', 'A → A'],
  },
  {
    name: 'a three-resource cycle',
    file: 'cycle3.yaml',
    text: yaml(
      '  A:\n    Type: AWS::S3::Bucket\n    DependsOn: B\n  B:\n    Type: AWS::S3::Bucket\n    DependsOn: C\n  C:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref A\n  D:\n    Type: AWS::S3::Bucket\n',
    ),
    expect: ['circular dependency', 'A → B → C → A'],
  },
  {
    name: 'Resources is not a mapping',
    file: 'shape.yaml',
    text: 'Resources:\n  - A\n',
    expect: ['shape.yaml', 'at /Resources', 'not a mapping'],
  },
  {
    name: 'no Resources section',
    file: 'empty.json',
    text: '{"Parameters": {}}',
    expect: ['empty.json', 'no Resources section'],
  },
  {
    name: 'a resource without Type',
    file: 'type.yaml',
    text: yaml('  A:\n    Properties: {}\n'),
    expect: ['type.yaml', 'resource A', 'at /Resources/A/Type', 'no Type'],
  },
  {
    name: 'Properties is a list',
    file: 'props.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n    Properties: [1]\n'),
    expect: ['resource A', 'at /Resources/A/Properties'],
  },
  {
    name: 'Fn::Join arguments not a list',
    file: 'join.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Join x\n'),
    expect: [
      'join.yaml',
      'resource A',
      'at /Resources/A/Properties/BucketName/Fn::Join',
      'Fn::Join takes a list',
    ],
  },
  {
    name: 'Fn::Join items not a list',
    file: 'join2.yaml',
    text: yaml("  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Join ['', abc]\n"),
    expect: ['resource A', 'at /Resources/A/Properties/BucketName/Fn::Join/1', 'needs a list'],
  },
  {
    name: 'Fn::Select out of range',
    file: 'select.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Select [5, [a, b]]\n'),
    expect: ['resource A', 'at /Resources/A/Properties/BucketName/Fn::Select/0', 'outside the list of 2'],
  },
  {
    name: 'Fn::FindInMap missing key',
    file: 'map.yaml',
    text: yaml(
      '  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !FindInMap [M, a, nope]\n',
      'Mappings:\n  M:\n    a: {b: 1}\n',
    ),
    expect: [
      'resource A',
      'at /Resources/A/Properties/BucketName/Fn::FindInMap',
      'no value for ["a"]["nope"]',
    ],
  },
  {
    name: 'Fn::Cidr asks for too many blocks',
    file: 'cidr.yaml',
    text: yaml("  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: !Cidr ['10.0.0.0/24', 9, 5]\n"),
    expect: ['resource A', 'at /Resources/A/Properties/Tags/Fn::Cidr', 'holds only 8'],
  },
  {
    name: 'Fn::If names an unknown condition',
    file: 'if.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !If [Nope, a, b]\n'),
    expect: ['resource A', 'at /Resources/A/Properties/BucketName/Fn::If/0', 'no condition named "Nope"'],
  },
  {
    name: 'a resource Condition that does not exist',
    file: 'cond.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n    Condition: Nope\n'),
    expect: ['resource A', 'at /Resources/A/Condition', 'no condition named "Nope"'],
  },
  {
    name: 'conditions in a cycle',
    file: 'condcycle.yaml',
    text: yaml(
      '  A:\n    Type: AWS::S3::Bucket\n    Condition: C1\n',
      'Conditions:\n  C1: !Not [!Condition C2]\n  C2: !Not [!Condition C1]\n',
    ),
    expect: ['condcycle.yaml', 'cycle', 'C1 → C2 → C1'],
  },
  {
    name: 'a condition that depends on a parameter with no value',
    file: 'condparam.yaml',
    text: yaml(
      '  A:\n    Type: AWS::S3::Bucket\n    Condition: C\n',
      "Parameters:\n  P: {Type: String}\nConditions:\n  C: !Equals [!Ref P, '']\n",
    ),
    expect: ['condparam.yaml', 'at /Conditions/C', 'pass --param P=<value>'],
  },
  {
    name: 'DependsOn names nothing',
    file: 'dep.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n    DependsOn: [Missing]\n'),
    expect: ['resource A', 'at /Resources/A/DependsOn/0', '"Missing"'],
  },
  {
    name: 'Ref to a resource whose Condition is false',
    file: 'skipped.yaml',
    text: yaml(
      '  A:\n    Type: AWS::S3::Bucket\n    Condition: Never\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref A\n',
      'Conditions:\n  Never: !Equals [a, b]\n',
    ),
    expect: ['resource B', 'at /Resources/B/Properties/BucketName/Ref', 'Condition Never is false'],
  },
  {
    name: '--param for an undeclared parameter',
    file: 'param.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n', 'Parameters:\n  Env: {Type: String, Default: dev}\n'),
    parameters: { Nope: 'x' },
    expect: ['param.yaml', '--param Nope', 'declared: Env'],
  },
  {
    name: '--param outside AllowedValues',
    file: 'allowed.yaml',
    text: yaml(
      '  A:\n    Type: AWS::S3::Bucket\n',
      'Parameters:\n  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}\n',
    ),
    parameters: { Env: 'test' },
    expect: ['allowed.yaml', 'at /Parameters/Env', 'not one of AllowedValues [dev, prod]'],
  },
  {
    name: '--param not a number for a Number parameter',
    file: 'number.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n', 'Parameters:\n  N: {Type: Number, Default: 1}\n'),
    parameters: { N: 'many' },
    expect: ['at /Parameters/N', '"many" is not a number'],
  },
  {
    name: '--param not matching AllowedPattern',
    file: 'pattern.yaml',
    text: yaml(
      '  A:\n    Type: AWS::S3::Bucket\n',
      "Parameters:\n  C: {Type: String, Default: 10.0.0.0/16, AllowedPattern: '\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+'}\n",
    ),
    parameters: { C: 'ten' },
    expect: ['at /Parameters/C', 'does not match AllowedPattern'],
  },
  {
    name: 'Parameters is not a mapping',
    file: 'params-list.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n', 'Parameters: [a]\n'),
    expect: ['params-list.yaml', 'at /Parameters', 'must be a mapping'],
  },
  {
    name: 'a parameter without Type',
    file: 'ptype.yaml',
    text: yaml('  A:\n    Type: AWS::S3::Bucket\n', 'Parameters:\n  P: {Default: x}\n'),
    expect: ['ptype.yaml', 'at /Parameters/P', 'no Type'],
  },
];

for (const row of rows) {
  test(`user error: ${row.name}`, () => {
    const error = assertUserError(
      () => load(row.text, row.file, { stackName: 's', parameters: row.parameters }),
      row.expect,
    );
    assert.equal(error.file, row.file);
    if (row.logicalId !== undefined) assert.equal(error.logicalId, row.logicalId);
    if (row.pointer !== undefined) assert.equal(error.pointer, row.pointer);
  });
}

test('a missing file is a user error naming the path', () => {
  assertUserError(() => loadTemplate('/nonexistent/template.yaml'), ['/nonexistent/template.yaml', 'ENOENT']);
});

test('the cycle error names only the resources in the cycle', () => {
  const error = assertUserError(
    () =>
      load(
        yaml(
          '  Free:\n    Type: AWS::S3::Bucket\n  X:\n    Type: AWS::S3::Bucket\n    DependsOn: Y\n  Y:\n    Type: AWS::S3::Bucket\n    DependsOn: X\n  After:\n    Type: AWS::S3::Bucket\n    DependsOn: X\n',
        ),
        'c.yaml',
      ),
    ['X → Y → X'],
  );
  assert.ok(!error.message.includes('Free') && !error.message.includes('After'), error.message);
});
