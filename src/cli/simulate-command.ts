/**
 * `securecart simulate <case.json> [--json]` and `securecart simulate --batch <cases.jsonl>`.
 * One case in, one decision out; in batch mode one decision (or `{"error": …}`) per input line, in order.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { UserError } from './user-error.ts';
import { evaluate } from '../policy/evaluate.ts';
import type { Decision } from '../policy/explain.ts';
import type { AuthorizationRequest } from '../policy/evaluate.ts';
import type { CompileCache } from '../policy/simulation-case.ts';
import { CaseError, parseCase } from '../policy/simulation-case.ts';

interface SimulateOptions {
  json?: boolean;
  batch?: string;
  failOnDeny?: boolean;
}

/** Decides one parsed JSON case (throws CaseError when malformed). Pass a cache to reuse compiled policies. */
export function simulateCase(raw: unknown, cache?: CompileCache): Decision {
  const { request, sets } = parseCase(raw, cache);
  return evaluate(request, sets);
}

/** A short human explanation of a decision. */
export function explainDecision(request: AuthorizationRequest, d: Decision): string {
  const head =
    d.decision === 'allowed'
      ? 'ALLOWED'
      : d.decision === 'explicit-deny'
        ? `DENIED (explicit deny in ${d.blockedBy.join(', ')} policy)`
        : `DENIED (implicit: no ${d.blockedBy.join(' / ')} policy allows it)`;
  const lines = [`${head}: ${request.principal} → ${request.action} on ${request.resource}`];
  for (const m of d.matched) {
    lines.push(
      `  ${m.effect.padEnd(5)} ${m.policy} statement ${m.statement}${m.sid ? ` (Sid ${m.sid})` : ''}`,
    );
  }
  if (d.matched.length === 0) lines.push('  no statement matched');
  return lines.join('\n');
}

function readCase(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read the case file (${(error as Error).message})`, { file });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError(`not valid JSON (${(error as Error).message}); a case is one JSON object`, { file });
  }
}

async function runBatch(file: string): Promise<number> {
  const input = createReadStream(file, 'utf8');
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => resolve());
    input.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    throw new UserError(`cannot read the batch file (${(error as Error).message})`, { file });
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  let out: string[] = [];
  let size = 0;
  let denials = 0;
  let lineNo = 0;
  const cache: CompileCache = new Map();
  const flush = async (): Promise<void> => {
    if (out.length === 0) return;
    const chunk = out.join('');
    out = [];
    size = 0;
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  };
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let result: string;
    try {
      const decision = simulateCase(JSON.parse(line), cache);
      if (decision.decision !== 'allowed') denials++;
      result = JSON.stringify(decision);
    } catch (error) {
      const message =
        error instanceof CaseError || error instanceof SyntaxError ? error.message : String(error);
      result = JSON.stringify({ error: `line ${lineNo}: ${message}` });
    }
    out.push(result, '\n');
    size += result.length;
    if (size > 1 << 16) await flush();
  }
  await flush();
  return denials;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'Decide an authorization case (identity, resource, endpoint, SCP, boundary, session policies) as AWS would.',
    )
    .argument('[case]', 'a JSON case file')
    .option('--json', 'print the decision as JSON')
    .option(
      '--batch <cases.jsonl>',
      'decide one case per line; print one JSON decision (or {"error": …}) per line',
    )
    .option('--fail-on-deny', 'exit 1 when a decision is not "allowed"')
    .action(async (caseFile: string | undefined, options: SimulateOptions) => {
      if (options.batch) {
        if (caseFile) throw new UserError('give either a case file or --batch <file>, not both');
        const denials = await runBatch(options.batch);
        if (options.failOnDeny && denials > 0) process.exitCode = 1;
        return;
      }
      if (!caseFile) throw new UserError('a case file is required (or --batch <cases.jsonl>)');
      const raw = readCase(caseFile);
      let parsed;
      try {
        parsed = parseCase(raw);
      } catch (error) {
        if (error instanceof CaseError)
          throw new UserError(`${error.message} — fix the case and retry`, {
            file: caseFile,
            pointer: `/${error.field.replace(/\.|\[/g, '/').replace(/\]/g, '')}`,
          });
        throw error;
      }
      const decision = evaluate(parsed.request, parsed.sets);
      console.log(options.json ? JSON.stringify(decision) : explainDecision(parsed.request, decision));
      if (options.failOnDeny && decision.decision !== 'allowed') process.exitCode = 1;
    });
}
