/**
 * The shape of what the `ai` package (v7) publishes on its `ai:telemetry` TracingChannel, as far
 * as this integration reads it. Declared here, structurally, so that nothing of `ai` is imported.
 * Every field is optional on purpose: payloads are read defensively, never trusted.
 */

/** What one traced AI SDK operation publishes: `{ type, event }`, then `result` or `error`. */
export interface AiTelemetryMessage {
  readonly type?: string;
  readonly event?: AiTelemetryEvent;
  readonly result?: unknown;
  readonly error?: unknown;
}

/** The union of the `event` fields this integration reads, over every message type. */
export interface AiTelemetryEvent {
  /** Shared by a generate/stream call and all its steps, model calls and tool executions. */
  readonly callId?: string;
  readonly operationId?: string;
  readonly provider?: string;
  readonly modelId?: string;
  readonly functionId?: string;
  readonly instructions?: unknown;
  readonly messages?: unknown;
  readonly tools?: unknown;
  readonly maxOutputTokens?: unknown;
  readonly temperature?: unknown;
  readonly topP?: unknown;
  readonly topK?: unknown;
  readonly presencePenalty?: unknown;
  readonly frequencyPenalty?: unknown;
  readonly stopSequences?: unknown;
  readonly seed?: unknown;
  /** `embed`: one value; `embedMany`: the values. */
  readonly value?: unknown;
  /** `executeTool`. */
  readonly toolCall?: { readonly toolCallId?: unknown; readonly toolName?: unknown; readonly input?: unknown };
  /** `step`. */
  readonly stepNumber?: unknown;
}

/** Reads `event` of a payload, or `undefined` when it is not an object (or reading throws). */
export function eventOf(data: AiTelemetryMessage): AiTelemetryEvent | undefined {
  const event = data.event;
  return typeof event === 'object' && event !== null ? event : undefined;
}

/** `value` when it is a non-empty string, else `undefined`. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `value` when it is a finite number, else `undefined`. */
export function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `value` when it is a non-null object (not an array), else `undefined`. */
export function recordOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
