export { startPostgres } from './postgres-server.ts';
export type { PostgresOptions, RunningPostgres } from './postgres-server.ts';
