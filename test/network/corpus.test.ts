/**
 * Every real-world template of the shared corpus loads, models, and traces every workload to S3
 * without throwing; every path is well formed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadTemplate } from '../../src/cloudformation/load.ts';
import { buildModel } from '../../src/model/index.ts';
import { trace } from '../../src/network/index.ts';

const corpus = fileURLToPath(new URL('../../../shared/corpus/templates/', import.meta.url));

describe('corpus templates: model + trace every workload to s3', () => {
  const files = readdirSync(corpus).filter((name) => /\.(json|ya?ml)$/.test(name));
  it('the corpus is there', () =>
    assert.ok(files.length >= 10, `found ${files.length} templates in ${corpus}`));
  for (const file of files) {
    it(file, () => {
      const model = buildModel(loadTemplate(`${corpus}${file}`));
      assert.ok(model.template.resources && Object.keys(model.template.resources).length > 0);
      for (const workload of model.workloads) {
        const path = trace(model, workload.logicalId, { service: 's3' });
        assert.equal(path.from.workload, workload.logicalId);
        assert.equal(typeof path.reachable, 'boolean');
        assert.ok(path.hops.length > 0);
        assert.equal(
          path.reachable,
          path.blockedBy === null,
          `${workload.logicalId}: ${path.blockedBy?.reason}`,
        );
        if (path.reachable) assert.notEqual(path.route, 'none');
      }
    });
  }

  it('recognises the workloads and endpoints the corpus is known to contain', () => {
    const model = buildModel(loadTemplate(`${corpus}secrets-lambda-interface-endpoint.yaml`));
    const path = trace(model, 'DBInitFunction', { service: 'secretsmanager' });
    assert.equal(path.route, 'interface-endpoint');
    assert.equal(path.via, 'SecretsVPCEndpoint');
    const ecs = buildModel(loadTemplate(`${corpus}sqs-ecs-fargate-endpoints.yaml`));
    assert.equal(trace(ecs, 'ECSService', { service: 's3' }).route, 'gateway-endpoint');
  });
});
