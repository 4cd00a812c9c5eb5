/**
 * `tracing-channel-span/nitro`: Sentry spans for srvx 1 and h3 2 (Nitro 3's server stack) from
 * their TracingChannels. See {@link instrumentNitro}.
 */
export { instrumentNitro } from './integrations/nitro/instrument-nitro';
export type { NitroInstrumentation, NitroInstrumentationOptions } from './integrations/nitro/instrument-nitro';
