/**
 * `securecart check`, without the CLI: load each template, build the model, analyze it (matrix),
 * run the rules, estimate the cost. Bad input throws UserError (from the loader or the profile).
 */
import { loadTemplate } from '../cloudformation/load.ts';
import type { Template } from '../cloudformation/types.ts';
import { buildModel } from '../model/index.ts';
import { analyze } from './analysis.ts';
import { compareFindings, type Finding } from './finding.ts';
import { costInputs } from './pricing/cost-inputs.ts';
import { estimateCost } from './pricing/estimate.ts';
import { hasPricesFor, priceTableFor } from './pricing/price-table.ts';
import { loadDefaultTrafficProfile, type TrafficProfile } from './pricing/traffic-profile.ts';
import type { CheckResult, MatrixRow, TemplateCost, TemplateSummary } from './result.ts';
import { runRules } from './rules/registry.ts';

export interface CheckOptions {
  /** `--param K=V` overrides, applied to every template. */
  readonly parameters?: Readonly<Record<string, string>>;
  readonly profile?: TrafficProfile;
}

export function checkTemplates(files: readonly string[], options: CheckOptions = {}): CheckResult {
  const loaded = files.map((file) => ({
    file,
    template: loadTemplate(file, { parameters: options.parameters }),
  }));
  return checkLoaded(loaded, options);
}

/** For callers that already hold loaded templates (tests, the bench). */
export function checkLoaded(
  loaded: readonly { file: string; template: Template }[],
  options: CheckOptions = {},
): CheckResult {
  const profile = options.profile ?? loadDefaultTrafficProfile();
  const templates: TemplateSummary[] = [];
  const findings: Finding[] = [];
  const matrix: MatrixRow[] = [];
  const costs: TemplateCost[] = [];
  for (const { file, template } of loaded) {
    const model = buildModel(template);
    const prices = priceTableFor(template.region);
    const analysis = analyze(file, template, model, { prices, profile });
    findings.push(...runRules(analysis));
    matrix.push(...analysis.matrix);
    costs.push({
      file,
      estimate: estimateCost(costInputs(analysis), prices, template.region, hasPricesFor(template.region)),
    });
    templates.push({
      file,
      region: template.region,
      accountId: template.accountId,
      workloads: model.workloads.length,
      unsupportedTypes: template.unsupportedTypes,
      unresolved: template.unresolved.length,
      notes: analysis.notes,
    });
  }
  findings.sort(compareFindings);
  return { templates, findings, matrix, costs };
}
