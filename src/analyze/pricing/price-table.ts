/**
 * The shipped price table (us-east-1). Each price carries its source URL; the table its date.
 * Other Regions are not priced yet: the estimator says so rather than guess.
 */
import { readFileSync } from 'node:fs';

export interface Price {
  readonly usd: number;
  readonly unit: string;
  readonly source: string;
  readonly note?: string;
}

export type PriceName =
  | 'natGatewayHour'
  | 'natGatewayGb'
  | 'interfaceEndpointAzHour'
  | 'interfaceEndpointGb'
  | 'gatewayEndpointHour'
  | 'gatewayEndpointGb'
  | 'interAzGbEachWay'
  | 'internetOutGb';

export interface PriceTable {
  readonly region: string;
  readonly currency: 'USD';
  readonly hoursPerMonth: number;
  readonly retrieved: string;
  readonly prices: Readonly<Record<PriceName, Price>>;
}

const TABLES: Record<string, URL> = {
  'us-east-1': new URL('./prices.us-east-1.json', import.meta.url),
};

let cache: Map<string, PriceTable> | undefined;

/** The price table for a Region, or the us-east-1 table (flagged by `region`) when none is shipped. */
export function priceTableFor(region: string): PriceTable {
  cache ??= new Map();
  const key = TABLES[region] ? region : 'us-east-1';
  let table = cache.get(key);
  if (!table) {
    table = JSON.parse(readFileSync(TABLES[key], 'utf8')) as PriceTable;
    cache.set(key, table);
  }
  return table;
}

export function hasPricesFor(region: string): boolean {
  return region in TABLES;
}
