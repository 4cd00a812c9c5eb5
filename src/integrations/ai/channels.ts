/** The tracing channel the AI SDK (`ai` v7) publishes on. */

/** `AI_SDK_TELEMETRY_TRACING_CHANNEL` in `ai`. */
export const AI_TELEMETRY_CHANNEL = 'ai:telemetry';
