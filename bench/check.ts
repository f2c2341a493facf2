/**
 * Analyzer benchmark: the generated estate (bench/estate.ts; size 1 = 200 VPCs, 10,000 workloads,
 * 1,000 endpoints), checked end to end — load, model, full access matrix (trace + decision per
 * granted action), every rule, cost — then every report rendered. Prints the time of each phase,
 * the total, and peak RSS. Target: < 10 s and < 2 GB for size 1.
 * Usage: node --import tsx bench/check.ts [size=1]
 */
import { loadTemplateText } from '../src/cloudformation/load.ts';
import { checkLoaded } from '../src/analyze/check.ts';
import { renderJson } from '../src/analyze/report/json.ts';
import { renderSarif } from '../src/analyze/report/sarif.ts';
import { renderText } from '../src/analyze/report/text.ts';
import { RULES } from '../src/analyze/rules/registry.ts';
import { generateEstate } from './estate.ts';

type Json = Record<string, unknown>;

/**
 * The estate's roles grant nothing; the analyzer needs grants to build a matrix. Give every VPC a
 * bucket, a table, a secret and a key, and its workloads' role a least-privilege policy on them
 * (7 actions per workload). Even VPCs restrict the bucket to their S3 endpoint.
 */
function withDataLayer(estate: Json): Json {
  const resources = estate.Resources as Record<string, Json>;
  for (const id of Object.keys(resources)) {
    const match = /^(V\d+)Role$/.exec(id);
    if (!match || resources[id].Type !== 'AWS::IAM::Role') continue;
    const p = match[1];
    const v = Number(p.slice(1));
    resources[`${p}Data`] = { Type: 'AWS::S3::Bucket' };
    resources[`${p}Orders`] = {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      },
    };
    resources[`${p}Secret`] = { Type: 'AWS::SecretsManager::Secret', Properties: {} };
    resources[`${p}Key`] = { Type: 'AWS::KMS::Key', Properties: {} };
    if (v % 2 === 0) {
      resources[`${p}DataPolicy`] = {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: { Ref: `${p}Data` },
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: [{ 'Fn::GetAtt': [`${p}Data`, 'Arn'] }, { 'Fn::Sub': `\${${p}Data.Arn}/*` }],
                Condition: { StringNotEquals: { 'aws:SourceVpce': { Ref: `${p}Endpoints3` } } },
              },
            ],
          },
        },
      };
    }
    (resources[id].Properties as Json).Policies = [
      {
        PolicyName: 'data',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['s3:GetObject', 's3:PutObject'],
              Resource: { 'Fn::Sub': `\${${p}Data.Arn}/*` },
            },
            {
              Effect: 'Allow',
              Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
              Resource: { 'Fn::GetAtt': [`${p}Orders`, 'Arn'] },
            },
            { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: `${p}Secret` } },
            { Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [`${p}Key`, 'Arn'] } },
          ],
        },
      },
    ];
  }
  return estate;
}

const size = Number(process.argv[2] ?? '1');
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

let start = process.hrtime.bigint();
const text = JSON.stringify(withDataLayer(generateEstate(size)));
const generateMs = ms(start);

const total = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
start = process.hrtime.bigint();
const template = loadTemplateText(text, 'estate.json', { stackName: 'Estate' });
const loadMs = ms(start);

start = process.hrtime.bigint();
const result = checkLoaded([{ file: 'estate.json', template }]);
const checkMs = ms(start);

start = process.hrtime.bigint();
const json = renderJson(result);
const jsonMs = ms(start);
start = process.hrtime.bigint();
const sarif = renderSarif(result, RULES);
const sarifMs = ms(start);
start = process.hrtime.bigint();
const textReport = renderText(result, { color: false });
const textMs = ms(start);
const renderMs = jsonMs + sarifMs + textMs;
const totalMs = ms(total);
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;

const byId = new Map<string, number>();
for (const finding of result.findings) byId.set(finding.id, (byId.get(finding.id) ?? 0) + 1);
const failing = result.matrix.filter((row) => !row.reachable || row.decision !== 'allowed').length;
const peakRssMb = process.resourceUsage().maxRSS / 1024;

console.log(
  `estate (size ${size}): ${Object.keys(template.resources).length} resources, ${result.templates[0].workloads} workloads, template ${(text.length / 1e6).toFixed(1)} MB`,
);
console.log(`matrix: ${result.matrix.length} rows (${failing} that cannot succeed)`);
console.log(
  `findings: ${result.findings.length} — ${[...byId].map(([id, n]) => `${id} ${n}`).join(', ') || 'none'}`,
);
console.log(
  `cost as written: $${result.costs[0].estimate.asWritten.monthlyUsd.toFixed(2)}/month; all through NAT: $${result.costs[0].estimate.alternatives.allThroughNat.monthlyUsd.toFixed(2)}; interface for S3/DynamoDB: $${result.costs[0].estimate.alternatives.interfaceEndpointsForS3DynamoDb.monthlyUsd.toFixed(2)}`,
);
console.log(
  `reports: JSON ${(json.length / 1e6).toFixed(1)} MB, SARIF ${(sarif.length / 1e6).toFixed(1)} MB, text ${(textReport.length / 1e3).toFixed(0)} kB`,
);
console.log(`generate (not counted): ${generateMs.toFixed(0)} ms`);
console.log(
  `load: ${loadMs.toFixed(0)} ms; model + matrix + rules + cost: ${checkMs.toFixed(0)} ms; render: ${renderMs.toFixed(0)} ms (JSON ${jsonMs.toFixed(0)}, SARIF ${sarifMs.toFixed(0)}, text ${textMs.toFixed(0)})`,
);
console.log(
  `total: ${(totalMs / 1000).toFixed(2)} s wall, ${(cpuMs / 1000).toFixed(2)} s CPU (target < 10 s; CPU time is the figure that holds when the 2 cores are shared); peak RSS: ${peakRssMb.toFixed(0)} MB (target < 2048 MB)`,
);
