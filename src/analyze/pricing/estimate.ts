/**
 * Monthly cost of the network paths to AWS services: the template as written, and the two designs
 * the seed argues against — (A) every call through a NAT gateway per AZ, (B) interface endpoints
 * for S3/DynamoDB instead of gateway endpoints. Inputs are plain facts so the estimator knows
 * nothing of templates or tracing; `cost-inputs.ts` derives them from the model and the traces.
 */
import { GATEWAY_ENDPOINT_SERVICES } from '../action-catalog.ts';
import type { PriceName, PriceTable } from './price-table.ts';
import type { Traffic } from './traffic-profile.ts';

/** How a workload's calls to a service leave (the tracer's route kinds). */
export type RouteKind =
  | 'gateway-endpoint'
  | 'interface-endpoint'
  | 'nat-gateway'
  | 'internet-gateway'
  | 'local'
  | 'outside-vpc'
  | 'none'
  | string;

export interface CostInputs {
  readonly natGateways: readonly {
    readonly logicalId: string;
    readonly vpc?: string;
    readonly az?: string;
  }[];
  readonly interfaceEndpoints: readonly {
    readonly logicalId: string;
    readonly service: string;
    readonly vpc?: string;
    /** Distinct AZs the endpoint has an ENI in (one billed endpoint-hour per AZ). */
    readonly azs: readonly string[];
  }[];
  readonly gatewayEndpoints: readonly {
    readonly logicalId: string;
    readonly service: string;
    readonly vpc?: string;
  }[];
  /** One per (workload, service) pair the workload is granted. */
  readonly flows: readonly CostFlow[];
}

export interface CostFlow {
  readonly workload: string;
  readonly service: string;
  /** The workload's VPC logical id; absent for workloads outside any VPC. */
  readonly vpc?: string;
  /** The workload's AZ (of its first subnet). */
  readonly az?: string;
  readonly route: RouteKind;
  readonly reachable: boolean;
  /** Logical id of the NAT gateway / endpoint used. */
  readonly via?: string;
  /** AZ of the NAT gateway or endpoint ENI used, to price inter-AZ transfer. */
  readonly viaAz?: string;
  readonly traffic: Traffic;
}

export interface CostLine {
  readonly item: string;
  /** Logical id of the resource billed, or of the planned one in an alternative. */
  readonly resource?: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitPriceUsd: number;
  readonly monthlyUsd: number;
}

export interface CostScenario {
  readonly name: 'as-written' | 'all-through-nat' | 'interface-endpoints-for-s3-dynamodb';
  readonly description: string;
  readonly monthlyUsd: number;
  readonly lines: readonly CostLine[];
}

export interface CostEstimate {
  readonly region: string;
  /** False when the template's Region has no shipped table and us-east-1 prices were used. */
  readonly regionPriced: boolean;
  readonly currency: 'USD';
  readonly hoursPerMonth: number;
  readonly pricesRetrieved: string;
  readonly asWritten: CostScenario;
  readonly alternatives: {
    readonly allThroughNat: CostScenario;
    readonly interfaceEndpointsForS3DynamoDb: CostScenario;
  };
  /** Price name → {usd, unit, source}: every price used, with where it came from. */
  readonly prices: PriceTable['prices'];
}

/** Builds cost lines, merging lines with the same item and resource. */
class LineBook {
  private readonly lines = new Map<
    string,
    { item: string; resource?: string; quantity: number; price: PriceName }
  >();
  constructor(private readonly table: PriceTable) {}

  add(item: string, price: PriceName, quantity: number, resource?: string): void {
    if (quantity <= 0) return;
    const key = `${item}\u0000${resource ?? ''}`;
    const line = this.lines.get(key);
    if (line) line.quantity += quantity;
    else this.lines.set(key, { item, resource, quantity, price });
  }

  scenario(name: CostScenario['name'], description: string): CostScenario {
    const lines: CostLine[] = [...this.lines.values()].map((line) => {
      const price = this.table.prices[line.price];
      return {
        item: line.item,
        ...(line.resource === undefined ? {} : { resource: line.resource }),
        quantity: round(line.quantity, 4),
        unit: price.unit,
        unitPriceUsd: price.usd,
        monthlyUsd: round(line.quantity * price.usd, 2),
      };
    });
    lines.sort((a, b) => b.monthlyUsd - a.monthlyUsd || a.item.localeCompare(b.item));
    const monthlyUsd = round(
      lines.reduce((sum, line) => sum + line.monthlyUsd, 0),
      2,
    );
    return { name, description, monthlyUsd, lines };
  }
}

export function estimateCost(
  inputs: CostInputs,
  table: PriceTable,
  region: string,
  regionPriced: boolean,
): CostEstimate {
  return {
    region,
    regionPriced,
    currency: 'USD',
    hoursPerMonth: table.hoursPerMonth,
    pricesRetrieved: table.retrieved,
    asWritten: asWritten(inputs, table),
    alternatives: {
      allThroughNat: allThroughNat(inputs, table),
      interfaceEndpointsForS3DynamoDb: interfaceForGatewayServices(inputs, table),
    },
    prices: table.prices,
  };
}

