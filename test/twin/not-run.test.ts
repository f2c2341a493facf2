/**
 * What the twin says at boot about a template's parts it does not run: workloads whose code it
 * cannot start (ECS services, EC2 instances) and resources of services with no emulator — and
 * nothing about SecureCart's own template, all of which it runs or models.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTemplate, loadTemplateText } from '../../src/cloudformation/load.ts';
import { buildModel } from '../../src/model/index.ts';
import { notRunWarnings } from '../../src/twin/not-run.ts';
import { synthesize, templatePath } from '../../infra/bin/synth.ts';
import { existsSync } from 'node:fs';

const warningsOf = (yaml: string) => {
  const template = loadTemplateText(yaml, 'not-run.yaml');
  return notRunWarnings(template, buildModel(template));
};

const cases: Array<[string, string, RegExp[]]> = [
  [
    'topics and a rule: one line per service, naming each resource',
    'Resources:\n  Topic: {Type: AWS::SNS::Topic}\n  Alerts: {Type: AWS::SNS::Topic}\n  Rule: {Type: AWS::Events::Rule}\n',
    [
      /^SNS: Topic \(AWS::SNS::Topic\), Alerts \(AWS::SNS::Topic\) not run by the twin .*answered 501 NotImplemented$/,
      /^Events: Rule \(AWS::Events::Rule\) not run by the twin/,
    ],
  ],
  [
    'queues and their policy: the twin runs SQS, nothing to say',
    'Resources:\n  Queue: {Type: AWS::SQS::Queue}\n  Dlq: {Type: AWS::SQS::Queue}\n  Policy: {Type: AWS::SQS::QueuePolicy, Properties: {Queues: [!Ref Queue], PolicyDocument: {}}}\n',
    [],
  ],
  [
    'an EC2 instance: its software is not run, its entry is there',
    'Resources:\n  Host: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-12345678}}\n',
    [/^Host \(AWS::EC2::Instance\): its software is not run by the twin; act as it through its entry/],
  ],
  ['a bucket and a table: nothing to say', 'Resources:\n  B: {Type: AWS::S3::Bucket}\n', []],
];

for (const [name, yaml, expected] of cases) {
  test(name, () => {
    const warnings = warningsOf(yaml);
    assert.equal(warnings.length, expected.length, warnings.join('\n'));
    for (const pattern of expected)
      assert.ok(
        warnings.some((w) => pattern.test(w)),
        `${pattern}\n${warnings.join('\n')}`,
      );
  });
}

test("SecureCart's template: everything in it is run or modelled", () => {
  const file = existsSync(templatePath('cdk.out')) ? templatePath('cdk.out') : synthesize('cdk.out');
  const template = loadTemplate(file);
  assert.deepEqual(notRunWarnings(template, buildModel(template)), []);
});
