/**
 * Where a `streamText` span ends. The AI SDK reports the end of a streamed call on its channel
 * only once the stream has been consumed, and not at all when the stream fails mid-way (it tells
 * its telemetry integrations instead). So this integration ends these spans itself, exactly once,
 * at the first of: the channel's `asyncEnd` for the call, the SDK's `onError` for the call, or
 * the deadline (status `deadline_exceeded`).
 */
import type { Span, SpanAttributes } from '@sentry/core';
import { guard } from '../../core/guard';
import { markSpanDeadlineExceeded, markSpanError } from '../../core/span-error';
import { definedOnly } from './attribute-values';
import type { AiCallRegistry } from './call-registry';
import type { AiRecordingOptions } from './request-attributes';
import { streamedCallAttributesOf, streamedModelCallAttributesOf, stepFinishReasonOf } from './response-attributes';
import { numberOf, recordOf, stringOf } from './payload';

const DEADLINE = Symbol('deadline');

// Adapters for `guard` (which logs a throw and swallows it: nothing here reaches the traced call).
function endSpan(span: Span): void {
  span.end();
}

function setAttributes(span: Span, attributes: SpanAttributes): void {
  span.setAttributes(definedOnly(attributes));
}

function add(total: number | undefined, value: number | undefined): number | undefined {
  return value === undefined ? total : (total ?? 0) + value;
}

/** The `streamText` calls of one instrumentation: their spans' ends and their streamed totals. */
export class StreamedCalls {
  constructor(
    private readonly _calls: AiCallRegistry,
    private readonly _recording: AiRecordingOptions,
    private readonly _timeoutMs: number,
    /** Called after a streamed call closed. */
    private readonly _onClosed: () => void,
  ) {}

  /** A `streamText` call started with `span`: track it and arm its deadline. */
  start(callId: string, span: Span): void {
    const state = this._calls.open(callId, span, true);
    const timer = setTimeout(() => this.finish(callId, DEADLINE), this._timeoutMs);
    timer.unref?.();
    state.deadline = timer;
  }

  /** The call ended (`error` if it failed). Only the first report per call counts. */
  finish(callId: string | undefined, error?: unknown): void {
    const state = this._calls.get(callId);
    if (!state?.streaming) return;
    if (state.deadline !== undefined) clearTimeout(state.deadline);
    const timedOut = error === DEADLINE;
    if (timedOut) for (const pending of state.pending) guard('ai: deadline status', markSpanDeadlineExceeded, pending.span, undefined);
    // closes the call and ends its waiting model-call spans first (children before their parent)
    this._calls.close(callId, state.span, timedOut ? undefined : error);
    const span = state.span;
    const attributes = guard('ai: streamed call attributes', streamedCallAttributesOf, state, undefined);
    if (attributes) guard('ai: streamed call attributes', setAttributes, span, attributes);
    if (timedOut) guard('ai: deadline status', markSpanDeadlineExceeded, span, undefined);
    else if (error !== undefined) guard('ai: error status', markSpanError, span, error);
    guard('ai: span.end()', endSpan, span, undefined);
    this._onClosed();
  }

  /**
   * The SDK's `onLanguageModelCallEnd` for a streamed model call: usage, finish reason and
   * response metadata onto that model call's span (the one waiting for its step) and the totals.
   */
  modelCallEnded(event: unknown): void {
    const end = recordOf(event);
    const state = this._calls.get(stringOf(end?.callId));
    if (!end || !state?.streaming) return;
    const current = state.pending[state.pending.length - 1];
    const attributes = current && guard('ai: model call attributes', streamedModelCallAttributesOf, end, this._recording);
    if (current && attributes) guard('ai: model call attributes', setAttributes, current.span, attributes);
    const reason = stepFinishReasonOf(end);
    if (reason) state.finishReasons.push(reason);
    const usage = recordOf(end.usage);
    state.inputTokens = add(state.inputTokens, numberOf(usage?.inputTokens));
    state.outputTokens = add(state.outputTokens, numberOf(usage?.outputTokens));
    state.responseModel = stringOf(end.modelId) ?? state.responseModel;
    state.responseId = stringOf(end.responseId) ?? state.responseId;
  }
}

