/**
 * `instrumentAiSdk()`: spans for the `ai` package's (v7) `ai:telemetry` TracingChannel.
 */
import { startInactiveSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { bindSpanToChannelStore, bindTracingChannelToSpan } from '../../core/bind';
import { globalSlot } from '../../core/global-slot';
import { guard, logDebug } from '../../core/guard';
import { arbitrateBindings, type SentryOverlapOwner } from '../sentry-overlap';
import { definedOnly } from './attribute-values';
import { AiCallRegistry } from './call-registry';
import { AI_TELEMETRY_CHANNEL } from './channels';
import { operationOf, spanNameOf, type AiOperation } from './operations';
import { resolveAiSdkOptions, type AiSdkInstrumentationOptions } from './options';
import { eventOf, recordOf, stringOf, type AiTelemetryEvent, type AiTelemetryMessage } from './payload';
import { requestAttributesOf, type AiRecordingOptions } from './request-attributes';
import { responseAttributesOf, stepAttributesOf, stepFinishReasonOf, toolErrorOf } from './response-attributes';
import { StreamedCalls } from './streamed-calls';
import { registerTelemetryHooks } from './telemetry-hooks';

/** The handle returned by {@link instrumentAiSdk}. */
export interface AiSdkInstrumentation extends Disposable {
  /** Who makes the AI SDK spans: `'ours'`, or `'sentry'` when this one stood down for Sentry's `VercelAI` integration. */
  readonly owner: SentryOverlapOwner;
  /** Stops making spans (idempotent). Spans already started still end when their calls complete. */
  unbind(): void;
}

const ORIGIN = 'auto.diagnostic_channels.ai';
/** One instrumentation per process, also across the ESM and CommonJS builds of this package. */
const slot = globalSlot('ai-instrumentation', (): { current: { handle: AiSdkInstrumentation; key: string } | undefined } => ({
  current: undefined,
}));

type Subscription = { unsubscribe(listener: (message: unknown) => void): unknown };

function subscribeAsyncEnd(channel: { subscribe(listener: (message: unknown) => void): unknown } | undefined, listener: (message: unknown) => void): Subscription | undefined {
  channel?.subscribe(listener);
  return channel as Subscription | undefined;
}

function unsubscribeAsyncEnd(channel: Subscription | undefined, listener: (message: unknown) => void): void {
  channel?.unsubscribe(listener);
}

function callIdOf(data: unknown): string | undefined {
  const record = recordOf(data);
  return record ? stringOf(recordOf(record.event)?.callId ?? record.callId) : undefined;
}

function createInstrumentation(options: ReturnType<typeof resolveAiSdkOptions>): AiSdkInstrumentation {
  const recording: AiRecordingOptions = { recordInputs: options.recordInputs, recordOutputs: options.recordOutputs };
  const { streamTimeoutMs } = options;
  const calls = new AiCallRegistry();
  let bound = true;
  // after unbind, keep listening until the calls already traced have ended
  const detachWhenIdle = (): void => {
    if (!bound && calls.size === 0) detach();
  };
  const streamed = new StreamedCalls(calls, recording, streamTimeoutMs, detachWhenIdle);

  // Adapters made once per instrumentation, so that `guard` needs no closure per call.
  const startAttributes = (operation: AiOperation, data: AiTelemetryMessage, event: AiTelemetryEvent | undefined) =>
    requestAttributesOf(operation, data, event, recording);
  const setEndAttributes = (span: Span, operation: AiOperation, result: unknown): void => {
    span.setAttributes(definedOnly(responseAttributesOf(operation, result, recording)));
  };

  const startSpan = (operation: AiOperation, data: AiTelemetryMessage): Span => {
    const event = guard('ai: reading the event', eventOf, data, undefined);
    const callId = guard('ai: reading the call id', callIdOf, data, undefined);
    const attributes = guard('ai: start attributes', startAttributes, operation, data, event) ?? {
      'gen_ai.operation.name': operation.operationName,
    };
    attributes['sentry.origin'] = ORIGIN;
    // Model calls and tools belong to their generate/stream call, whatever context the SDK runs them in.
    const parentSpan = operation.kind === 'agent' ? undefined : calls.get(callId)?.span;
    const span = startInactiveSpan({
      name: guard('ai: span name', spanNameOf, operation, event) ?? operation.operationName,
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
    guard('ai: end attributes', setEndAttributes, span, operation, data.result);
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

  const onStepOrStreamEnd = (message: unknown): void => {
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
  };
  const onAsyncEnd = (message: unknown): void => {
    guard('ai: call end', onStepOrStreamEnd, message, undefined);
  };
  const modelCallEnded = (event: unknown): void => streamed.modelCallEnded(event);
  const streamFailed = (event: unknown): void => streamed.finish(callIdOf(event), recordOf(event)?.error ?? 'stream failed');

  const unregisterHooks = registerTelemetryHooks({
    onLanguageModelCallEnd: (event) => guard('ai: model call end', modelCallEnded, event, undefined),
    onError: (event) => guard('ai: stream error', streamFailed, event, undefined),
  });
  const binding = bindTracingChannelToSpan<AiTelemetryMessage>(AI_TELEMETRY_CHANNEL, getSpan, {
    beforeSpanEnd,
    deferSpanEnd,
    deferTimeoutMs: streamTimeoutMs,
    sampledOnly: true,
  });
  const streamBinding = bindSpanToChannelStore<AiTelemetryMessage>(AI_TELEMETRY_CHANNEL, getStreamSpan);
  const asyncEnd = guard('ai: subscribing to call ends', subscribeAsyncEnd, binding.channel?.asyncEnd, onAsyncEnd);

  let detached = false;
  function detach(): void {
    if (detached) return;
    detached = true;
    guard('ai: unsubscribing from call ends', unsubscribeAsyncEnd, asyncEnd, onAsyncEnd);
    guard('ai: removing the telemetry hooks', unregisterHooks, undefined, undefined);
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
 * publishes only while somebody listens, so calling this is what turns it on. Throws a `TypeError`
 * naming the option for an option of the wrong kind; never throws afterwards. Next to Sentry's own
 * `vercelAIIntegration` each call is still traced once: see `onSentryIntegration`.
 */
export function instrumentAiSdk(options?: AiSdkInstrumentationOptions): AiSdkInstrumentation {
  const resolved = resolveAiSdkOptions(options);
  const key = JSON.stringify(resolved);
  const existing = slot.current;
  if (existing) {
    if (existing.key === key) return existing.handle;
    logDebug('instrumentAiSdk: called again with other options; rebinding with the new ones');
    existing.handle.unbind();
  }
  const overlap = arbitrateBindings(
    { integration: 'instrumentAiSdk', sentryIntegrations: ['VercelAI'], channels: [AI_TELEMETRY_CHANNEL], policy: resolved.onSentryIntegration },
    () => [createInstrumentation(resolved)],
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
      if (slot.current?.handle === handle) slot.current = undefined;
    },
    [Symbol.dispose](): void {
      handle.unbind();
    },
  };
  slot.current = { handle, key };
  return handle;
}