function asWritten(inputs: CostInputs, table: PriceTable): CostScenario {
  const book = new LineBook(table);
  const hours = table.hoursPerMonth;
  for (const nat of inputs.natGateways) book.add('NAT gateway hours', 'natGatewayHour', hours, nat.logicalId);
  for (const endpoint of inputs.interfaceEndpoints) {
    book.add(
      `interface endpoint hours (${endpoint.service}, ${Math.max(1, endpoint.azs.length)} AZ)`,
      'interfaceEndpointAzHour',
      hours * Math.max(1, endpoint.azs.length),
      endpoint.logicalId,
    );
  }
  for (const flow of inputs.flows) {
    if (!flow.reachable) continue; // blocked calls move no data
    addFlowData(book, flow, flow.route, flow.via, flow.viaAz);
  }
  return book.scenario('as-written', 'The template as written, with the traffic profile.');
}

/** Alternative A: no endpoints; a NAT gateway in every AZ that has VPC workloads, every call through it. */
function allThroughNat(inputs: CostInputs, table: PriceTable): CostScenario {
  const book = new LineBook(table);
  const natAzs = new Set<string>();
  for (const flow of inputs.flows) {
    if (flow.vpc === undefined) continue;
    natAzs.add(`${flow.vpc}/${flow.az ?? '?'}`);
  }
  for (const key of [...natAzs].sort())
    book.add('NAT gateway hours', 'natGatewayHour', table.hoursPerMonth, `NAT ${key}`);
  for (const flow of inputs.flows) {
    if (flow.vpc === undefined) continue;
    book.add(
      'NAT gateway data processed',
      'natGatewayGb',
      flow.traffic.gbPerMonth,
      `NAT ${flow.vpc}/${flow.az ?? '?'}`,
    );
  }
  return book.scenario(
    'all-through-nat',
    'Alternative A: no VPC endpoints; one NAT gateway per AZ with workloads; every AWS call goes through the NAT gateway in its AZ.',
  );
}

/** Alternative B: each S3/DynamoDB gateway endpoint replaced by an interface endpoint in every AZ with workloads. */
function interfaceForGatewayServices(inputs: CostInputs, table: PriceTable): CostScenario {
  const book = new LineBook(table);
  const hours = table.hoursPerMonth;
  const workloadAzsByVpc = new Map<string, Set<string>>();
  for (const flow of inputs.flows) {
    if (flow.vpc === undefined) continue;
    let azs = workloadAzsByVpc.get(flow.vpc);
    if (!azs) workloadAzsByVpc.set(flow.vpc, (azs = new Set()));
    if (flow.az) azs.add(flow.az);
  }
  for (const nat of inputs.natGateways) book.add('NAT gateway hours', 'natGatewayHour', hours, nat.logicalId);
  for (const endpoint of inputs.interfaceEndpoints) {
    book.add(
      `interface endpoint hours (${endpoint.service}, ${Math.max(1, endpoint.azs.length)} AZ)`,
      'interfaceEndpointAzHour',
      hours * Math.max(1, endpoint.azs.length),
      endpoint.logicalId,
    );
  }
  const replaced = new Set<string>();
  for (const endpoint of inputs.gatewayEndpoints) {
    if (!GATEWAY_ENDPOINT_SERVICES.has(endpoint.service)) continue;
    replaced.add(endpoint.logicalId);
    const azCount = Math.max(1, workloadAzsByVpc.get(endpoint.vpc ?? '')?.size ?? 0);
    book.add(
      `interface endpoint hours (${endpoint.service}, ${azCount} AZ) replacing gateway endpoint`,
      'interfaceEndpointAzHour',
      hours * azCount,
      endpoint.logicalId,
    );
  }
  for (const flow of inputs.flows) {
    if (!flow.reachable) continue;
    if (flow.route === 'gateway-endpoint' && flow.via !== undefined && replaced.has(flow.via)) {
      // An interface endpoint with an ENI in every workload AZ: no inter-AZ hop.
      book.add('interface endpoint data processed', 'interfaceEndpointGb', flow.traffic.gbPerMonth, flow.via);
    } else {
      addFlowData(book, flow, flow.route, flow.via, flow.viaAz);
    }
  }
  return book.scenario(
    'interface-endpoints-for-s3-dynamodb',
    'Alternative B: every S3/DynamoDB gateway endpoint replaced by an interface endpoint with an ENI in each AZ that has workloads; everything else as written.',
  );
}

function addFlowData(book: LineBook, flow: CostFlow, route: RouteKind, via?: string, viaAz?: string): void {
  const gb = flow.traffic.gbPerMonth;
  const crossesAz = flow.az !== undefined && viaAz !== undefined && flow.az !== viaAz;
  if (route === 'nat-gateway') {
    book.add('NAT gateway data processed', 'natGatewayGb', gb, via);
    if (crossesAz)
      book.add('inter-AZ transfer to the NAT gateway (each way)', 'interAzGbEachWay', 2 * gb, via);
  } else if (route === 'interface-endpoint') {
    book.add('interface endpoint data processed', 'interfaceEndpointGb', gb, via);
    if (crossesAz)
      book.add('inter-AZ transfer to the endpoint ENI (each way)', 'interAzGbEachWay', 2 * gb, via);
  }
  // gateway endpoints: free; IGW/outside-vpc to a same-Region AWS service: no processing or egress charge.
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
