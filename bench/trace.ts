/**
 * Tracer benchmark: generate the estate (bench/estate.ts), load it, build the model, then trace
 * every workload to every estate service. Prints load time, traces per second and peak RSS.
 * Usage: node --import tsx bench/trace.ts [size=1]
 */
import { loadTemplateText } from '../src/cloudformation/load.ts';
import { buildModel } from '../src/model/index.ts';
import { networkIndex, trace } from '../src/network/index.ts';
import { ESTATE_SERVICES, generateEstate } from './estate.ts';

const size = Number(process.argv[2] ?? '1');
let peakRss = process.memoryUsage().rss;
const sample = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
const timer = setInterval(sample, 20);
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

let start = process.hrtime.bigint();
const text = JSON.stringify(generateEstate(size));
const generateMs = ms(start);

const cpuMs = (before: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};
let cpuStart = process.cpuUsage();
start = process.hrtime.bigint();
const template = loadTemplateText(text, 'estate.json', { stackName: 'Estate' });
const loadMs = ms(start);
const loadCpuMs = cpuMs(cpuStart);
sample();
cpuStart = process.cpuUsage();

start = process.hrtime.bigint();
const model = buildModel(template);
networkIndex(model);
const modelMs = ms(start);
const modelCpuMs = cpuMs(cpuStart);
sample();

const rules = [...model.securityGroups.values()].reduce(
  (sum, group) => sum + group.ingress.length + (group.egressDefaulted ? 0 : group.egress.length),
  0,
);
console.log(
  `estate: ${Object.keys(template.resources).length} resources, ${model.vpcs.size} VPCs, ${model.subnets.size} subnets, ${model.workloads.length} workloads, ${model.vpcEndpoints.size} endpoints, ${rules} SG rules (template ${(text.length / 1e6).toFixed(1)} MB)`,
);

start = process.hrtime.bigint();
const cpuBefore = process.cpuUsage();
let reachable = 0;
const routes = new Map<string, number>();
for (const workload of model.workloads) {
  for (const service of ESTATE_SERVICES) {
    const path = trace(model, workload.logicalId, { service }, 443, { now: 1_700_000_000 });
    if (path.reachable) reachable += 1;
    const key = path.reachable ? path.route : `blocked:${path.blockedBy?.component}`;
    routes.set(key, (routes.get(key) ?? 0) + 1);
  }
  if (reachable % 1000 === 0) sample();
}
const traceMs = ms(start);
const cpu = process.cpuUsage(cpuBefore);
const traceCpuMs = (cpu.user + cpu.system) / 1000;
sample();
clearInterval(timer);
const traces = model.workloads.length * ESTATE_SERVICES.length;

console.log(`generate: ${generateMs.toFixed(0)} ms`);
console.log(`load (loader): ${loadMs.toFixed(0)} ms wall, ${loadCpuMs.toFixed(0)} ms CPU`);
console.log(`model + network index: ${modelMs.toFixed(0)} ms wall, ${modelCpuMs.toFixed(0)} ms CPU`);
console.log(
  `trace: ${traces} traces in ${traceMs.toFixed(0)} ms wall (${traceCpuMs.toFixed(0)} ms CPU) = ${Math.round(traces / (traceMs / 1000))} traces/s wall, ${Math.round(traces / (traceCpuMs / 1000))} traces/s CPU (${reachable} reachable)`,
);
console.log(`outcomes: ${[...routes].map(([key, count]) => `${key} ${count}`).join(', ')}`);
console.log(
  `total load + model + trace: ${(loadMs + modelMs + traceMs).toFixed(0)} ms; peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`,
);
