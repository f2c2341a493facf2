/**
 * A Node.js function whose code is inline in the template (`Code.ZipFile`, SAM `InlineCode`):
 * CloudFormation puts it in a file named `index.js`, which Lambda treats as a CommonJS module
 * (ES modules are not supported inline). The twin writes the same file, with a package.json that
 * says CommonJS, so the nearest package.json of the data dir (e.g. this repository's, "type":
 * "module") cannot change how it loads. Source: the AWS::Lambda::Function Code reference
 * (docs/runtime-semantics.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the inline source under `workDir`; returns the folder to use as the function's code. */
export function writeInlineCode(workDir: string, source: string): string {
  const dir = join(workDir, 'inline');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  writeFileSync(join(dir, 'index.js'), source);
  return dir;
}
