/**
 * API keys and usage plans, call by call: which key gets through (present, known, enabled, in a
 * plan for this stage), where the key comes from (x-api-key, or the Lambda authorizer), the plan's
 * per-key throttling (its own and a method's), and the quota per UTC day, week and month, with
 * the offset of the first period.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKeys, maskedKey, periodStart } from '../../../src/emulators/apigateway/api-keys.ts';
import { newResponseIds } from '../../../src/emulators/apigateway/responses.ts';
import type { RouteMatch } from '../../../src/emulators/apigateway/router.ts';
import type {
  ApiKeyDef,
  MethodDef,
  ResourceDef,
  RestApiDef,
  UsagePlanDef,
} from '../../../src/emulators/apigateway/index.ts';
import type { ServiceResponse } from '../../../src/emulators/plugin.ts';

const good: ApiKeyDef = {
  logicalId: 'Good',
  id: 'g00dkey001',
  value: 'GoodKeyValue0123456789',
  enabled: true,
};
const off: ApiKeyDef = {
  logicalId: 'Off',
  id: '0ffkey0001',
  value: 'OffKeyValue01234567890',
  enabled: false,
};
const devOnly: ApiKeyDef = {
  logicalId: 'Dev',
  id: 'devkey0001',
  value: 'DevKeyValue01234567890',
  enabled: true,
};

const method: MethodDef = {
  httpMethod: 'GET',
  authorizationType: 'NONE',
  apiKeyRequired: true,
  integration: { type: 'MOCK' },
};
const resource: ResourceDef = { id: 'r00001', path: '/items', methods: [method] };
const route: RouteMatch = { resource, method, pathParameters: null };
const open: RouteMatch = { resource, method: { ...method, apiKeyRequired: false }, pathParameters: null };

const prodPlan: UsagePlanDef = { logicalId: 'Plan', id: 'plan01', stages: { prod: {} }, keys: [good, off] };
const devPlan: UsagePlanDef = { logicalId: 'DevPlan', id: 'plan02', stages: { dev: {} }, keys: [devOnly] };

function apiWith(plans: UsagePlanDef[], more: Partial<RestApiDef> = {}): RestApiDef {
  return {
    logicalId: 'Api',
    id: 'abcde12345',
    name: 'api',
    endpointType: 'REGIONAL',
    vpcEndpointIds: [],
    stages: ['prod', 'dev'],
    resources: [resource],
    usagePlans: plans,
    ...more,
  };
}

const bodyOf = (response: ServiceResponse) => JSON.parse((response.body as Buffer).toString()) as unknown;

describe('which key gets through', () => {
  const cases: Array<{
    name: string;
    api: RestApiDef;
    route?: RouteMatch;
    headers: Record<string, string>;
    keyFromAuthorizer?: string;
    refusal?: RegExp;
  }> = [
    {
      name: 'no x-api-key header',
      api: apiWith([prodPlan, devPlan]),
      headers: {},
      refusal: /^API key required: no x-api-key header$/,
    },
    {
      name: 'a key no plan knows',
      api: apiWith([prodPlan, devPlan]),
      headers: { 'x-api-key': 'NotAKeyOfAnyPlan00000' },
      refusal: /^API key \*{15}n00000 is not in a usage plan for stage abcde12345\/prod$/,
    },
    {
      name: 'a disabled key',
      api: apiWith([prodPlan, devPlan]),
      headers: { 'x-api-key': off.value },
      refusal: /^API key Off \(0ffkey0001\) is disabled$/,
    },
    {
      name: "a key of a plan for another stage (dev's key on prod)",
      api: apiWith([prodPlan, devPlan]),
      headers: { 'x-api-key': devOnly.value },
      refusal: /is not in a usage plan for stage abcde12345\/prod$/,
    },
    {
      name: 'a good key when no usage plan covers the API',
      api: apiWith([]),
      headers: { 'x-api-key': good.value },
      refusal: /is not in a usage plan/,
    },
    { name: 'a good key', api: apiWith([prodPlan, devPlan]), headers: { 'x-api-key': good.value } },
    {
      name: 'a method that does not require a key: no key needed',
      api: apiWith([prodPlan]),
      route: open,
      headers: {},
    },
    {
      name: 'key source AUTHORIZER: the x-api-key header does not count',
      api: apiWith([prodPlan], { apiKeySource: 'AUTHORIZER' }),
      headers: { 'x-api-key': good.value },
      refusal: /^API key required: the Lambda authorizer returned no usageIdentifierKey$/,
    },
    {
      name: "key source AUTHORIZER: the authorizer's usageIdentifierKey",
      api: apiWith([prodPlan], { apiKeySource: 'AUTHORIZER' }),
      headers: {},
      keyFromAuthorizer: good.value,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.refusal ? '403 Forbidden' : 'through'}`, () => {
      const response = new ApiKeys(0).check(
        {
          api: c.api,
          stage: 'prod',
          route: c.route ?? route,
          headers: c.headers,
          keyFromAuthorizer: c.keyFromAuthorizer,
        },
        newResponseIds(),
        0,
      );
      if (!c.refusal) return assert.equal(response, undefined);
      assert.ok(response, 'refused');
      assert.equal(response.status, 403);
      assert.equal(response.headers['x-amzn-errortype'], 'ForbiddenException');
      assert.deepEqual(bodyOf(response), { message: 'Forbidden' });
      assert.match(response.refusal ?? '', c.refusal);
    });
  }
  it("masks a key as API Gateway's execution log does: all but the last 6 characters", () => {
    assert.equal(maskedKey('abcdefghijklmnopqrstuvwxyz0123456789ABCD'), `${'*'.repeat(34)}89ABCD`);
    assert.equal(maskedKey('short'), '*****');
  });
});

/** `waves` of [at ms, requests, x-api-key]; the outcome of each request, in order. */
function run(
  plan: UsagePlanDef,
  waves: Array<[number, number, string?]>,
  started = 0,
  stage = 'prod',
): string {
  const keys = new ApiKeys(started);
  const api = apiWith([plan]);
  const out: string[] = [];
  for (const [at, requests, key] of waves)
    for (let i = 0; i < requests; i++) {
      const response = keys.check(
        { api, stage, route, headers: { 'x-api-key': key ?? good.value } },
        newResponseIds(),
        at,
      );
      out.push(response ? `${response.status} ${(bodyOf(response) as { message: string }).message}` : 'ok');
    }
  return out.join(', ');
}

