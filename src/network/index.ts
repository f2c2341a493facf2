export { trace, type TraceOptions } from './trace.ts';
export type { Path, Hop, HopComponent, BlockedBy, RouteKind, PolicyPath, TraceTarget } from './path.ts';
export { type FlowRecord, FLOW_LOG_FIELDS } from './flow-logs.ts';
export { DEFAULT_LOG_FORMAT, formatFlowRecord, parseFlowRecord, parseLogFormat } from './flow-log-format.ts';
export { networkIndex } from './network-index.ts';
export { serviceHost, executeApiHost, parseAwsHost } from './hostnames.ts';
export { awsPrefixList, AWS_PREFIX_LISTS } from './aws-prefixes.ts';
