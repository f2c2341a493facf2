/**
 * API keys and usage plans as the template declares them, for the API Gateway emulator: every
 * AWS::ApiGateway::ApiKey (its Value, or a generated one; Enabled, false when unset as in
 * CloudFormation), every AWS::ApiGateway::UsagePlan cut to the stages of each REST API it covers
 * (ApiStages with their per-method Throttle, the plan's Throttle and Quota) with the keys its
 * AWS::ApiGateway::UsagePlanKeys add, and each RestApi's ApiKeySourceType. An AWS::Serverless::Api's
 * `Auth.UsagePlan` (PER_API / SHARED) adds the plan, enabled key and plan key SAM generates (the
 * model's `samUsagePlan`), under SAM's logical ids. What AWS refuses to create stops the boot naming
 * the resource; what the twin cannot link is named in a warning.
 */
import type { ResourceInstance, Template } from '../cloudformation/types.ts';
import type {
  ApiKeyDef,
  RestApiDef,
  UsagePlanDef,
  UsagePlanThrottleDef,
} from '../emulators/apigateway/index.ts';
import type { Model } from '../model/index.ts';
import { bool, list, num, obj, str } from '../model/refs.ts';
import { alphabets, charsFrom, digest } from '../cloudformation/physical-ids.ts';
import { apiKey as apiKeyIdentity, usagePlan as usagePlanIdentity } from '../cloudformation/identity-apps.ts';
import { UserError } from '../cli/user-error.ts';

export interface ApiKeyPlan {
  /** Every API key of the template. */
  readonly keys: readonly ApiKeyDef[];
  /** What the REST API with this id gets: its key source and the usage plans covering its stages. */
  forApi(apiId: string): Pick<RestApiDef, 'apiKeySource' | 'usagePlans'>;
  readonly warnings: string[];
}

const PERIODS = ['DAY', 'WEEK', 'MONTH'] as const;

function refused(template: Template, resource: ResourceInstance, pointer: string, why: string): UserError {
  return new UserError(`the twin cannot create this ${resource.type}: ${why}`, {
    file: template.file,
    logicalId: resource.logicalId,
    pointer,
  });
}

function ofType(template: Template, type: string): ResourceInstance[] {
  return Object.values(template.resources).filter((r) => r.type === type);
}

/** The template resource of `type` a resolved id (what Ref returned) points at. */
function byId(template: Template, type: string, id: string | undefined): ResourceInstance | undefined {
  const logicalId = id === undefined ? undefined : template.byPhysicalId.get(id);
  const resource = logicalId === undefined ? undefined : template.resources[logicalId];
  return resource?.type === type ? resource : undefined;
}

function throttleOf(value: unknown): UsagePlanThrottleDef | undefined {
  const settings = obj(value);
  const rateLimit = num(settings?.RateLimit);
  const burstLimit = num(settings?.BurstLimit);
  return rateLimit === undefined && burstLimit === undefined ? undefined : { rateLimit, burstLimit };
}

function apiKeyOf(template: Template, resource: ResourceInstance, warnings: string[]): ApiKeyDef {
  const props = resource.properties;
  const given = str(props.Value);
  // "The value is an alphanumeric string between 20 and 128 characters."
  if (given !== undefined && (given.length < 20 || given.length > 128))
    throw refused(
      template,
      resource,
      '/Properties/Value',
      `an API key's Value must be 20 to 128 characters (this one has ${given.length}); API Gateway refuses it too.`,
    );
  if (given === undefined && props.Value !== undefined)
    warnings.push(
      `${resource.logicalId}: API key Value is unresolved; the twin generates one (see twin.json)`,
    );
  if (props.Enabled === undefined)
    warnings.push(
      `${resource.logicalId}: API key without Enabled: CloudFormation's default is false, so the key is disabled and refused (403)`,
    );
  if (list(props.StageKeys).length > 0)
    warnings.push(
      `${resource.logicalId}: StageKeys are ignored, as by API Gateway since usage plans (2016): add the key to a usage plan (AWS::ApiGateway::UsagePlanKey)`,
    );
  return {
    logicalId: resource.logicalId,
    id: resource.physicalId,
    value: given ?? generatedKeyValue(template, resource.logicalId),
    enabled: bool(props.Enabled) === true,
  };
}

/** AWS generates 40 alphanumerics; here derived from the stack and logical id, stable across restarts. */
function generatedKeyValue(template: Template, logicalId: string): string {
  return charsFrom(digest(template.stackName, logicalId, 'api-key-value'), 40, alphabets.MIXED_ALNUM);
}

