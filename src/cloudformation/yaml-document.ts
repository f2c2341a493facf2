/**
 * YAML templates → plain JSON values. CloudFormation's short-form tags (`!Ref`, `!Sub`,
 * `!GetAtt a.b`, `!If`, `!GetAZs` with no value, a tag on a block mapping…) become their long
 * forms, exactly what the JSON syntax would have given.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { UserError } from '../cli/user-error.ts';
import type { ParsedTemplate } from './parse-template-text.ts';

export function parseYamlTemplate(text: string, file: string): ParsedTemplate {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    throw new UserError(
      `malformed YAML at line ${line}, column ${col}: ${firstLine(error.message)}. Fix the syntax.`,
      {
        file,
      },
    );
  }
  const document = toPlain(doc.contents, doc);
  return { document, resourceLines: resourceKeyLines(doc, lineCounter) };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** Long form of a short tag: `!Ref` → `Ref`, `!Condition` → `Condition`, `!Sub` → `Fn::Sub`. */
function longForm(tag: string): string {
  const name = tag.slice(1);
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

function toPlain(node: unknown, doc: Document): unknown {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return toPlain(node.resolve(doc), doc);
  let value: unknown;
  if (isScalar(node)) {
    value = node.value;
  } else if (isMap(node)) {
    const object: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : toPlain(pair.key, doc);
      object[String(key)] = toPlain(pair.value, doc);
    }
    value = object;
  } else if (isSeq(node)) {
    value = node.items.map((item) => toPlain(item, doc));
  } else {
    return null;
  }
  const tag = (node as Node).tag;
  if (tag === undefined || !tag.startsWith('!') || tag.startsWith('!!')) return value;
  if (tag === '!GetAtt' && typeof value === 'string') {
    // `!GetAtt Res.Attr.Sub` names the resource before the first dot.
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  // A bare tag with no value (`!GetAZs`) parses as null; CloudFormation reads it as ''.
  return { [longForm(tag)]: value ?? '' };
}

function resourceKeyLines(doc: Document, lineCounter: LineCounter): Map<string, number> {
  const lines = new Map<string, number>();
  const root = doc.contents;
  if (!isMap(root)) return lines;
  const resources = root.items.find((pair) => isScalar(pair.key) && pair.key.value === 'Resources');
  if (!resources || !isMap(resources.value)) return lines;
  for (const pair of resources.value.items) {
    if (isScalar(pair.key) && pair.key.range) {
      lines.set(String(pair.key.value), lineCounter.linePos(pair.key.range[0]).line);
    }
  }
  return lines;
}
