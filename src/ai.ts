/**
 * `tracing-channel-span/ai`: spans for the AI SDK (`ai` v7) from its `ai:telemetry` TracingChannel.
 */
export { instrumentAiSdk } from './integrations/ai/instrument';
export type { AiSdkInstrumentation } from './integrations/ai/instrument';
export type { AiSdkInstrumentationOptions } from './integrations/ai/options';
