/**
 * From a workload's identity policies to the (action, resource) pairs they grant: wildcard actions
 * expanded against the action catalog, wildcard resources against the template's own resources
 * (`arn:aws:s3:::shop-images/*` → that bucket's objects; `*` → every bucket of the template).
 * What matches nothing in the template stays as written (an external resource).
 */
import {
  allCatalogActions,
  DATA_SERVICES,
  resourceKindOf,
  serviceOf,
  type ResourceKind,
} from './action-catalog.ts';
import { globMatch, hasWildcard } from './glob.ts';
import { statementsOf } from './policy-document.ts';

/** A resource of the template that grants can name. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly kind: Exclude<ResourceKind, 'any' | 's3-object'>;
  /** Bucket, table, secret, key ARN; for APIs `arn:…:execute-api:<region>:<account>:<api-id>`. */
  readonly arn: string;
}

export interface Grant {
  readonly action: string;
  readonly service: string;
  readonly resource: string;
  readonly resourceLogicalId: string | null;
}

/** Template resources by kind and by ARN, so a grant pattern is matched only where it can match. */
export interface ResourceIndex {
  readonly byKind: ReadonlyMap<TemplateResource['kind'], readonly TemplateResource[]>;
  readonly byArn: ReadonlyMap<string, TemplateResource>;
}

export function indexResources(resources: readonly TemplateResource[]): ResourceIndex {
  const byKind = new Map<TemplateResource['kind'], TemplateResource[]>();
  const byArn = new Map<string, TemplateResource>();
  for (const resource of resources) {
    const list = byKind.get(resource.kind);
    if (list) list.push(resource);
    else byKind.set(resource.kind, [resource]);
    byArn.set(resource.arn, resource);
  }
  return { byKind, byArn };
}

export function expandGrants(
  documents: readonly unknown[],
  resources: readonly TemplateResource[] | ResourceIndex,
): Grant[] {
  const index = Array.isArray(resources) ? indexResources(resources) : (resources as ResourceIndex);
  const grants = new Map<string, Grant>();
  const add = (grant: Grant): void => {
    const key = `${grant.action.toLowerCase()}\u0000${grant.resource}`;
    if (!grants.has(key)) grants.set(key, grant);
  };
  for (const document of documents) {
    for (const statement of statementsOf(document)) {
      if (statement.effect !== 'Allow') continue;
      const actions = expandActions(statement.actions, statement.notActions);
      // NotResource grants everything but the named resources: take it as `*` minus those.
      const patterns = statement.resources ?? ['*'];
      const excluded = statement.notResources ?? [];
      for (const action of actions) {
        const kind = resourceKindOf(action);
        const service = serviceOf(action);
        if (kind === 'any') {
          for (const pattern of patterns)
            add({ action, service, resource: pattern, resourceLogicalId: null });
          continue;
        }
        for (const pattern of patterns) {
          const matched = matchTemplateResources(pattern, kind, index).filter(
            (match) => !excluded.some((not) => globMatch(not, match.resource)),
          );
          for (const match of matched) add({ action, service, ...match });
          if (matched.length === 0 && !(pattern === '*' && excluded.length > 0)) {
            add({ action, service, resource: pattern, resourceLogicalId: null });
          }
        }
      }
    }
  }
  return [...grants.values()];
}

/** Wildcard actions become the catalogued actions they match; unknown services keep the pattern. */
function expandActions(
  actions: readonly string[] | undefined,
  notActions: readonly string[] | undefined,
): string[] {
  const catalog = allCatalogActions();
  if (actions === undefined) {
    const excluded = notActions ?? [];
    return catalog
      .map((entry) => entry.action)
      .filter((action) => !excluded.some((not) => globMatch(not, action, true)));
  }
  const result: string[] = [];
  for (const pattern of actions) {
    if (!hasWildcard(pattern)) {
      result.push(pattern);
      continue;
    }
    const service = serviceOf(pattern);
    const matches = catalog
      .filter((entry) => globMatch(pattern, entry.action, true))
      .map((entry) => entry.action);
    if (matches.length > 0) result.push(...matches);
    // `logs:*`, `xray:Put*`: no catalogue for the service — keep the pattern as the action.
    if (!hasWildcard(service) && !DATA_SERVICES.has(service)) result.push(pattern);
  }
  return [...new Set(result)];
}

function matchTemplateResources(
  pattern: string,
  kind: ResourceKind,
  index: ResourceIndex,
): { resource: string; resourceLogicalId: string }[] {
  const result: { resource: string; resourceLogicalId: string }[] = [];
  if (kind === 'any') return result;
  // Buckets (for object ARNs) and APIs are named by the part before the first '/'.
  const slash = pattern.indexOf('/');
  const head = slash < 0 ? pattern : pattern.slice(0, slash);
  const candidates = (wanted: TemplateResource['kind']): readonly TemplateResource[] => {
    if (hasWildcard(kind === 's3-object' || kind === 'api' ? head : pattern))
      return index.byKind.get(wanted) ?? [];
    const exact = index.byArn.get(kind === 's3-object' || kind === 'api' ? head : pattern);
    return exact && exact.kind === wanted ? [exact] : [];
  };
  if (kind === 's3-object') {
    for (const bucket of candidates('s3-bucket')) {
      if (pattern.startsWith(`${bucket.arn}/`))
        result.push({ resource: pattern, resourceLogicalId: bucket.logicalId });
      else if (globMatch(pattern, `${bucket.arn}/key`))
        result.push({ resource: `${bucket.arn}/*`, resourceLogicalId: bucket.logicalId });
    }
    return result;
  }
  for (const resource of candidates(kind)) {
    if (kind === 'api') {
      // An API's execute-api ARNs are <api-arn>/<stage>/<METHOD>/<path>.
      if (pattern.startsWith(`${resource.arn}/`))
        result.push({ resource: pattern, resourceLogicalId: resource.logicalId });
      else if (globMatch(pattern, `${resource.arn}/stage/GET/path`))
        result.push({ resource: `${resource.arn}/*`, resourceLogicalId: resource.logicalId });
    } else if (globMatch(pattern, resource.arn)) {
      result.push({ resource: resource.arn, resourceLogicalId: resource.logicalId });
    }
  }
  return result;
}