describe("a usage plan's throttling, per key", () => {
  const other: ApiKeyDef = { ...devOnly, logicalId: 'Other', id: '0therkey01' };
  const cases: Array<[string, UsagePlanDef, Array<[number, number, string?]>, string]> = [
    [
      'burst 2: the third request at once is throttled',
      { ...prodPlan, throttle: { rateLimit: 1, burstLimit: 2 } },
      [[0, 3]],
      'ok, ok, 429 Too Many Requests',
    ],
    [
      'rate 1/s: one more a second later',
      { ...prodPlan, throttle: { rateLimit: 1, burstLimit: 2 } },
      [
        [0, 3],
        [1000, 2],
      ],
      'ok, ok, 429 Too Many Requests, ok, 429 Too Many Requests',
    ],
    [
      'each key has its own bucket',
      { ...prodPlan, keys: [good, other], throttle: { rateLimit: 1, burstLimit: 1 } },
      [
        [0, 2],
        [0, 1, other.value],
      ],
      'ok, 429 Too Many Requests, ok',
    ],
    [
      "a method's own setting in the plan (burst 1) applies to that method",
      { ...prodPlan, stages: { prod: { '/items/GET': { rateLimit: 1, burstLimit: 1 } } } },
      [[0, 2]],
      'ok, 429 Too Many Requests',
    ],
    [
      "a method's own setting does not lift the plan's limit for the key",
      {
        ...prodPlan,
        throttle: { rateLimit: 1, burstLimit: 1 },
        stages: { prod: { '/items/GET': { rateLimit: 100, burstLimit: 100 } } },
      },
      [[0, 2]],
      'ok, 429 Too Many Requests',
    ],
    ['no throttle and no quota: every request', prodPlan, [[0, 50]], Array(50).fill('ok').join(', ')],
  ];
  for (const [name, plan, waves, expected] of cases) it(name, () => assert.equal(run(plan, waves), expected));

  it('a throttled request: 429 TooManyRequestsException, the plan named in the refusal', () => {
    const keys = new ApiKeys(0);
    const api = apiWith([{ ...prodPlan, throttle: { rateLimit: 1, burstLimit: 1 } }]);
    const call = { api, stage: 'prod', route, headers: { 'x-api-key': good.value } };
    assert.equal(keys.check(call, newResponseIds(), 0), undefined);
    const refused = keys.check(call, newResponseIds(), 0);
    assert.equal(refused?.headers['x-amzn-errortype'], 'TooManyRequestsException');
    assert.equal(refused?.refusal, "usage plan Plan: API key Good is over the plan's throttling");
  });
});

