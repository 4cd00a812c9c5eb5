/**
 * `tracing-channel-span/nitro`: Sentry spans for srvx 1 and h3 2 (Nitro 3's server stack) from
 * their TracingChannels. See {@link instrumentNitro}.
 */
export { instrumentNitro } from './integrations/nitro/instrument';
export type { NitroInstrumentation } from './integrations/nitro/instrument';
export type { NitroInstrumentationOptions } from './integrations/nitro/options';