/** `resource`'s Quota (`value`, at `pointer`: a UsagePlan's, or a SAM API's `Auth.UsagePlan.Quota`). */
function quotaOf(
  template: Template,
  resource: ResourceInstance,
  warnings: string[],
  value: unknown = resource.properties.Quota,
  pointer = '/Properties/Quota',
): UsagePlanDef['quota'] {
  const quota = obj(value);
  if (!quota) return undefined;
  const period = str(quota.Period);
  if (!PERIODS.some((p) => p === period))
    throw refused(
      template,
      resource,
      `${pointer}/Period`,
      `Quota Period ${period ?? '(none)'} is not DAY, WEEK or MONTH; API Gateway refuses it too.`,
    );
  const limit = num(quota.Limit);
  if (limit === undefined) {
    warnings.push(`${resource.logicalId}: usage plan Quota without a Limit; no quota is enforced`);
    return undefined;
  }
  return { limit, offset: num(quota.Offset) ?? 0, period: period as (typeof PERIODS)[number] };
}

export function apiKeyPlan(template: Template, model: Model): ApiKeyPlan {
  const warnings: string[] = [];
  const keys = new Map<string, ApiKeyDef>();
  for (const resource of ofType(template, 'AWS::ApiGateway::ApiKey'))
    keys.set(resource.logicalId, apiKeyOf(template, resource, warnings));

  // Each plan's keys, from its UsagePlanKeys.
  const planKeys = new Map<string, ApiKeyDef[]>();
  for (const resource of ofType(template, 'AWS::ApiGateway::UsagePlanKey')) {
    const props = resource.properties;
    if (str(props.KeyType) !== 'API_KEY')
      throw refused(
        template,
        resource,
        '/Properties/KeyType',
        `KeyType ${str(props.KeyType) ?? '(none)'} is not API_KEY, the only type API Gateway accepts.`,
      );
    const key = keys.get(byId(template, 'AWS::ApiGateway::ApiKey', str(props.KeyId))?.logicalId ?? '');
    const plan = byId(template, 'AWS::ApiGateway::UsagePlan', str(props.UsagePlanId));
    if (!key || !plan) {
      warnings.push(
        `${resource.logicalId}: ${key ? `usage plan ${str(props.UsagePlanId) ?? '(unresolved)'}` : `API key ${str(props.KeyId) ?? '(unresolved)'}`} is not in the template; the key is not added to a plan in the twin`,
      );
      continue;
    }
    planKeys.set(plan.logicalId, [...(planKeys.get(plan.logicalId) ?? []), key]);
  }

  const apisById = new Map([...model.restApis.values()].map((api) => [api.id, api]));
  const plansByApi = new Map<string, UsagePlanDef[]>();
  for (const resource of ofType(template, 'AWS::ApiGateway::UsagePlan')) {
    const props = resource.properties;
    const quota = quotaOf(template, resource, warnings);
    const stagesByApi = new Map<string, Record<string, Record<string, UsagePlanThrottleDef>>>();
    for (const raw of list(props.ApiStages)) {
      const apiStage = obj(raw) ?? {};
      const api = apisById.get(str(apiStage.ApiId) ?? '');
      const stage = str(apiStage.Stage);
      const deployed = model.stages.some(
        (s) => s.api.kind === 'resource' && s.api.logicalId === api?.logicalId && s.stageName === stage,
      );
      if (!api || stage === undefined || !deployed) {
        warnings.push(
          `${resource.logicalId}: usage plan stage ${str(apiStage.ApiId) ?? '(unresolved)'}/${stage ?? '(unresolved)'} is not a deployed stage of a REST API of the template; ignored`,
        );
        continue;
      }
      const methods: Record<string, UsagePlanThrottleDef> = {};
      for (const [path, settings] of Object.entries(obj(apiStage.Throttle) ?? {})) {
        const throttle = throttleOf(settings);
        // `/items/GET`: the resource path, a slash, the HTTP method.
        const cut = path.lastIndexOf('/');
        if (throttle) methods[`${path.slice(0, cut)}/${path.slice(cut + 1).toUpperCase()}`] = throttle;
      }
      stagesByApi.set(api.id, { ...stagesByApi.get(api.id), [stage]: methods });
    }
    for (const [apiId, stages] of stagesByApi) {
      const plan: UsagePlanDef = {
        logicalId: resource.logicalId,
        id: resource.physicalId,
        stages,
        throttle: throttleOf(props.Throttle),
        quota,
        keys: planKeys.get(resource.logicalId) ?? [],
      };
      plansByApi.set(apiId, [...(plansByApi.get(apiId) ?? []), plan]);
    }
  }

  samUsagePlans(template, model, keys, plansByApi, warnings);

  for (const method of model.apiMethods.values()) {
    const api = method.api.kind === 'resource' ? model.restApis.get(method.api.logicalId) : undefined;
    const required =
      method.apiKeyRequired ?? bool(template.resources[method.logicalId]?.properties.ApiKeyRequired) === true;
    if (api && required && !plansByApi.has(api.id))
      warnings.push(
        `${method.logicalId}: requires an API key, but no usage plan covers ${api.logicalId}: every call is refused (403), as on AWS`,
      );
  }

  const sources = new Map<string, 'HEADER' | 'AUTHORIZER'>();
  for (const api of model.restApis.values()) {
    const resource = template.resources[api.logicalId];
    const source = str(resource?.properties.ApiKeySourceType);
    if (source === undefined || !resource) continue;
    if (source !== 'HEADER' && source !== 'AUTHORIZER')
      throw refused(
        template,
        resource,
        '/Properties/ApiKeySourceType',
        `ApiKeySourceType ${source} is not HEADER or AUTHORIZER; API Gateway refuses it too.`,
      );
    sources.set(api.id, source);
  }

  return {
    keys: [...keys.values()],
    forApi: (apiId) => ({ apiKeySource: sources.get(apiId), usagePlans: plansByApi.get(apiId) }),
    warnings,
  };
}

