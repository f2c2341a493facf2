/**
 * AWS service hostnames: what a workload's SDK calls, and what a hostname tells about the
 * service, its Region, and (for S3 / API Gateway) the bucket or API it names.
 */

/** Regional hostname of a service: `<service>.<region>.amazonaws.com` (`.amazonaws.com.cn` in China). */
export function serviceHost(service: string, region: string): string {
  return `${service}.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`;
}

export function executeApiHost(apiId: string, region: string): string {
  return `${apiId}.execute-api.${region}.amazonaws.com`;
}

export interface ParsedHost {
  readonly service: string;
  readonly region: string;
  /** `<bucket>.s3.<region>.amazonaws.com` */
  readonly bucket?: string;
  /** `<api-id>.execute-api.<region>.amazonaws.com` */
  readonly apiId?: string;
  /** `vpce-…-….<service>.<region>.vpce.amazonaws.com`: an endpoint-specific name. */
  readonly endpointId?: string;
}

const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';
const ENDPOINT_SPECIFIC = new RegExp(
  `^(?:[a-z0-9*]+\\.)?(vpce-[0-9a-f]+)(?:-[a-z0-9]+)*\\.([a-z0-9.-]+?)\\.(${REGION})\\.vpce\\.amazonaws\\.com$`,
);
const S3_VIRTUAL_HOST = new RegExp(`^(.+)\\.s3(?:[.-](${REGION}))?\\.amazonaws\\.com$`);
const EXECUTE_API = new RegExp(`^([a-z0-9]+)\\.execute-api\\.(${REGION})\\.amazonaws\\.com$`);
const REGIONAL = new RegExp(`^([a-z0-9.-]+?)[.-](${REGION})\\.amazonaws\\.com(?:\\.cn)?$`);

/** Parses an AWS hostname; undefined for anything else (RDS endpoints and foreign hosts). */
export function parseAwsHost(host: string): ParsedHost | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  let match = ENDPOINT_SPECIFIC.exec(name);
  if (match) return { endpointId: match[1], service: match[2], region: match[3] };
  match = EXECUTE_API.exec(name);
  if (match) return { service: 'execute-api', apiId: match[1], region: match[2] };
  if (name === 's3.amazonaws.com') return { service: 's3', region: 'us-east-1' };
  match = S3_VIRTUAL_HOST.exec(name);
  if (match && !match[1].startsWith('s3') && !/\.s3$/.test(match[1]))
    return { service: 's3', bucket: match[1], region: match[2] ?? 'us-east-1' };
  if (name.endsWith('.rds.amazonaws.com')) return undefined;
  match = REGIONAL.exec(name);
  if (match) return { service: match[1], region: match[2] };
  return undefined;
}

/** The `pkt-*-aws-service` value of flow logs (ip-ranges.json service names). */
export function flowLogServiceName(service: string | null): string {
  if (service === 's3') return 'S3';
  if (service === 'dynamodb') return 'DYNAMODB';
  if (service === 'execute-api') return 'API_GATEWAY';
  return service ? 'AMAZON' : '-';
}
