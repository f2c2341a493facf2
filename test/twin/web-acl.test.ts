/**
 * AWS WAF in front of an API stage: rate-based rules counted per source IP (or for all requests)
 * over their evaluation window, the first terminating rule winning, the default action otherwise;
 * every rule the twin does not evaluate named at boot; and the twin answering 403 from the web ACL
 * before API Gateway runs anything.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WebAclRunner } from '../../src/emulators/apigateway/web-acl.ts';
import type { WebAclDef } from '../../src/emulators/apigateway/index.ts';
import { recordingTwin, startTemplateTwin } from './template-twin.ts';

describe('a web ACL, request by request', () => {
  const perIp: WebAclDef = {
    name: 'acl',
    defaultAction: 'allow',
    rules: [
      { name: 'Managed', kind: 'not-evaluated', what: 'managed rule group AWS/AWSManagedRulesCommonRuleSet' },
      { name: 'PerIp', kind: 'rate-based', action: 'block', limit: 3, windowSeconds: 60, key: 'IP' },
    ],
  };
  const cases: Array<{
    name: string;
    acl: WebAclDef;
    requests: Array<[atSecond: number, ip: string]>;
    expected: string;
  }> = [
    {
      name: 'the 4th request of one IP within 60 s is blocked; another IP is not',
      acl: perIp,
      requests: [
        [0, 'a'],
        [1, 'a'],
        [2, 'a'],
        [3, 'a'],
        [4, 'b'],
      ],
      expected: 'allow allow allow block allow',
    },
    {
      name: 'requests that left the window no longer count',
      acl: perIp,
      requests: [
        [0, 'a'],
        [1, 'a'],
        [2, 'a'],
        [61, 'a'],
        [62, 'a'],
      ],
      expected: 'allow allow allow allow allow',
    },
    {
      name: 'blocked requests still count: a flood stays blocked while it goes on',
      acl: perIp,
      requests: [
        [0, 'a'],
        [0, 'a'],
        [0, 'a'],
        [0, 'a'],
        [30, 'a'],
        [59, 'a'],
      ],
      expected: 'allow allow allow block block block',
    },
    {
      name: 'CONSTANT aggregation counts every caller together',
      acl: {
        ...perIp,
        rules: [
          { name: 'All', kind: 'rate-based', action: 'block', limit: 2, windowSeconds: 60, key: 'CONSTANT' },
        ],
      },
      requests: [
        [0, 'a'],
        [0, 'b'],
        [0, 'c'],
      ],
      expected: 'allow allow block',
    },
    {
      name: 'a Count rule never terminates',
      acl: {
        ...perIp,
        rules: [
          { name: 'Watch', kind: 'rate-based', action: 'count', limit: 1, windowSeconds: 60, key: 'IP' },
        ],
      },
      requests: [
        [0, 'a'],
        [0, 'a'],
      ],
      expected: 'allow allow',
    },
    {
      name: 'no rule terminates: the default action (Block)',
      acl: { name: 'closed', defaultAction: 'block', rules: [] },
      requests: [[0, 'a']],
      expected: 'block',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const runner = new WebAclRunner(c.acl);
      const actions = c.requests.map(([at, ip]) => runner.evaluate(ip, at * 1000).action);
      assert.equal(actions.join(' '), c.expected);
    });
  }
  it('a block names the rule and the count', () => {
    const runner = new WebAclRunner(perIp);
    for (let i = 0; i < 3; i++) runner.evaluate('198.51.100.7', 0);
    assert.deepEqual(runner.evaluate('198.51.100.7', 0), {
      action: 'block',
      rule: 'PerIp',
      reason: '4 requests from 198.51.100.7 in the last 60 s, over the limit of 3',
    });
  });
});

const TEMPLATE = `
Resources:
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: guarded, EndpointConfiguration: {Types: [REGIONAL]}}}
  Items: {Type: AWS::ApiGateway::Resource, Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: items}}
  GetItems:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref Api, ResourceId: !Ref Items, HttpMethod: GET, AuthorizationType: NONE, Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}, IntegrationResponses: [{StatusCode: '200'}]}, MethodResponses: [{StatusCode: '200'}]}
  Deployment: {Type: AWS::ApiGateway::Deployment, DependsOn: [GetItems], Properties: {RestApiId: !Ref Api}}
  Stage: {Type: AWS::ApiGateway::Stage, Properties: {RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: prod}}
  Acl:
    Type: AWS::WAFv2::WebACL
    Properties:
      Scope: REGIONAL
      DefaultAction: {Allow: {}}
      VisibilityConfig: {CloudWatchMetricsEnabled: false, SampledRequestsEnabled: false, MetricName: acl}
      Rules:
        - Name: RateLimitPerIp
          Priority: 1
          Action: {Block: {}}
          Statement: {RateBasedStatement: {Limit: 10, AggregateKeyType: IP, EvaluationWindowSec: 60}}
          VisibilityConfig: {CloudWatchMetricsEnabled: false, SampledRequestsEnabled: false, MetricName: rate}
        - Name: Common
          Priority: 0
          OverrideAction: {None: {}}
          Statement: {ManagedRuleGroupStatement: {VendorName: AWS, Name: AWSManagedRulesCommonRuleSet}}
          VisibilityConfig: {CloudWatchMetricsEnabled: false, SampledRequestsEnabled: false, MetricName: common}
  Association:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      WebACLArn: !GetAtt Acl.Arn
      ResourceArn: !Sub 'arn:\${AWS::Partition}:apigateway:\${AWS::Region}::/restapis/\${Api}/stages/\${Stage}'
`;

describe('which rules the twin runs', () => {
  const rule = (statement: string) => `
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: a}}
  Get: {Type: AWS::ApiGateway::Method, Properties: {RestApiId: !Ref Api, ResourceId: !GetAtt Api.RootResourceId, HttpMethod: GET, AuthorizationType: NONE, Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}, IntegrationResponses: [{StatusCode: '200'}]}, MethodResponses: [{StatusCode: '200'}]}}
  Deployment: {Type: AWS::ApiGateway::Deployment, DependsOn: [Get], Properties: {RestApiId: !Ref Api, StageName: prod}}
  Acl:
    Type: AWS::WAFv2::WebACL
    Properties:
      Scope: REGIONAL
      DefaultAction: {Allow: {}}
      Rules: [{Name: R, Priority: 0, Action: {Block: {}}, Statement: ${statement}}]
  Association:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      WebACLArn: !GetAtt Acl.Arn
      ResourceArn: !Sub 'arn:aws:apigateway:us-east-1::/restapis/\${Api}/stages/prod'`;
  const cases: Array<[string, string, RegExp | undefined]> = [
    ['a rate-based rule per IP', '{RateBasedStatement: {Limit: 100, AggregateKeyType: IP}}', undefined],
    [
      'a Limit below 10',
      '{RateBasedStatement: {Limit: 5, AggregateKeyType: IP}}',
      /Limit 5, below the lowest AWS allows \(10\)/,
    ],
    [
      'an evaluation window AWS does not offer',
      '{RateBasedStatement: {Limit: 100, AggregateKeyType: IP, EvaluationWindowSec: 30}}',
      /EvaluationWindowSec 30/,
    ],
    [
      'a byte match',
      '{ByteMatchStatement: {SearchString: admin, FieldToMatch: {UriPath: {}}, PositionalConstraint: CONTAINS, TextTransformations: [{Priority: 0, Type: NONE}]}}',
      /\(ByteMatchStatement\): not evaluated/,
    ],
  ];
  for (const [what, statement, warning] of cases) {
    it(`${what}: ${warning ? 'named as not evaluated' : 'run, no warning'}`, async () => {
      const running = await startTemplateTwin(`Resources:${rule(statement)}\n`, 'twin-web-acl-rules-');
      try {
        const warnings = running.twin.boot.warnings.filter((w) => w.startsWith('WAF'));
        if (warning)
          assert.ok(
            warnings.some((w) => warning.test(w)),
            warnings.join('\n'),
          );
        else assert.deepEqual(warnings, []);
      } finally {
        await running.stop();
      }
    });
  }
});

describe('the twin runs the web ACL associated with a stage', () => {
  const { running, records } = recordingTwin(TEMPLATE, 'twin-web-acl-');

  it('names the rule it does not evaluate', () => {
    assert.ok(
      running.twin.boot.warnings.some((w) =>
        /^WAF web ACL Acl rule Common \(managed rule group AWS\/AWSManagedRulesCommonRuleSet\): not evaluated by the twin/.test(
          w,
        ),
      ),
      running.twin.boot.warnings.join('\n'),
    );
  });

  it('the 11th request from the internet within 60 s: 403 Forbidden from WAF, before API Gateway', async () => {
    const api = running.twin.state.apis.Api;
    const url = `${running.twin.state.internet.endpoint}/restapis/${api.id}/${api.stage}/_user_request_/items`;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await fetch(url)).status);
    assert.deepEqual(statuses, Array(10).fill(200));
    const blocked = await fetch(url);
    assert.equal(blocked.status, 403);
    assert.deepEqual(await blocked.json(), { message: 'Forbidden' });
    const record = records.at(-1);
    assert.equal(record?.outcome, 'refused');
    assert.match(
      record?.errorMessage ?? '',
      /^AWS WAF rule RateLimitPerIp: 11 requests from 203\.0\.113\.10 in the last 60 s, over the limit of 10$/,
    );
  });
});
