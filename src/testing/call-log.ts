/**
 * The checker's record of every traced call it saw: one entry per `start`, the events that
 * followed, and the problems found, judged against the orders Node's own `traceSync`,
 * `tracePromise` and `traceCallback` produce on Node 20–26.
 */
import type { TracingChannelProblem, TracingChannelRule } from './types';

/** A sub-channel event. */
export type TraceEvent = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';

/** How `end` left the payload, as SPEC rule 2 reads it. */
type EndOutcome = 'error' | 'result' | 'thenable' | 'none';

/** One traced call. */
export interface CallRecord {
  readonly index: number;
  readonly events: TraceEvent[];
  ended: boolean;
  endOutcome: EndOutcome;
  asyncOpen: boolean;
  asyncEnded: boolean;
  readonly found: Array<[TracingChannelRule, string]>;
}

const MAX_EVENTS_SHOWN = 16;

function hasOwn(data: object, key: string): boolean {
  try {
    return Object.prototype.hasOwnProperty.call(data, key);
  } catch {
    return false;
  }
}

function isThenable(value: unknown): boolean {
  try {
    return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

function outcomeAtEnd(data: object): EndOutcome {
  if (hasOwn(data, 'error')) return 'error';
  if (!hasOwn(data, 'result')) return 'none';
  try {
    return isThenable((data as { result?: unknown }).result) ? 'thenable' : 'result';
  } catch {
    return 'none';
  }
}

/** The calls of one check, keyed by payload object. */
export class CallLog {
  readonly calls: CallRecord[] = [];
  /** The calls made on each payload object, oldest first (several only when a publisher reuses one). */
  private readonly _byPayload = new Map<object, CallRecord[]>();
  private readonly _loose: Array<[TracingChannelRule, string]> = [];

  constructor(private readonly _channelName: string) {}

  /** Adds a problem to `call` (once per rule and call), or to the check as a whole. */
  report(call: CallRecord | undefined, rule: TracingChannelRule, detail: string): void {
    if (call === undefined) {
      this._loose.push([rule, detail]);
      return;
    }
    if (!call.found.some(([seen]) => seen === rule)) call.found.push([rule, detail]);
  }

  /** A `start` on `data`: a new call. */
  start(data: object): CallRecord {
    const call: CallRecord = {
      index: this.calls.length,
      events: ['start'],
      ended: false,
      endOutcome: 'none',
      asyncOpen: false,
      asyncEnded: false,
      found: [],
    };
    this.calls.push(call);
    const previous = this._byPayload.get(data)?.find((earlier) => !this.isComplete(earlier));
    this._byPayload.set(data, [...(previous === undefined ? [] : this._byPayload.get(data)!), call]);
    if (previous !== undefined) {
      this.report(
        call,
        'order',
        `start on the payload object of call #${previous.index}, which has not completed: subscribers keep per-call state by payload object, so the two calls get mixed up (use one fresh payload object per call)`,
      );
    }
    return call;
  }

  /**
   * The call an `event` on `data` belongs to, if any: the oldest call on that payload still
   * waiting for it (payloads shared by overlapping calls), else the latest one.
   */
  callOf(data: object, event: TraceEvent): CallRecord | undefined {
    const calls = this._byPayload.get(data);
    if (calls === undefined) return undefined;
    return calls.find((call) => this.accepts(call, event)) ?? calls[calls.length - 1];
  }

  /** Routes later events on `data` to `call` (after a `payload-changed`). */
  adopt(data: object, call: CallRecord): void {
    this._byPayload.set(data, [call]);
  }

  private accepts(call: CallRecord, event: TraceEvent): boolean {
    return !this.isComplete(call) && !(event === 'end' && call.ended);
  }

  /** The latest call still waiting for `event`, for an event on an unknown payload. */
  latestOpen(event: TraceEvent): CallRecord | undefined {
    for (let i = this.calls.length - 1; i >= 0; i--) {
      const call = this.calls[i]!;
      if (this.accepts(call, event)) return call;
    }
    return undefined;
  }

  /** Whether a subscriber following SPEC rule 2 has seen `call` complete. */
  isComplete(call: CallRecord): boolean {
    if (call.asyncOpen) return false;
    if (!call.ended) return false;
    return call.asyncEnded || call.endOutcome === 'error' || call.endOutcome === 'result';
  }

  /** Whether every call seen so far has completed. */
  allComplete(): boolean {
    return this.calls.every((call) => this.isComplete(call));
  }

  /** Any event but `start`, on the payload `data` of `call`: checks it against Node's orders. */
  event(call: CallRecord, event: Exclude<TraceEvent, 'start'>, data: object): void {
    const done = call.asyncEnded && call.ended;
    call.events.push(event);
    if (done) {
      this.report(call, 'event-after-async-end', `${event} after the call's asyncEnd and end: subscribers have already finished this call (a second asyncEnd for a stream, a callback called twice)`);
      return;
    }
    switch (event) {
      case 'end':
        if (call.ended) {
          this.report(call, 'order', 'a second end: Node publishes end exactly once per call');
          return;
        }
        call.ended = true;
        call.endOutcome = outcomeAtEnd(data);
        return;
      case 'asyncStart':
        if (call.asyncEnded) {
          this.report(call, 'event-after-async-end', 'asyncStart after asyncEnd: subscribers have already finished this call');
        } else if (call.asyncOpen) {
          this.report(call, 'order', 'a second asyncStart before asyncEnd');
        } else {
          call.asyncOpen = true;
        }
        return;
      case 'asyncEnd':
        if (call.asyncEnded) {
          this.report(call, 'event-after-async-end', 'a second asyncEnd: subscribers have already finished this call (one asyncEnd per call, also for streams)');
        } else {
          // Subscribers finish the call at asyncEnd either way; only the order is wrong.
          if (!call.asyncOpen) this.report(call, 'order', 'asyncEnd without asyncStart: Node always publishes asyncStart first');
          call.asyncOpen = false;
          call.asyncEnded = true;
        }
        return;
      case 'error':
        if (call.asyncOpen) {
          this.report(call, 'order', 'error between asyncStart and asyncEnd: Node publishes error before asyncStart');
        }
        if (!hasOwn(data, 'error')) {
          this.report(call, 'error-without-error', 'an error event whose payload has no own `error` property: subscribers cannot tell what failed (set payload.error before publishing error)');
        }
        return;
    }
  }

  /** Judges completion of every call and returns all problems, each naming its call. */
  finish(): TracingChannelProblem[] {
    for (const call of this.calls) {
      if (!call.ended) {
        this.report(call, 'start-without-end', 'start was never followed by end: subscribers never learn that the call finished (publish end in a finally, also when the function throws)');
      } else if (call.asyncOpen) {
        this.report(call, 'start-without-end', 'asyncStart was never followed by asyncEnd: subscribers waiting for asyncEnd never finish the call');
      } else if (!this.isComplete(call)) {
        const why =
          call.endOutcome === 'thenable'
            ? 'end carried a thenable result and no asyncEnd followed'
            : 'end carried neither result nor error and no asyncEnd followed';
        this.report(
          call,
          'needs-is-complete',
          `${why}: subscribers that finish a call at end (own result or error) or at asyncEnd never finish this one; set payload.result (or payload.error) before end, publish asyncStart/asyncEnd when the work completes, or tell subscribers to pass isComplete`,
        );
      }
    }
    const problems: TracingChannelProblem[] = this._loose.map(([rule, detail]) => ({
      rule,
      message: `"${this._channelName}" (no call): ${detail}`,
    }));
    for (const call of this.calls) {
      for (const [rule, detail] of call.found) {
        problems.push({ rule, message: `${this.describe(call)}: ${detail}` });
      }
    }
    return problems;
  }

  private describe(call: CallRecord): string {
    const shown = call.events.slice(0, MAX_EVENTS_SHOWN).join(' → ');
    const more = call.events.length > MAX_EVENTS_SHOWN ? ` → … (${call.events.length} events)` : '';
    return `call #${call.index} of "${this._channelName}" [${shown}${more}]`;
  }
}
