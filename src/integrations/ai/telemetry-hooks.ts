/**
 * Two hooks in the AI SDK's own telemetry-integration list, for what its `ai:telemetry` channel
 * does not publish about streamed calls (ai 7.0): the token usage and finish reason of a streamed
 * model call (`onLanguageModelCallEnd`), and a stream that fails mid-way (`onError`): for that
 * one the channel never reports the end of the `streamText` call.
 *
 * The list is the global array that `registerTelemetry()` of `ai` appends to; using it directly
 * keeps `ai` out of this package's imports. A call that passes its own `telemetry.integrations`
 * bypasses the global list: such calls get no streamed usage, and their spans end on a mid-stream
 * failure only at the stream deadline.
 */

const GLOBAL_INTEGRATIONS = 'AI_SDK_TELEMETRY_INTEGRATIONS';

/** The callbacks this integration registers (a subset of `Telemetry` in `ai`). */
export interface AiTelemetryHooks {
  onLanguageModelCallEnd(event: unknown): void;
  onError(event: unknown): void;
}

/** Adds `hooks` to the AI SDK's global telemetry integrations; returns the function that removes them. */
export function registerTelemetryHooks(hooks: AiTelemetryHooks): () => void {
  const global = globalThis as Record<string, unknown>;
  if (global[GLOBAL_INTEGRATIONS] === undefined) global[GLOBAL_INTEGRATIONS] = [];
  const list = global[GLOBAL_INTEGRATIONS];
  if (!Array.isArray(list)) return () => undefined;
  list.push(hooks);
  return () => {
    const current = global[GLOBAL_INTEGRATIONS];
    if (!Array.isArray(current)) return;
    const index = current.indexOf(hooks);
    if (index !== -1) current.splice(index, 1);
  };
}
