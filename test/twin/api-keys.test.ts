/**
 * API keys and usage plans in the twin: a template's ApiKey, UsagePlan and UsagePlanKey read into
 * what the API Gateway emulator enforces (and what AWS would refuse, or the twin cannot link, said
 * at boot), the keys in twin.json, and a public API over real HTTP refusing a call without a key
 * (403), serving the key from twin.json (200) and refusing it once its quota is used (429).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTemplateText } from '../../src/cloudformation/load.ts';
import { buildModel } from '../../src/model/index.ts';
import { apiKeyPlan } from '../../src/twin/api-key-plan.ts';
import { readAuditLog, type AuditEvent } from '../../src/twin/audit-log.ts';
import type { TwinState } from '../../src/twin/twin-state.ts';
import { startTwin } from '../../src/twin/twin.ts';
import { UserError } from '../../src/cli/user-error.ts';
import { recordingTwin } from './template-twin.ts';

/** A REST API whose GET /items (MOCK) requires a key, deployed to `prod`, plus `more` resources. */
const api = (more: string) => `
Resources:
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: keyed, EndpointConfiguration: {Types: [REGIONAL]}}}
  Items: {Type: AWS::ApiGateway::Resource, Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: items}}
  GetItems:
    Type: AWS::ApiGateway::Method
    Properties: {RestApiId: !Ref Api, ResourceId: !Ref Items, HttpMethod: GET, AuthorizationType: NONE, ApiKeyRequired: true, Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'}, IntegrationResponses: [{StatusCode: '200'}]}, MethodResponses: [{StatusCode: '200'}]}
  Deployment: {Type: AWS::ApiGateway::Deployment, DependsOn: [GetItems], Properties: {RestApiId: !Ref Api}}
  Stage: {Type: AWS::ApiGateway::Stage, Properties: {RestApiId: !Ref Api, DeploymentId: !Ref Deployment, StageName: prod}}
${more}
`;

const KEYED = api(`
  Key: {Type: AWS::ApiGateway::ApiKey, Properties: {Enabled: true}}
  Plan:
    Type: AWS::ApiGateway::UsagePlan
    Properties:
      ApiStages: [{ApiId: !Ref Api, Stage: !Ref Stage, Throttle: {'/items/get': {RateLimit: 100, BurstLimit: 50}}}]
      Throttle: {RateLimit: 10, BurstLimit: 20}
      Quota: {Limit: 3, Period: DAY}
  PlanKey: {Type: AWS::ApiGateway::UsagePlanKey, Properties: {KeyId: !Ref Key, KeyType: API_KEY, UsagePlanId: !Ref Plan}}`);

function planOf(text: string) {
  const template = loadTemplateText(text, 'keys.yaml');
  return { template, plan: apiKeyPlan(template, buildModel(template)) };
}

