/**
 * The twin reads templates too, so it must handle every real-world template in shared/corpus: each
 * boots (parameters with no Default get stand-ins, resources the twin does not run are warned
 * about), writes twin.json, answers on its internet entry, and stops. Two of them name the AWS
 * managed key aws/secretsmanager explicitly, and one names a bucket by a parameter with no value:
 * both stopped `up` with a stack trace before.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTwin } from '../../src/twin/twin.ts';

// CI has shared/ beside the clone; the session has it at /work/shared.
const CORPUS = [resolve('../shared/corpus/templates'), '/work/shared/corpus/templates'].find((dir) =>
  existsSync(dir),
);

describe(
  'the twin on the corpus',
  { skip: CORPUS ? false : 'shared/corpus/templates not found beside the repository' },
  () => {
    const files = CORPUS ? readdirSync(CORPUS).filter((name) => /\.(ya?ml|json)$/.test(name)) : [];

    // What `up` must tell about a template, beyond booting it.
    const warnings: Record<string, RegExp> = {
      'route53-alb-s3-interface-endpoint.yaml':
        /parameter PrivateWebsiteDomainName has no Default; pass --param PrivateWebsiteDomainName=<value>; the twin uses stand-ins/,
    };

    for (const name of files) {
      it(`${name}: boots, writes twin.json, answers, stops`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'twin-corpus-'));
        try {
          const twin = await startTwin({
            templateFile: join(CORPUS ?? '', name),
            dataDir: dir,
            port: 0,
            seedDir: null,
          });
          try {
            assert.ok(existsSync(twin.stateFile));
            if (warnings[name]) assert.match(twin.boot.warnings.join('\n'), warnings[name]);
            // The internet entry serves: an unsigned request from outside gets an S3 error answer.
            const response = await fetch(`${twin.state.internet.endpoint}/any-bucket/any-key`);
            assert.ok(response.status >= 400 && response.status < 500, String(response.status));
            assert.match(await response.text(), /<Error><Code>\w+<\/Code>/);
          } finally {
            await twin.stop();
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  },
);
