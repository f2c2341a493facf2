/**
 * JSON templates → values, with the line of each resource's logical id. `JSON.parse` gives no
 * positions, so one linear scan finds the keys of the top-level `Resources` object.
 */
import { UserError } from '../cli/user-error.ts';
import type { ParsedTemplate } from './parse-template-text.ts';

export function parseJsonTemplate(text: string, file: string): ParsedTemplate {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const { line, column } = lineAndColumn(text, offset);
    throw new UserError(
      `malformed JSON at line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*$/, '')}. Fix the syntax.`,
      { file },
    );
  }
  return { document, resourceLines: jsonResourceLines(text) };
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;

/**
 * Lines of the keys of the object under the top-level "Resources" key. Only called on text that
 * `JSON.parse` accepted, so the scan can trust the syntax.
 */
export function jsonResourceLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  // One entry per open container: true for an object, false for an array.
  const containers: boolean[] = [];
  let line = 1;
  let expectKey = false;
  let lastTopKey = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      line++;
    } else if (c === QUOTE) {
      const start = i;
      const startLine = line;
      for (i++; text.charCodeAt(i) !== QUOTE; i++) {
        if (text.charCodeAt(i) === BACKSLASH) i++;
      }
      // Only keys of the top two levels matter; decode (rarely escaped) text just for those.
      if (expectKey && containers.length <= 2) {
        const raw = text.slice(start + 1, i);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(start, i + 1)) as string) : raw;
        if (containers.length === 1) lastTopKey = key;
        else if (lastTopKey === 'Resources') lines.set(key, startLine);
      }
      expectKey = false;
    } else if (c === OPEN_BRACE) {
      containers.push(true);
      expectKey = true;
    } else if (c === OPEN_BRACKET) {
      containers.push(false);
      expectKey = false;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      containers.pop();
    } else if (c === COMMA) {
      expectKey = containers[containers.length - 1] === true;
    }
  }
  return lines;
}