/** The identity (id) CloudFormation would give a resource SAM generates, as for a template resource. */
function generatedId(template: Template, logicalId: string, type: string): string {
  const rule = type === 'AWS::ApiGateway::ApiKey' ? apiKeyIdentity : usagePlanIdentity;
  return rule({
    stackName: template.stackName,
    region: template.region,
    accountId: template.accountId,
    partition: template.partition,
    urlSuffix: template.urlSuffix,
    logicalId,
    type,
    properties: {},
    resourceByPhysicalId: () => undefined,
  }).physicalId;
}

/**
 * SAM's `Auth.UsagePlan` (samtranslator api_generator.py `_construct_usage_plan`): per PER_API API a
 * plan `<api>UsagePlan` on its StageName stage with the enabled key `<api>ApiKey`; one
 * `ServerlessUsagePlan` with `ServerlessApiKey` over the StageName stage of every SHARED API. The
 * SHARED plan's Description, Quota and Throttle: the last SHARED API (template order) that sets
 * them, as SAM rewrites the plan for each API (its guide: configure it "on only one API resource").
 * A template resource of the same logical id (an already-transformed template) wins.
 */
function samUsagePlans(
  template: Template,
  model: Model,
  keys: Map<string, ApiKeyDef>,
  plansByApi: Map<string, UsagePlanDef[]>,
  warnings: string[],
): void {
  /** Each generated plan, and the StageName stage it covers on each API (by API id). */
  const plans = new Map<string, { plan: UsagePlanDef; stages: Map<string, string> }>();
  for (const api of model.restApis.values()) {
    const sam = api.samUsagePlan;
    const resource = template.resources[api.logicalId];
    if (!sam || !resource) continue;
    if (template.resources[sam.apiKeyLogicalId] || template.resources[sam.usagePlanLogicalId]) {
      warnings.push(
        `${api.logicalId}: Auth.UsagePlan: the template already has ${sam.apiKeyLogicalId} or ${sam.usagePlanLogicalId}; SAM's are not added`,
      );
      continue;
    }
    const key: ApiKeyDef = keys.get(sam.apiKeyLogicalId) ?? {
      logicalId: sam.apiKeyLogicalId,
      id: generatedId(template, sam.apiKeyLogicalId, 'AWS::ApiGateway::ApiKey'),
      // samtranslator: `api_key.Enabled = True`, no Value: API Gateway generates it.
      value: generatedKeyValue(template, sam.apiKeyLogicalId),
      enabled: true,
    };
    keys.set(key.logicalId, key);
    const quota = quotaOf(template, resource, warnings, sam.quota, '/Properties/Auth/UsagePlan/Quota');
    const throttle = throttleOf(sam.throttle);
    const existing = plans.get(sam.usagePlanLogicalId);
    const plan: UsagePlanDef = existing
      ? {
          ...existing.plan,
          quota: sam.quota !== undefined ? quota : existing.plan.quota,
          throttle: sam.throttle !== undefined ? throttle : existing.plan.throttle,
        }
      : {
          logicalId: sam.usagePlanLogicalId,
          id: generatedId(template, sam.usagePlanLogicalId, 'AWS::ApiGateway::UsagePlan'),
          stages: {},
          throttle,
          quota,
          keys: [key],
        };
    const stages = existing?.stages ?? new Map<string, string>();
    stages.set(api.id, sam.stageName);
    plans.set(sam.usagePlanLogicalId, { plan, stages });
  }
  for (const { plan, stages } of plans.values())
    for (const [apiId, stage] of stages)
      plansByApi.set(apiId, [...(plansByApi.get(apiId) ?? []), { ...plan, stages: { [stage]: {} } }]);
}
