/**
 * Per-call state of an AI SDK generate/stream call, keyed by the `callId` its steps, model calls
 * and tool executions share: the call's span (steps put their attributes on it; model calls and
 * tools are parented to it), the streamed model calls whose spans wait for their step to end, and
 * what the streamed model calls reported (the channel publishes no usage for streams).
 */
import type { Span } from '@sentry/core';

/** A streamed model call's span, waiting for its step (or its whole call) to finish. */
export interface PendingModelCall {
  readonly span: Span;
  readonly end: (error?: unknown) => void;
}

/** One open generate/stream call. */
export interface AiCallState {
  readonly span: Span;
  /** Whether this is a `streamText` call (its model calls end when their step ends, not when they return). */
  readonly streaming: boolean;
  /** Finish reason of each step / model call so far, in order. */
  readonly finishReasons: string[];
  /** Streamed model calls waiting to end. */
  readonly pending: PendingModelCall[];
  /** Token usage summed over the streamed model calls. */
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  /** Response metadata of the latest streamed model call. */
  responseModel: string | undefined;
  responseId: string | undefined;
  /** Streamed calls: the timer that ends the call if its stream is never finished. */
  deadline: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Most calls tracked at once. Every call is closed when it ends (streamed calls at the latest by
 * their deadline); the cap only bounds memory if a publisher misbehaves. Past it, the oldest call
 * is forgotten (its own spans still end).
 */
const MAX_OPEN_CALLS = 1000;

function endAll(state: AiCallState, error: unknown): void {
  const pending = state.pending.splice(0);
  for (const call of pending) call.end(error);
}

/** The open generate/stream calls of one instrumentation. */
export class AiCallRegistry {
  private readonly _calls = new Map<string, AiCallState>();

  /** How many calls are open. */
  get size(): number {
    return this._calls.size;
  }

  /** Starts tracking a call. */
  open(callId: string, span: Span, streaming: boolean): AiCallState {
    if (this._calls.size >= MAX_OPEN_CALLS) {
      const oldest = this._calls.keys().next();
      if (!oldest.done) this._calls.delete(oldest.value);
    }
    const state: AiCallState = {
      span,
      streaming,
      finishReasons: [],
      pending: [],
      inputTokens: undefined,
      outputTokens: undefined,
      responseModel: undefined,
      responseId: undefined,
      deadline: undefined,
    };
    this._calls.set(callId, state);
    return state;
  }

  /** The open call with that id, if any. */
  get(callId: string | undefined): AiCallState | undefined {
    return callId === undefined ? undefined : this._calls.get(callId);
  }

  /** A step finished: end the streamed model calls that were waiting for it. */
  endPending(callId: string | undefined, error?: unknown): void {
    const state = this.get(callId);
    if (state) endAll(state, error);
  }

  /**
   * The call with that id and span finished (`error` if it failed): end what still waits, stop
   * tracking it. Returns its state, or `undefined` when it was not (or no longer) open.
   */
  close(callId: string | undefined, span: Span, error?: unknown): AiCallState | undefined {
    const state = this.get(callId);
    if (!state || state.span !== span) return undefined;
    this._calls.delete(callId as string);
    endAll(state, error);
    return state;
  }
}
