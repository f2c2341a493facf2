/**
 * A stage's throttling settings, from `AWS::ApiGateway::Stage.MethodSettings` or a Deployment's
 * `StageDescription` (its top-level ThrottlingRateLimit/BurstLimit are the stage's default method
 * throttling). CloudFormation encodes a resource path's slashes as `~1` (`/~1products` is
 * `/products`); `/*` with HttpMethod `*` is the default for every method of the stage.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-stage-methodsetting.html
 */
import { list, num, obj, str } from './refs.ts';

export interface MethodThrottle {
  /** `/*` (every resource) or a decoded path, e.g. `/products/{id}`. */
  readonly resourcePath: string;
  /** `*` or an HTTP method in upper case. */
  readonly httpMethod: string;
  /** Steady-state requests per second; undefined = inherited. */
  readonly rateLimit?: number;
  /** Bucket size (burst); undefined = inherited. */
  readonly burstLimit?: number;
}

/** `/~1products~1{id}` → `/products/{id}`; `/*` and `/` stay as they are. */
export function decodeResourcePath(path: string): string {
  if (path === '/*' || path === '/') return path;
  return `/${path.slice(1).replace(/~1/g, '/').replace(/~0/g, '~')}`.replace(/^\/\//, '/');
}

function settingsOf(settings: unknown): MethodThrottle[] {
  const out: MethodThrottle[] = [];
  for (const raw of list(settings)) {
    const setting = obj(raw);
    if (!setting) continue;
    const rateLimit = num(setting.ThrottlingRateLimit);
    const burstLimit = num(setting.ThrottlingBurstLimit);
    if (rateLimit === undefined && burstLimit === undefined) continue;
    out.push({
      resourcePath: decodeResourcePath(str(setting.ResourcePath) ?? '/*'),
      httpMethod: (str(setting.HttpMethod) ?? '*').toUpperCase(),
      rateLimit,
      burstLimit,
    });
  }
  return out;
}

/** From an `AWS::ApiGateway::Stage`'s properties. */
export function stageThrottles(properties: Record<string, unknown>): MethodThrottle[] {
  return settingsOf(properties.MethodSettings);
}

/** From an `AWS::ApiGateway::Deployment`'s `StageDescription`. */
export function deploymentStageThrottles(properties: Record<string, unknown>): MethodThrottle[] {
  const description = obj(properties.StageDescription);
  if (!description) return [];
  const rateLimit = num(description.ThrottlingRateLimit);
  const burstLimit = num(description.ThrottlingBurstLimit);
  const defaults: MethodThrottle[] =
    rateLimit === undefined && burstLimit === undefined
      ? []
      : [{ resourcePath: '/*', httpMethod: '*', rateLimit, burstLimit }];
  return [...defaults, ...settingsOf(description.MethodSettings)];
}