describe('a usage plan quota, per key and UTC period', () => {
  const at = (iso: string) => Date.parse(iso);
  const quota = (limit: number, period: 'DAY' | 'WEEK' | 'MONTH', offset = 0): UsagePlanDef => ({
    ...prodPlan,
    quota: { limit, offset, period },
  });
  const cases: Array<[string, UsagePlanDef, Array<[number, number]>, string, number?]> = [
    [
      'DAY, limit 2: the third request is over the quota',
      quota(2, 'DAY'),
      [[at('2026-03-04T10:00:00Z'), 3]],
      'ok, ok, 429 Limit Exceeded',
    ],
    [
      'DAY: a new quota at UTC midnight',
      quota(2, 'DAY'),
      [
        [at('2026-03-04T23:59:59Z'), 3],
        [at('2026-03-05T00:00:00Z'), 1],
      ],
      'ok, ok, 429 Limit Exceeded, ok',
    ],
    [
      'offset 2 of limit 3: one request in the first day, three the next',
      quota(3, 'DAY', 2),
      [
        [at('2026-03-04T12:00:00Z'), 2],
        [at('2026-03-05T12:00:00Z'), 4],
      ],
      'ok, 429 Limit Exceeded, ok, ok, ok, 429 Limit Exceeded',
      at('2026-03-04T08:00:00Z'),
    ],
    [
      'WEEK: Sunday is the same week as Wednesday; Monday 00:00 UTC starts a new one',
      quota(1, 'WEEK'),
      [
        [at('2026-03-04T12:00:00Z'), 1],
        [at('2026-03-08T23:59:59Z'), 1],
        [at('2026-03-09T00:00:00Z'), 1],
      ],
      'ok, 429 Limit Exceeded, ok',
    ],
    [
      'MONTH: a new quota on the 1st, 00:00 UTC',
      quota(1, 'MONTH'),
      [
        [at('2026-01-31T23:59:59Z'), 2],
        [at('2026-02-01T00:00:00Z'), 1],
      ],
      'ok, 429 Limit Exceeded, ok',
    ],
    [
      'a throttled request does not use the quota',
      { ...quota(2, 'DAY'), throttle: { rateLimit: 1, burstLimit: 1 } },
      [
        [at('2026-03-04T10:00:00Z'), 2],
        [at('2026-03-04T10:00:01Z'), 1],
        [at('2026-03-04T10:00:02Z'), 1],
      ],
      'ok, 429 Too Many Requests, ok, 429 Limit Exceeded',
    ],
  ];
  for (const [name, plan, waves, expected, started] of cases)
    it(name, () => assert.equal(run(plan, waves, started ?? waves[0][0]), expected));

  it('over quota: 429 LimitExceededException, the quota named in the refusal', () => {
    const keys = new ApiKeys(0);
    const call = {
      api: apiWith([quota(1, 'DAY')]),
      stage: 'prod',
      route,
      headers: { 'x-api-key': good.value },
    };
    keys.check(call, newResponseIds(), 0);
    const refused = keys.check(call, newResponseIds(), 0);
    assert.equal(refused?.headers['x-amzn-errortype'], 'LimitExceededException');
    assert.equal(refused?.refusal, 'usage plan Plan: quota of 1 per DAY used by API key Good');
  });

  const starts: Array<[string, 'DAY' | 'WEEK' | 'MONTH', string, string]> = [
    ['DAY', 'DAY', '2026-03-04T17:30:00Z', '2026-03-04T00:00:00.000Z'],
    ['WEEK (a Wednesday)', 'WEEK', '2026-03-04T17:30:00Z', '2026-03-02T00:00:00.000Z'],
    ['WEEK (a Sunday)', 'WEEK', '2026-03-08T17:30:00Z', '2026-03-02T00:00:00.000Z'],
    ['MONTH', 'MONTH', '2026-03-04T17:30:00Z', '2026-03-01T00:00:00.000Z'],
  ];
  for (const [name, period, now, start] of starts)
    it(`the ${name} period starts ${start}`, () =>
      assert.equal(new Date(periodStart(period, Date.parse(now))).toISOString(), start));
});

describe('the key a call used, for the integration event', () => {
  it('keyOf names the plan key the header carries; undefined when the method needs none', () => {
    const keys = new ApiKeys(0);
    const api = apiWith([prodPlan]);
    assert.equal(
      keys.keyOf({ api, stage: 'prod', route, headers: { 'x-api-key': good.value } })?.id,
      good.id,
    );
    assert.equal(keys.keyOf({ api, stage: 'prod', route, headers: { 'x-api-key': 'nope' } }), undefined);
    const open = { ...route, method: { ...route.method, apiKeyRequired: false } };
    assert.equal(
      keys.keyOf({ api, stage: 'prod', route: open, headers: { 'x-api-key': good.value } }),
      undefined,
    );
  });
});
