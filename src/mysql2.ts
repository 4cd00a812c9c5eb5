/**
 * `tracing-channel-span/mysql2`: spans for mysql2 (>= 3.20) statements and connects, from the
 * tracing channels the driver publishes. See {@link instrumentMysql2}.
 */
export { instrumentMysql2 } from './integrations/mysql2/instrument';
export { MYSQL2_TRACING_CHANNELS } from './integrations/mysql2/channels';
export type { Mysql2Instrumentation } from './integrations/mysql2/instrument';
export type { Mysql2InstrumentationOptions, ResolvedMysql2Options } from './integrations/mysql2/options';
