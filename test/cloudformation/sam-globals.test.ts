/** SAM Globals: primitives overridden, maps merged, lists additive (global first). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { loadTemplate } from '../../src/cloudformation/load.ts';
import { mergeGlobal } from '../../src/cloudformation/sam-globals.ts';
import { load } from './load-helpers.ts';

const rows: ReadonlyArray<readonly [string, unknown, unknown, unknown]> = [
  ['primitive: the resource wins', 30, 60, 60],
  ['primitive: inherited when absent', 30, undefined, 30],
  [
    'maps merge, resource wins a conflict',
    { A: '1', B: '2' },
    { B: 'x', C: '3' },
    { A: '1', B: 'x', C: '3' },
  ],
  [
    'nested maps merge',
    { Variables: { A: '1' } },
    { Variables: { B: '2' } },
    { Variables: { A: '1', B: '2' } },
  ],
  ['lists are additive, global first', ['sg-123', 'sg-456'], ['sg-first'], ['sg-123', 'sg-456', 'sg-first']],
  ['an intrinsic is a primitive', { Ref: 'A' }, { B: 1 }, { B: 1 }],
  [
    'an intrinsic on the resource side replaces a map',
    { B: 1 },
    { 'Fn::If': ['C', 1, 2] },
    { 'Fn::If': ['C', 1, 2] },
  ],
];

for (const [name, global, local, expected] of rows) {
  test(`mergeGlobal: ${name}`, () => {
    assert.deepEqual(mergeGlobal(global, local), expected);
  });
}

test('a SAM template inherits Globals (VpcConfig included)', () => {
  const template = load(
    `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: nodejs20.x
    VpcConfig:
      SubnetIds: [subnet-0a]
      SecurityGroupIds: [sg-0a]
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      VpcConfig:
        SecurityGroupIds: [sg-0b]
  Plain:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
`,
    'globals.yaml',
  );
  assert.deepEqual(template.resources.Fn.properties, {
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    VpcConfig: { SubnetIds: ['subnet-0a'], SecurityGroupIds: ['sg-0a', 'sg-0b'] },
  });
  assert.deepEqual(
    template.resources.Plain.properties,
    { Handler: 'index.handler' },
    'only serverless types inherit',
  );
});

test('Globals are ignored without the SAM transform', () => {
  const template = load(
    'Globals:\n  Function:\n    Runtime: nodejs20.x\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: h}\n',
    'no-transform.yaml',
  );
  assert.deepEqual(template.resources.Fn.properties, { Handler: 'h' });
});

test('fixture: the SAM style function inherits runtime and merges environment variables', () => {
  const file = fileURLToPath(new URL('../fixtures/templates/loader/sam-vpc-function.yaml', import.meta.url));
  const template = loadTemplate(file);
  const fn = template.resources.OrdersFunction.properties;
  assert.equal(fn.Runtime, 'nodejs20.x');
  assert.equal(fn.Timeout, 10);
  const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
  assert.equal(variables.LOG_LEVEL, 'INFO');
  assert.equal(variables.STAGE, 'prod', 'the function value wins over the global one');
  assert.equal(variables.TABLE_NAME, template.resources.OrdersTable.physicalId);
});
