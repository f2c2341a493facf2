/**
 * `securecart trace` end to end: exit 0 reachable, 1 blocked, 2 bad input (an unknown workload
 * lists the workloads); --json prints the Path.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = 'test/fixtures/templates/network/interface-endpoint.json';

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'trace', ...args], {
    cwd: root,
    encoding: 'utf8',
    // Plain text: picocolors turns colours on whenever CI is set, as it is in CI runs.
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('securecart trace', () => {
  it('exit 0 and a JSON path when reachable', () => {
    const result = run(fixture, '--from', 'PaymentFunction', '--to', 'secretsmanager', '--json');
    assert.equal(result.status, 0, result.stderr);
    const path = JSON.parse(result.stdout) as {
      reachable: boolean;
      route: string;
      via: string;
      hops: unknown[];
    };
    assert.equal(path.reachable, true);
    assert.equal(path.route, 'interface-endpoint');
    assert.equal(path.via, 'SecretsEndpoint');
  });

  it('exit 1 and a readable hop list naming the blocking rule when blocked', () => {
    const result = run(
      fixture,
      '--from',
      'ProductFunction',
      '--to',
      'secretsmanager',
      '--param',
      'PrivateDns=true',
    );
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /✗ security-group-ingress/);
    assert.match(result.stdout, /BLOCKED by security-group-ingress EndpointSg/);
  });

  it('exit 2 for an unknown workload, listing the workloads', () => {
    const result = run(fixture, '--from', 'Nope', '--to', 's3');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /workloads: PaymentFunction \(lambda\), ProductFunction \(lambda\)/);
  });
});