describe("the template's keys and usage plans", () => {
  it('a key gets an AWS-shaped id (GetAtt APIKeyId too) and a generated value of 40 alphanumerics', () => {
    const { template, plan } = planOf(KEYED);
    const [key] = plan.keys;
    assert.match(key.id, /^[a-z0-9]{10}$/);
    assert.equal(template.resources.Key.attributes.APIKeyId, key.id);
    assert.match(key.value, /^[A-Za-z0-9]{40}$/);
    assert.equal(key.enabled, true);
    assert.match(template.resources.Plan.physicalId, /^[a-z0-9]{6}$/);
  });

  it('the plan covers the API stage with its key, throttling (method key normalized) and quota', () => {
    const { template, plan } = planOf(KEYED);
    const forApi = plan.forApi(template.resources.Api.physicalId);
    assert.equal(forApi.apiKeySource, undefined);
    assert.deepEqual(forApi.usagePlans, [
      {
        logicalId: 'Plan',
        id: template.resources.Plan.physicalId,
        stages: { prod: { '/items/GET': { rateLimit: 100, burstLimit: 50 } } },
        throttle: { rateLimit: 10, burstLimit: 20 },
        quota: { limit: 3, offset: 0, period: 'DAY' },
        keys: plan.keys,
      },
    ]);
    assert.deepEqual(plan.warnings, []);
  });

  it('ApiKeySourceType AUTHORIZER is kept; a given Value is the key', () => {
    const { template, plan } = planOf(
      KEYED.replace('Name: keyed,', 'Name: keyed, ApiKeySourceType: AUTHORIZER,').replace(
        'Properties: {Enabled: true}',
        'Properties: {Enabled: true, Value: abcdefghij0123456789}',
      ),
    );
    assert.equal(plan.forApi(template.resources.Api.physicalId).apiKeySource, 'AUTHORIZER');
    assert.equal(plan.keys[0].value, 'abcdefghij0123456789');
  });

  const warned: Array<[string, string, RegExp]> = [
    [
      'a usage plan key naming a key that is not in the template',
      KEYED.replace('KeyId: !Ref Key', 'KeyId: nosuchkey0'),
      /^PlanKey: API key nosuchkey0 is not in the template; the key is not added to a plan in the twin$/,
    ],
    [
      'a key without Enabled (CloudFormation: false)',
      KEYED.replace('Properties: {Enabled: true}', 'Properties: {}'),
      /^Key: API key without Enabled: CloudFormation's default is false, so the key is disabled and refused \(403\)$/,
    ],
    [
      'a key with StageKeys only (the pre-usage-plan way)',
      KEYED.replace(
        'Properties: {Enabled: true}',
        'Properties: {Enabled: true, StageKeys: [{RestApiId: !Ref Api, StageName: prod}]}',
      ),
      /^Key: StageKeys are ignored/,
    ],
    [
      'a plan for a stage that is not deployed',
      KEYED.replace('Stage: !Ref Stage,', 'Stage: beta,'),
      /^Plan: usage plan stage [a-z0-9]{10}\/beta is not a deployed stage of a REST API of the template; ignored$/,
    ],
    [
      'a method that requires a key on an API no plan covers',
      api(''),
      /^GetItems: requires an API key, but no usage plan covers Api: every call is refused \(403\), as on AWS$/,
    ],
  ];
  for (const [what, text, warning] of warned)
    it(`${what}: a boot warning naming it`, () => {
      const { plan } = planOf(text);
      assert.ok(
        plan.warnings.some((w) => warning.test(w)),
        plan.warnings.join('\n'),
      );
    });

  const refused: Array<[string, string, RegExp]> = [
    [
      'a quota period that is not DAY, WEEK or MONTH',
      KEYED.replace('Period: DAY', 'Period: YEAR'),
      /resource Plan, at \/Properties\/Quota\/Period: the twin cannot create this AWS::ApiGateway::UsagePlan: Quota Period YEAR is not DAY, WEEK or MONTH/,
    ],
    [
      'a key Value shorter than 20 characters',
      KEYED.replace('Properties: {Enabled: true}', 'Properties: {Enabled: true, Value: tooshort}'),
      /resource Key, at \/Properties\/Value: the twin cannot create this AWS::ApiGateway::ApiKey: an API key's Value must be 20 to 128 characters \(this one has 8\)/,
    ],
    [
      'a KeyType other than API_KEY',
      KEYED.replace('KeyType: API_KEY', 'KeyType: SECRET'),
      /resource PlanKey, at \/Properties\/KeyType: .*KeyType SECRET is not API_KEY/,
    ],
  ];
  for (const [what, text, expected] of refused)
    it(`${what}: \`up\` stops with a UserError naming the resource`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'twin-api-keys-error-'));
      const file = join(dir, 'template.yaml');
      writeFileSync(file, text);
      try {
        await assert.rejects(
          startTwin({ templateFile: file, dataDir: join(dir, 'data'), port: 0, seedDir: null }),
          (error: unknown) => {
            assert.ok(error instanceof UserError, String(error));
            assert.match(error.message, expected);
            return true;
          },
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
});

describe('the twin enforces API keys and usage plans over HTTP', () => {
  const { running, records } = recordingTwin(KEYED, 'twin-api-keys-');
  const url = () => {
    const state = running.twin.state.apis.Api;
    return `${running.twin.state.internet.endpoint}/restapis/${state.id}/${state.stage}/_user_request_/items`;
  };
  /** The audit event of the last request, once the log worker has written it. */
  async function lastAuditEvent(): Promise<AuditEvent | undefined> {
    const requestId = records.at(-1)?.requestId;
    for (let i = 0; i < 50; i++) {
      running.twin.recorder.flush();
      const event = readAuditLog(running.twin.state.auditLog).find((e) => e.requestID === requestId);
      if (event) return event;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return undefined;
  }

  it("twin.json gives the key's id, value and state", () => {
    const onDisk = JSON.parse(readFileSync(running.twin.stateFile, 'utf8')) as TwinState;
    const key = onDisk.apiKeys?.Key;
    assert.match(key?.id ?? '', /^[a-z0-9]{10}$/);
    assert.match(key?.value ?? '', /^[A-Za-z0-9]{40}$/);
    assert.equal(key?.enabled, true);
  });

  it('without a key: 403 Forbidden, audited as refused', async () => {
    const response = await fetch(url());
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-amzn-errortype'), 'ForbiddenException');
    assert.deepEqual(await response.json(), { message: 'Forbidden' });
    const event = await lastAuditEvent();
    assert.equal(event?.securecart?.outcome, 'refused');
    assert.equal(event?.errorCode, 'ForbiddenException');
    assert.equal(event?.errorMessage, 'API key required: no x-api-key header');
  });

  it('with a key no usage plan has: 403 Forbidden', async () => {
    const response = await fetch(url(), { headers: { 'x-api-key': 'x'.repeat(40) } });
    assert.equal(response.status, 403);
    assert.match(records.at(-1)?.errorMessage ?? '', /is not in a usage plan for stage [a-z0-9]{10}\/prod$/);
  });

  it('with the key from twin.json: 200 three times (the quota), then 429 Limit Exceeded', async () => {
    const headers = { 'x-api-key': running.twin.state.apiKeys?.Key?.value ?? '' };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(url(), { headers })).status);
    assert.deepEqual(statuses, [200, 200, 200]);
    assert.equal((await lastAuditEvent())?.securecart?.outcome, 'allowed');
    const over = await fetch(url(), { headers });
    assert.equal(over.status, 429);
    assert.equal(over.headers.get('x-amzn-errortype'), 'LimitExceededException');
    assert.deepEqual(await over.json(), { message: 'Limit Exceeded' });
    const event = await lastAuditEvent();
    assert.equal(event?.securecart?.outcome, 'refused');
    assert.equal(event?.errorMessage, 'usage plan Plan: quota of 3 per DAY used by API key Key');
  });
});
