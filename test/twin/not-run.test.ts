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
    'rules and a state machine: one line per service, naming each resource',
    'Resources:\n  Rule: {Type: AWS::Events::Rule}\n  Nightly: {Type: AWS::Events::Rule}\n  Flow: {Type: AWS::StepFunctions::StateMachine}\n',
    [
      /^Events: Rule \(AWS::Events::Rule\), Nightly \(AWS::Events::Rule\) not run by the twin .*answered 501 NotImplemented$/,
      /^StepFunctions: Flow \(AWS::StepFunctions::StateMachine\) not run by the twin/,
    ],
  ],
  [
    'topics, a subscription and a topic policy: the twin runs SNS, nothing to say',
    'Resources:\n  Topic: {Type: AWS::SNS::Topic}\n  Q: {Type: AWS::SQS::Queue}\n  Sub: {Type: AWS::SNS::Subscription, Properties: {TopicArn: !Ref Topic, Protocol: sqs, Endpoint: !GetAtt Q.Arn}}\n  Policy: {Type: AWS::SNS::TopicPolicy, Properties: {Topics: [!Ref Topic], PolicyDocument: {}}}\n',
    [],
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
