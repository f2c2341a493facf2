/**
 * Loads a CloudFormation template (JSON or YAML) and resolves it: parameters, conditions,
 * intrinsics, physical ids and attributes, in dependency order. See types.ts for the contract and
 * docs/cloudformation-semantics.md for the AWS behaviour it follows.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { UserError } from '../cli/user-error.ts';
import type { LoadOptions, Template } from './types.ts';
import { parseTemplateText } from './parse-template-text.ts';
import { TemplateResolver } from './template-resolver.ts';

export type { LoadOptions, Template } from './types.ts';
export { parseParamOverrides } from './parameters.ts';
export { eniId } from './physical-ids.ts';

export function loadTemplate(file: string, options: LoadOptions = {}): Template {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UserError(`cannot read the template (${code}); check the path.`, { file });
  }
  return loadTemplateText(text, file, options);
}

export function loadTemplateText(text: string, file: string, options: LoadOptions = {}): Template {
  // `SecureCart.template.json` (CDK's output name) → stack `SecureCart`.
  const defaultStackName = basename(file, extname(file)).replace(/\.template$/, '');
  return new TemplateResolver(parseTemplateText(text, file), file, options, defaultStackName).resolve();
}
