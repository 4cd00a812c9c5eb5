/**
 * `instrumentAiSdk()`: spans for the `ai` package's (v7) `ai:telemetry` TracingChannel.
 */
import { debug, startInactiveSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { bindSpanToChannelStore, bindTracingChannelToSpan } from '../../index';
import { definedOnly } from './ai-attribute-values';
import { AiCallRegistry } from './ai-call-registry';
import { operationOf, spanNameOf, type AiOperation } from './ai-operations';
import { requestAttributesOf, type AiRecordingOptions } from './ai-request-attributes';
import { responseAttributesOf, stepAttributesOf, stepFinishReasonOf, toolErrorOf } from './ai-response-attributes';
import { StreamedCalls } from './ai-streamed-calls';
import { registerTelemetryHooks } from './ai-telemetry-hooks';
import { AI_TELEMETRY_CHANNEL, eventOf, recordOf, stringOf, type AiTelemetryMessage } from './ai-telemetry-message';
import { arbitrateSentryOverlap, resolveSentryOverlapPolicy, type SentryOverlapOwner, type SentryOverlapPolicy } from '../sentry-overlap';

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

/** The handle returned by {@link instrumentAiSdk}. */
export interface AiSdkInstrumentation extends Disposable {
  /** Who makes the AI SDK spans: `'ours'`, or `'sentry'` when this one stood down for Sentry's `VercelAI` integration. */
  readonly owner: SentryOverlapOwner;
  /** Stops making spans (idempotent). Spans already started still end when their calls complete. */
  unbind(): void;
}

const ORIGIN = 'auto.diagnostic_channels.ai';
const DEFAULT_STREAM_TIMEOUT_MS = 300_000;
const MAX_TIMER_MS = 2_147_483_647;
/** One instrumentation per process, also across the ESM and CommonJS builds of this package. */
const SLOT = Symbol.for('tracing-channel-span.ai.instrumentation');

type Slot = { [SLOT]?: { handle: AiSdkInstrumentation; key: string } };
type Subscription = { unsubscribe(listener: (message: unknown) => void): unknown };

/** Code on the event path: a throw is logged and swallowed, never seen by the traced call. */
function safely<T>(what: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (error) {
    try {
      debug.log(`[tracing-channel-span] ai: ${what} failed; skipped`, error);
    } catch {
      // a broken logger must not break the traced call
    }
    return fallback;
  }
}

function callIdOf(data: unknown): string | undefined {
  const record = recordOf(data);
  return record ? stringOf(recordOf(record.event)?.callId ?? record.callId) : undefined;
}

function streamTimeoutOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? Math.min(value, MAX_TIMER_MS)
    : DEFAULT_STREAM_TIMEOUT_MS;
}

