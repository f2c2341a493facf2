/**
 * The cost meter: bytes per (route, endpoint/gateway) as the twin carries them, priced per GB
 * from the analyzer's price table (src/analyze/pricing/) — data processing only; hourly charges
 * are the analyzer's estimate, not a meter's.
 */
import { priceTableFor, type PriceName } from '../analyze/pricing/price-table.ts';

export interface MeterRow {
  readonly route: string;
  readonly via: string | null;
  readonly requests: number;
  readonly bytes: number;
  readonly usd: number;
}

const PRICE_OF_ROUTE: Partial<Record<string, PriceName>> = {
  'gateway-endpoint': 'gatewayEndpointGb',
  'interface-endpoint': 'interfaceEndpointGb',
  'nat-gateway': 'natGatewayGb',
};

const GB = 1024 ** 3;

type Row = { route: string; via: string | null; requests: number; bytes: number };

export class CostMeter {
  // route → via → row: no key string built and hashed on every request.
  private readonly rows = new Map<string, Map<string | null, Row>>();

  constructor(private readonly region: string) {}

  add(route: string, via: string | null, bytes: number): void {
    let byVia = this.rows.get(route);
    if (!byVia) {
      byVia = new Map();
      this.rows.set(route, byVia);
    }
    let row = byVia.get(via);
    if (!row) {
      row = { route, via, requests: 0, bytes: 0 };
      byVia.set(via, row);
    }
    row.requests += 1;
    row.bytes += bytes;
  }

  /** Per-GB price of a route (0 for free routes and routes without data charges). */
  pricePerGb(route: string): number {
    const name = PRICE_OF_ROUTE[route];
    return name ? priceTableFor(this.region).prices[name].usd : 0;
  }

  report(): MeterRow[] {
    return [...this.rows.values()]
      .flatMap((byVia) => [...byVia.values()])
      .map((row) => ({
        ...row,
        usd: (row.bytes / GB) * this.pricePerGb(row.route),
      }));
  }
}
