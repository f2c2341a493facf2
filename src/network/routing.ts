/**
 * Route-table lookup: longest prefix match. Prefix-list routes (gateway endpoints, managed prefix
 * lists) are expanded into their CIDRs; on equal prefix length a static CIDR route wins over a
 * prefix-list route (AWS's route priority). Compiled once per route table.
 */
import type { Route, RouteTable } from '../model/route-table.ts';
import { type Cidr, cidrContains, parseCidr } from './ipv4.ts';

interface CompiledRoute {
  readonly cidr: Cidr;
  readonly route: Route;
  /** How the destination was written: the CIDR, or `pl-… (cidr)`. */
  readonly via: string;
  readonly fromPrefixList: boolean;
}

export interface CompiledRouteTable {
  readonly key: string;
  readonly routes: CompiledRoute[];
  /** Routes that can never match IPv4 traffic (IPv6, unresolved, unknown prefix list), for explanations. */
  readonly ignored: Array<{ route: Route; reason: string }>;
}

export interface RouteMatch {
  readonly route: Route;
  readonly via: string;
}

export function compileRouteTable(
  table: RouteTable,
  prefixListCidrs: (id: string) => readonly Cidr[] | undefined,
): CompiledRouteTable {
  const routes: CompiledRoute[] = [];
  const ignored: Array<{ route: Route; reason: string }> = [];
  for (const route of table.routes) {
    const destination = route.destination;
    if (destination.kind === 'cidr') {
      const cidr = parseCidr(destination.cidr);
      if (cidr) routes.push({ cidr, route, via: cidr.text, fromPrefixList: false });
      else ignored.push({ route, reason: `destination ${destination.cidr} is not an IPv4 block` });
    } else if (destination.kind === 'prefix-list') {
      const cidrs = prefixListCidrs(destination.prefixListId);
      if (!cidrs)
        ignored.push({
          route,
          reason: `prefix list ${destination.prefixListId} is not known (not in the template, not a shipped AWS list)`,
        });
      for (const cidr of cidrs ?? [])
        routes.push({ cidr, route, via: `${destination.prefixListId} (${cidr.text})`, fromPrefixList: true });
    } else {
      ignored.push({ route, reason: destination.kind === 'ipv6' ? 'IPv6 route' : destination.reason });
    }
  }
  routes.sort((a, b) => b.cidr.length - a.cidr.length || Number(a.fromPrefixList) - Number(b.fromPrefixList));
  return { key: table.logicalId, routes, ignored };
}

export function lookupRoute(table: CompiledRouteTable, address: number): RouteMatch | undefined {
  for (const candidate of table.routes) {
    if (cidrContains(candidate.cidr, address)) return { route: candidate.route, via: candidate.via };
  }
  return undefined;
}
