/**
 * `tracing-channel-span/ai`: spans for the AI SDK (`ai` v7) from its `ai:telemetry` TracingChannel.
 */
export { instrumentAiSdk } from './integrations/ai/instrument-ai-sdk';
export type { AiSdkInstrumentation, AiSdkInstrumentationOptions } from './integrations/ai/instrument-ai-sdk';
