/**
 * Traffic profiles: how much each workload sends to each AWS service per month. The cost
 * estimator multiplies these by the price table. The shipped default is
 * `default-traffic.json` beside this file; users pass their own with `--traffic`.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../../cli/user-error.ts';

export interface Traffic {
  readonly requestsPerMonth: number;
  readonly gbPerMonth: number;
}

export interface TrafficProfile {
  /** For every (workload, service) pair not named below. */
  readonly default: Traffic;
  /** Per-service defaults, by service short name (s3, dynamodb, secretsmanager, …). */
  readonly services: Readonly<Record<string, Traffic>>;
  /** Exact figures: workload logical id → service → traffic. */
  readonly workloads: Readonly<Record<string, Readonly<Record<string, Traffic>>>>;
}

const TOP_LEVEL_KEYS = new Set(['default', 'services', 'workloads']);
const DEFAULT_PROFILE_URL = new URL('./default-traffic.json', import.meta.url);

/** The traffic one workload sends to one service under this profile. */
export function trafficFor(profile: TrafficProfile, workload: string, service: string): Traffic {
  return profile.workloads[workload]?.[service] ?? profile.services[service] ?? profile.default;
}

export function loadDefaultTrafficProfile(): TrafficProfile {
  return parseTrafficProfile(
    JSON.parse(readFileSync(DEFAULT_PROFILE_URL, 'utf8')),
    DEFAULT_PROFILE_URL.pathname,
  );
}

/** Reads and validates a profile file; bad input is a UserError naming the file and the JSON pointer. */
export function loadTrafficProfile(file: string): TrafficProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read traffic profile (${(error as Error).message})`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`traffic profile is not valid JSON (${(error as Error).message})`, { file });
  }
  return parseTrafficProfile(json, file);
}

export function parseTrafficProfile(json: unknown, file: string): TrafficProfile {
  const root = asObject(json, file, '');
  for (const key of Object.keys(root)) {
    if (!key.startsWith('$') && !TOP_LEVEL_KEYS.has(key)) {
      throw new UserError(
        `unknown key "${key}" — a traffic profile has only default, services and workloads`,
        {
          file,
          pointer: `/${key}`,
        },
      );
    }
  }
  const fallback: Traffic = { requestsPerMonth: 0, gbPerMonth: 0 };
  const profile: TrafficProfile = {
    default: root.default === undefined ? fallback : parseTraffic(root.default, file, '/default'),
    services: mapValues(root.services, file, '/services', (value, pointer) =>
      parseTraffic(value, file, pointer),
    ),
    workloads: mapValues(root.workloads, file, '/workloads', (value, pointer) =>
      mapValues(value, file, pointer, (inner, innerPointer) => parseTraffic(inner, file, innerPointer)),
    ),
  };
  return profile;
}

function parseTraffic(value: unknown, file: string, pointer: string): Traffic {
  const object = asObject(value, file, pointer);
  return {
    requestsPerMonth: nonNegative(object.requestsPerMonth, file, `${pointer}/requestsPerMonth`),
    gbPerMonth: nonNegative(object.gbPerMonth, file, `${pointer}/gbPerMonth`),
  };
}

function nonNegative(value: unknown, file: string, pointer: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new UserError('expected a number ≥ 0 — set it to the monthly figure', { file, pointer });
  }
  return value;
}

function asObject(value: unknown, file: string, pointer: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError('expected a JSON object — see docs/analyzer.md for the traffic profile format', {
      file,
      pointer: pointer || '/',
    });
  }
  return value as Record<string, unknown>;
}

function mapValues<T>(
  value: unknown,
  file: string,
  pointer: string,
  parse: (value: unknown, pointer: string) => T,
): Record<string, T> {
  if (value === undefined) return {};
  const object = asObject(value, file, pointer);
  const result: Record<string, T> = {};
  for (const [key, inner] of Object.entries(object)) {
    if (key.startsWith('$')) continue; // $comment and friends
    result[key] = parse(inner, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`);
  }
  return result;
}
