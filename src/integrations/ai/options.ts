/** The options of `instrumentAiSdk()`, checked at setup. */
import { resolveSentryOverlapPolicy, type SentryOverlapPolicy } from '../sentry-overlap';

/** Options of {@link instrumentAiSdk}. */
export interface AiSdkInstrumentationOptions {
  /**
   * Record prompts: `gen_ai.input.messages`, `gen_ai.system_instructions`, tool definitions,
   * tool call arguments (`gen_ai.tool.call.arguments`) and embedding inputs. Default `false`.
   * Prompts often hold personal data: turn this on only where that is acceptable. The AI SDK's
   * own per-call `telemetry.recordInputs: false` still removes them at the source.
   */
  recordInputs?: boolean;
  /**
   * Record outputs: `gen_ai.output.messages` and tool results (`gen_ai.tool.call.result`).
   * Default `false`, for the same reason as `recordInputs`.
   */
  recordOutputs?: boolean;
  /**
   * How long a streamed call's spans wait for their stream to be consumed, in milliseconds,
   * before they end with status `deadline_exceeded`. Default 300000 (5 minutes). A stream that
   * nobody reads never finishes, so this is what eventually ends its spans.
   */
  streamTimeoutMs?: number;
  /**
   * When Sentry's own `VercelAI` integration (a default of `@sentry/node` 11 with tracing on)
   * traces `ai:telemetry` too: `'take-over'` (default) makes these spans and Sentry's none;
   * `'stand-down'` leaves the AI SDK to Sentry's. One `console.warn` says which.
   */
  onSentryIntegration?: SentryOverlapPolicy;
}

/** The options in force, defaults applied. */
export interface ResolvedAiSdkOptions {
  readonly recordInputs: boolean;
  readonly recordOutputs: boolean;
  readonly streamTimeoutMs: number;
  readonly onSentryIntegration: SentryOverlapPolicy;
}

const DEFAULT_STREAM_TIMEOUT_MS = 300_000;
const MAX_TIMER_MS = 2_147_483_647;

function flag(options: AiSdkInstrumentationOptions, key: 'recordInputs' | 'recordOutputs'): boolean {
  const value = options[key];
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`instrumentAiSdk: \`options.${key}\` must be a boolean, got ${typeof value}`);
  }
  return value === true;
}

/** Applies defaults; throws a `TypeError` naming the option for a value of the wrong kind. */
export function resolveAiSdkOptions(options: AiSdkInstrumentationOptions | undefined): ResolvedAiSdkOptions {
  if (options === undefined) {
    return { recordInputs: false, recordOutputs: false, streamTimeoutMs: DEFAULT_STREAM_TIMEOUT_MS, onSentryIntegration: 'take-over' };
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`instrumentAiSdk: \`options\` must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const timeout = options.streamTimeoutMs;
  if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0)) {
    throw new TypeError(`instrumentAiSdk: \`options.streamTimeoutMs\` must be a finite number > 0, got ${String(timeout)}`);
  }
  return {
    recordInputs: flag(options, 'recordInputs'),
    recordOutputs: flag(options, 'recordOutputs'),
    streamTimeoutMs: Math.min(timeout ?? DEFAULT_STREAM_TIMEOUT_MS, MAX_TIMER_MS),
    onSentryIntegration: resolveSentryOverlapPolicy('instrumentAiSdk', options.onSentryIntegration),
  };
}