function createInstrumentation(options: AiSdkInstrumentationOptions): AiSdkInstrumentation {
  const recording: AiRecordingOptions = {
    recordInputs: options.recordInputs === true,
    recordOutputs: options.recordOutputs === true,
  };
  const streamTimeoutMs = streamTimeoutOf(options.streamTimeoutMs);
  const calls = new AiCallRegistry();
  let bound = true;
  // after unbind, keep listening until the calls already traced have ended
  const detachWhenIdle = (): void => {
    if (!bound && calls.size === 0) detach();
  };
  const streamed = new StreamedCalls(calls, recording, streamTimeoutMs, detachWhenIdle);

  const startSpan = (operation: AiOperation, data: AiTelemetryMessage): Span => {
    const event = safely('reading the event', () => eventOf(data), undefined);
    const callId = safely('reading the call id', () => callIdOf(data), undefined);
    const attributes = safely('start attributes', () => requestAttributesOf(operation, data, event, recording), {
      'gen_ai.operation.name': operation.operationName,
    });
    attributes['sentry.origin'] = ORIGIN;
    // Model calls and tools belong to their generate/stream call, whatever context the SDK runs them in.
    const parentSpan = operation.kind === 'agent' ? undefined : calls.get(callId)?.span;
    const span = startInactiveSpan({
      name: safely('span name', () => spanNameOf(operation, event), operation.operationName),
      op: operation.op,
      attributes: definedOnly(attributes),
      ...(parentSpan ? { parentSpan } : {}),
    });
    if (operation.kind === 'agent' && callId !== undefined) {
      if (data.type === 'streamText') streamed.start(callId, span);
      else calls.open(callId, span, false);
    }
    return span;
  };

  // Spans whose end the channel reports reliably: everything but `streamText` (and `step`).
  const getSpan = (data: AiTelemetryMessage): Span | undefined => {
    const operation = operationOf(data.type);
    return operation && data.type !== 'streamText' ? startSpan(operation, data) : undefined;
  };
  // `streamText`: the channel only provides the context; StreamedCalls ends the span.
  const getStreamSpan = (data: AiTelemetryMessage): Span | undefined => {
    const operation = data.type === 'streamText' ? operationOf(data.type) : undefined;
    return operation ? startSpan(operation, data) : undefined;
  };

  const beforeSpanEnd = (span: Span, data: AiTelemetryMessage): void => {
    const operation = operationOf(data.type);
    if (!operation) return;
    safely('end attributes', () => span.setAttributes(definedOnly(responseAttributesOf(operation, data.result, recording))), undefined);
    if (operation.kind === 'agent' && calls.close(callIdOf(data), span, data.error)) detachWhenIdle();
  };

  const deferSpanEnd = ({ span, data, end }: { span: Span; data: AiTelemetryMessage; end: (error?: unknown) => void }): boolean => {
    if (data.type === 'languageModelCall' && data.error === undefined) {
      // A streamed model call returns before its stream is read: it ends when its step ends.
      const call = calls.get(callIdOf(data));
      if (!call?.streaming) return false;
      call.pending.push({ span, end });
      return true;
    }
    if (data.type === 'executeTool') {
      // A throwing tool resolves with a `tool-error` output: the span still fails.
      const toolError = toolErrorOf(data.result);
      if (!toolError) return false;
      end(toolError.error ?? 'tool execution failed');
      return true;
    }
    return false;
  };

  const onAsyncEnd = (message: unknown): void => {
    safely('call end', () => {
      const data = message as AiTelemetryMessage;
      if (data.type === 'streamText') {
        streamed.finish(callIdOf(data), data.error);
        return;
      }
      if (data.type !== 'step') return;
      // A step has no span of its own: what it reports goes onto its call's span.
      const callId = callIdOf(data);
      const call = calls.get(callId);
      if (!call) return;
      const reason = stepFinishReasonOf(data.result);
      if (reason) call.finishReasons.push(reason);
      if (!call.streaming) call.span.setAttributes(definedOnly(stepAttributesOf(data.result, call.finishReasons)));
      calls.endPending(callId, data.error);
    }, undefined);
  };

  const unregisterHooks = registerTelemetryHooks({
    onLanguageModelCallEnd: (event) => safely('model call end', () => streamed.modelCallEnded(event), undefined),
    onError: (event) =>
      safely('stream error', () => streamed.finish(callIdOf(event), recordOf(event)?.error ?? 'stream failed'), undefined),
  });
  const binding = bindTracingChannelToSpan<AiTelemetryMessage>(AI_TELEMETRY_CHANNEL, getSpan, {
    beforeSpanEnd,
    deferSpanEnd,
    deferTimeoutMs: streamTimeoutMs,
  });
  const streamBinding = bindSpanToChannelStore<AiTelemetryMessage>(AI_TELEMETRY_CHANNEL, getStreamSpan);
  const asyncEnd = safely('subscribing to call ends', () => {
    const channel = binding.channel?.asyncEnd;
    channel?.subscribe(onAsyncEnd);
    return channel as Subscription | undefined;
  }, undefined);

  let detached = false;
  function detach(): void {
    if (detached) return;
    detached = true;
    safely('unsubscribing from call ends', () => asyncEnd?.unsubscribe(onAsyncEnd), undefined);
    safely('removing the telemetry hooks', unregisterHooks, undefined);
  }

  const handle: AiSdkInstrumentation = {
    owner: 'ours',
    unbind(): void {
      if (!bound) return;
      bound = false;
      binding.unbind();
      streamBinding.unbind();
      detachWhenIdle();
    },
    [Symbol.dispose](): void {
      handle.unbind();
    },
  };
  return handle;
}

/**
 * Traces the AI SDK (`ai` v7) through its `ai:telemetry` TracingChannel: one span per
 * `generateText` / `streamText` call (`gen_ai.invoke_agent`), per model call (`gen_ai.chat`,
 * `chat <model>`), per tool execution (`gen_ai.execute_tool`, `execute_tool <tool>`) and per
 * `embed` / `embedMany` (`gen_ai.embeddings`), with OpenTelemetry GenAI attributes (provider,
 * models, token usage, finish reasons). Steps add their attributes to their call's span. Streamed
 * calls end when their stream has been consumed or has failed. Prompts and outputs are recorded
 * only with `recordInputs` / `recordOutputs`.
 *
 * Idempotent: calling this again with the same options returns the same handle; with other
 * options it rebinds with the new ones (a debug line says so). Needs no import of `ai`: the AI SDK
 * publishes only while somebody listens, so calling this is what turns it on. Next to Sentry's own
 * `vercelAIIntegration` each call is still traced once: see `onSentryIntegration`.
 */
export function instrumentAiSdk(options: AiSdkInstrumentationOptions = {}): AiSdkInstrumentation {
  const opts = options ?? {};
  const policy = resolveSentryOverlapPolicy('instrumentAiSdk', opts.onSentryIntegration);
  const key = JSON.stringify([opts.recordInputs === true, opts.recordOutputs === true, streamTimeoutOf(opts.streamTimeoutMs), policy]);
  const slot = globalThis as Slot;
  const existing = slot[SLOT];
  if (existing) {
    if (existing.key === key) return existing.handle;
    safely('rebinding', () => debug.log('[tracing-channel-span] instrumentAiSdk: called again with other options; rebinding with the new ones'), undefined);
    existing.handle.unbind();
  }
  let inner: AiSdkInstrumentation | undefined;
  const overlap = arbitrateSentryOverlap(
    { integration: 'instrumentAiSdk', sentryIntegrations: ['VercelAI'], channels: [AI_TELEMETRY_CHANNEL], policy },
    { bind: () => void (inner = createInstrumentation(opts)), unbind: () => inner?.unbind() },
  );
  let unbound = false;
  const handle: AiSdkInstrumentation = {
    get owner() {
      return overlap.owner;
    },
    unbind(): void {
      if (unbound) return;
      unbound = true;
      overlap.unbind();
      if (slot[SLOT]?.handle === handle) delete slot[SLOT];
    },
    [Symbol.dispose](): void {
      handle.unbind();
    },
  };
  slot[SLOT] = { handle, key };
  return handle;
}
