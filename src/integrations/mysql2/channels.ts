/** The tracing channels mysql2 (>= 3.20) publishes. */

/** Channel names, one per kind of call. */
export const MYSQL2_TRACING_CHANNELS = {
  query: 'mysql2:query',
  execute: 'mysql2:execute',
  connect: 'mysql2:connect',
  poolConnect: 'mysql2:pool:connect',
} as const;
