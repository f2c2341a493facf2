/**
 * Synthesize SecureCart offline: `npm run synth` (or `securecart synth`) writes
 * `<outdir>/SecureCart.template.json`; no AWS account, no lookups.
 * As a script: `node --import tsx infra/bin/synth.ts [outdir]` (default cdk.out) prints the path.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../lib/app.ts';
import { STACK_NAME } from '../lib/securecart-stack.ts';

export function templatePath(outdir = 'cdk.out'): string {
  return join(outdir, `${STACK_NAME}.template.json`);
}

export function synthesize(outdir = 'cdk.out'): string {
  const { app } = buildApp(outdir);
  app.synth();
  return templatePath(outdir);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(synthesize(process.argv[2] ?? 'cdk.out'));
}
