/**
 * `--format json`: the documented schema in `schema.json` beside this file. The core
 * (findings[{id,severity,resources,message,fix}], matrix[{workload,action,resource,route,decision}],
 * cost) is a stable contract; every other field is an addition.
 */
import type { CheckResult } from '../result.ts';

export interface JsonReport {
  readonly version: 1;
  readonly templates: CheckResult['templates'];
  readonly findings: CheckResult['findings'];
  readonly matrix: CheckResult['matrix'];
  readonly cost: {
    readonly currency: 'USD';
    readonly asWrittenMonthlyUsd: number;
    readonly allThroughNatMonthlyUsd: number;
    readonly interfaceEndpointsForS3DynamoDbMonthlyUsd: number;
    readonly byTemplate: readonly unknown[];
  };
}

export function toJsonReport(result: CheckResult): JsonReport {
  const sum = (pick: (index: number) => number): number =>
    Math.round(result.costs.reduce((total, _cost, index) => total + pick(index), 0) * 100) / 100;
  return {
    version: 1,
    templates: result.templates,
    findings: result.findings,
    matrix: result.matrix,
    cost: {
      currency: 'USD',
      asWrittenMonthlyUsd: sum((i) => result.costs[i].estimate.asWritten.monthlyUsd),
      allThroughNatMonthlyUsd: sum((i) => result.costs[i].estimate.alternatives.allThroughNat.monthlyUsd),
      interfaceEndpointsForS3DynamoDbMonthlyUsd: sum(
        (i) => result.costs[i].estimate.alternatives.interfaceEndpointsForS3DynamoDb.monthlyUsd,
      ),
      byTemplate: result.costs.map((cost) => ({ file: cost.file, ...cost.estimate })),
    },
  };
}

export function renderJson(result: CheckResult): string {
  return `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
}
