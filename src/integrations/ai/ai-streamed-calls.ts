/**
 * Where a `streamText` span ends. The AI SDK reports the end of a streamed call on its channel
 * only once the stream has been consumed, and not at all when the stream fails mid-way (it tells
 * its telemetry integrations instead). So this integration ends these spans itself, exactly once,
 * at the first of: the channel's `asyncEnd` for the call, the SDK's `onError` for the call, or
 * the deadline (status `deadline_exceeded`).
 */
import type { Span } from '@sentry/core';
import { markSpanDeadlineExceeded, markSpanError } from '../../span-error';
import { definedOnly } from './ai-attribute-values';
import type { AiCallRegistry } from './ai-call-registry';
import type { AiRecordingOptions } from './ai-request-attributes';
import { streamedCallAttributesOf, streamedModelCallAttributesOf, stepFinishReasonOf } from './ai-response-attributes';
import { numberOf, recordOf, stringOf } from './ai-telemetry-message';

const DEADLINE = Symbol('deadline');

function attempt(fn: () => void): void {
  try {
    fn();
  } catch {
    // attribute and status code on the event path never throws at the traced call
  }
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
    if (timedOut) for (const pending of state.pending) attempt(() => markSpanDeadlineExceeded(pending.span));
    // closes the call and ends its waiting model-call spans first (children before their parent)
    this._calls.close(callId, state.span, timedOut ? undefined : error);
    const span = state.span;
    attempt(() => span.setAttributes(definedOnly(streamedCallAttributesOf(state))));
    if (timedOut) attempt(() => markSpanDeadlineExceeded(span));
    else if (error !== undefined) attempt(() => markSpanError(span, error));
    attempt(() => span.end());
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
    if (current) attempt(() => current.span.setAttributes(definedOnly(streamedModelCallAttributesOf(end, this._recording))));
    const reason = stepFinishReasonOf(end);
    if (reason) state.finishReasons.push(reason);
    const usage = recordOf(end.usage);
    state.inputTokens = add(state.inputTokens, numberOf(usage?.inputTokens));
    state.outputTokens = add(state.outputTokens, numberOf(usage?.outputTokens));
    state.responseModel = stringOf(end.modelId) ?? state.responseModel;
    state.responseId = stringOf(end.responseId) ?? state.responseId;
  }
}

