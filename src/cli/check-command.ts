/**
 * `securecart check <template…>`: the analyzer. Prints the findings, the access matrix and the
 * cost (text, JSON or SARIF) and exits 1 when a finding at or above --fail-on exists.
 */
import { Command, Option } from 'commander';
import { parseParamOverrides } from '../cloudformation/parameters.ts';
import { checkTemplates } from '../analyze/check.ts';
import { atOrAbove, type Severity } from '../analyze/finding.ts';
import { renderJson } from '../analyze/report/json.ts';
import { renderSarif } from '../analyze/report/sarif.ts';
import { renderText } from '../analyze/report/text.ts';
import { loadTrafficProfile } from '../analyze/pricing/traffic-profile.ts';
import { RULES } from '../analyze/rules/registry.ts';

interface CheckCommandOptions {
  traffic?: string;
  format: 'text' | 'json' | 'sarif';
  json?: boolean;
  failOn: Severity | 'never';
  param: string[];
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description(
      "Analyze CloudFormation templates: every workload's path and authorization decision per granted action, " +
        'findings (private, least-privilege, cheap), and the monthly cost against NAT-only and interface-only designs.',
    )
    .argument('<template...>', 'CloudFormation templates (JSON or YAML)')
    .option(
      '--traffic <profile.json>',
      'traffic profile (requests and GB per month per workload and service); default: the shipped profile',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'),
    )
    .option('--json', 'same as --format json')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding at or above this severity exists')
        .choices(['error', 'warning', 'never'])
        .default('error'),
    )
    .option(
      '--param <Key=Value>',
      'template parameter override (repeatable)',
      (value: string, all: string[]) => [...all, value],
      [],
    )
    .action((templates: string[], options: CheckCommandOptions) => {
      const profile = options.traffic ? loadTrafficProfile(options.traffic) : undefined;
      const result = checkTemplates(templates, { parameters: parseParamOverrides(options.param), profile });
      const format = options.json ? 'json' : options.format;
      const output =
        format === 'json'
          ? renderJson(result)
          : format === 'sarif'
            ? renderSarif(result, RULES)
            : renderText(result);
      process.stdout.write(output);
      const threshold = options.failOn;
      if (
        threshold !== 'never' &&
        result.findings.some((finding) => atOrAbove(finding.severity, threshold))
      ) {
        process.exitCode = 1;
      }
    });
}
