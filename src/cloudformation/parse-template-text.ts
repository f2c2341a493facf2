/**
 * Template text → document. JSON when the file says so (`.json`) or the text starts with `{`,
 * YAML otherwise (YAML is a superset of JSON, so a JSON-looking text that JSON rejects is retried
 * as YAML only when the file does not claim to be JSON).
 */
import { parseJsonTemplate } from './json-document.ts';
import { parseYamlTemplate } from './yaml-document.ts';

export interface ParsedTemplate {
  readonly document: unknown;
  readonly resourceLines: ReadonlyMap<string, number>;
}

export function parseTemplateText(text: string, file: string): ParsedTemplate {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const claimsJson = file.toLowerCase().endsWith('.json');
  if (claimsJson || body.trimStart().startsWith('{')) {
    try {
      return parseJsonTemplate(body, file);
    } catch (error) {
      if (claimsJson) throw error;
    }
  }
  return parseYamlTemplate(body, file);
}
