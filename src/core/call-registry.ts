/**
 * Which calls are in flight. Per-call state, kept beside the publisher's payload (never on it):
 * payload → first entry of the call, and span → its entry (for `enrichBoundSpan` from inside the
 * call), and the calls to end if their payload is collected first (rule 13). The span → entry link
 * is a symbol property on the span (spans are ours to annotate, payloads are not): a WeakMap
 * keyed by spans that live until their root ends costs a GC-tracked ephemeron per call and keeps
 * its peak table size; the WeakMap remains only for spans that refuse the property.
 */
import type { Span } from '@sentry/core';
import { globalSlot } from './global-slot';
import { logDebug } from './guard';
import { isCallWaiting, type CallEntry } from './span-end';

interface CallTables {
  /** payload → first entry of its call. */
  callEntries: WeakMap<object, CallEntry>;
  /** span → the entry that made it, for spans that refuse the symbol property. */
  spanEntries: WeakMap<object, CallEntry>;
}

// Process-wide: a call started through one copy of this package may end through another's hub.
const { callEntries, spanEntries } = globalSlot<CallTables>('calls', () => ({ callEntries: new WeakMap(), spanEntries: new WeakMap() }));
const SPAN_ENTRY = Symbol.for('tracing-channel-span.span-entry.v1');

type Annotated = { [SPAN_ENTRY]?: CallEntry };

function linkSpan(entry: CallEntry): void {
  try {
    (entry.span as Annotated)[SPAN_ENTRY] = entry;
  } catch {
    spanEntries.set(entry.span, entry); // a frozen or hostile span object
  }
}

/**
 * Calls started in the current synchronous run, innermost last, kept out of `callEntries` while
 * they can be: a `WeakMap.set` per call is the largest single cost of a call (an ephemeron, its
 * write barriers, the table's growth until the next GC), and most calls (traceSync, a sync throw)
 * complete at their `end`, in the same run. A call that still waits at its `end` moves into
 * `callEntries` there. A call that completed at its `end` stays here (the `end`'s later
 * subscribers still find it) until the next call starts outside its store. A call whose `end`
 * has not come when the next call starts outside its store (a publisher that sends `end` in a
 * later tick, or never) moves into `callEntries` then; whatever is left when nothing else is
 * traced moves there {@link PENDING_FLUSH_MS} later, as does everything when the stack is full.
 * Parallel arrays: pushing allocates nothing.
 */
interface PendingCalls {
  data: Array<object | undefined>;
  heads: Array<CallEntry | undefined>;
  /** The store the call's start returned (its caller's when it activated none). */
  stores: unknown[];
  /** Whether the call completed at its `end`. */
  ended: boolean[];
  depth: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const pending = globalSlot<PendingCalls>('calls-pending.v1', () => ({ data: [], heads: [], stores: [], ended: [], depth: 0, timer: undefined }));
const MAX_PENDING = 32;
/** Stands in for a forgotten payload on the pending stack (matches no payload). */
const FORGOTTEN: object = Object.freeze({});
/** As long as rule 13's queue keeps a waiting call's payload (see {@link WATCH_DELAY_MS}). */
const PENDING_FLUSH_MS = 1000;
const canDefer = typeof setTimeout === 'function';

function clearSlot(p: PendingCalls, i: number): void {
  p.data[i] = undefined;
  p.heads[i] = undefined;
  p.stores[i] = undefined;
}

/**
 * Takes a pending call off the stack: into `callEntries` if it has not completed; else it is
 * forgotten, and so is an earlier call's entry for a reused payload, as if the completed call
 * had overwritten it there (a no-op for a payload never in the table).
 */
function settleSlot(p: PendingCalls, i: number): void {
  const data = p.data[i]!;
  if (!p.ended[i]) callEntries.set(data, p.heads[i]!);
  else if (data !== FORGOTTEN) callEntries.delete(data);
  clearSlot(p, i);
}

/** Takes every pending call from `from` up off the stack. */
function settlePending(p: PendingCalls, from: number): void {
  for (let i = from; i < p.depth; i++) settleSlot(p, i);
  p.depth = from;
}

function flushPending(): void {
  pending.timer = undefined;
  settlePending(pending, 0);
}

/** Records the entries a traced call made (head first, in binding order); `store` is what its start returned. */
export function recordCall(data: object, head: CallEntry, caller: unknown, store: unknown): void {
  linkSpan(head);
  for (let entry = head.next; entry; entry = entry.next) linkSpan(entry);
  if (!canDefer) {
    callEntries.set(data, head);
    return;
  }
  const p = pending;
  let d = p.depth;
  // calls whose run is over (this call starts outside their store)
  while (d > 0 && p.stores[d - 1] !== caller) settleSlot(p, --d);
  p.depth = d;
  for (let i = 0; i < d; i++) if (p.data[i] === data) forgetSlot(p, i);
  if (d >= MAX_PENDING) {
    settlePending(p, 0);
    d = 0;
  }
  p.data[d] = data;
  p.heads[d] = head;
  p.stores[d] = store;
  p.ended[d] = false;
  p.depth = d + 1;
  if (p.timer === undefined) {
    try {
      p.timer = setTimeout(flushPending, PENDING_FLUSH_MS);
      p.timer.unref?.();
    } catch {
      settlePending(p, 0); // no timers after all: nothing may stay pending
    }
  }
}

/**
 * After the `end` handlers of the call `data` is the payload of: a call that still waits moves
 * into `callEntries`, one that completed stays pending (see {@link PendingCalls}); calls started
 * inside it that have not completed move into `callEntries`.
 */
export function callEnded(data: object, head: CallEntry, keep: boolean): void {
  const p = pending;
  for (let i = p.depth - 1; i >= 0; i--) {
    if (p.data[i] !== data || p.heads[i] !== head) continue;
    settlePending(p, i + 1);
    if (keep) {
      callEntries.set(data, head);
      clearSlot(p, i);
      p.depth = i;
    } else {
      p.ended[i] = true;
    }
    return;
  }
}

/**
 * Forgets an earlier call's entries when `data` is reused for a call that made no span: the new
 * call's events must not end (or restore the context of) the earlier call's spans.
 */
export function forgetCall(data: object): void {
  callEntries.delete(data);
  const p = pending;
  for (let i = p.depth - 1; i >= 0; i--) if (p.data[i] === data) forgetSlot(p, i);
}

/** A pending call whose payload a newer call reused: it no longer answers for that payload. */
function forgetSlot(p: PendingCalls, i: number): void {
  p.data[i] = FORGOTTEN;
  p.ended[i] = true;
}


/**
 * Rule 13: calls whose payload was collected before they completed. The held value is the call's
 * first entry, which never references the payload (a held value that did would keep it alive).
 *
 * Registering every call would cost several microseconds per call (the registration, then a
 * finalization callback for every collected payload; `unregister` costs as much again). So a call
 * is only queued by the first event that leaves it waiting (a call that completes at `end` never
 * is), and registered if it still waits when the queue is flushed: {@link WATCH_DELAY_MS} later,
 * or as soon as {@link MAX_QUEUED} calls are queued (a loop of awaited calls never lets the timer
 * run). The queue keeps payloads alive that long, no longer. At most one registration per payload
 * is kept: a payload reused by a newer call that waits is registered for that call instead.
 */
const unfinished =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<CallEntry>(endUnfinishedCall) : undefined;
const WATCH_DELAY_MS = 1000;
const MAX_QUEUED = 1000;
/** Queued calls, as pairs: payload, first entry. */
let queued: Array<object> = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;
/** payload → the entry it is registered for (only for calls that waited past the delay). */
const registered = new WeakMap<object, CallEntry>();

function endUnfinishedCall(head: CallEntry): void {
  let ended = 0;
  for (let entry: CallEntry | undefined = head; entry; entry = entry.next) if (entry.abandon(head.lastEventAt)) ended++;
  if (ended > 0) {
    logDebug(`a traced call never completed and its payload was garbage collected: ${ended} span(s) ended with status "incomplete"`);
  }
}

function flushQueued(): void {
  if (flushTimer !== undefined) clearTimeout(flushTimer);
  flushTimer = undefined;
  const pairs = queued;
  queued = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const data = pairs[i]!;
    const head = pairs[i + 1] as CallEntry;
    if (!isCallWaiting(head)) continue;
    const previous = registered.get(data);
    if (previous !== undefined) unfinished!.unregister(previous);
    unfinished!.register(data, head, head);
    registered.set(data, head);
  }
}

/** Ends the call's waiting spans as `incomplete` if `data` is collected before the call completes. */
export function watchUnfinished(data: object, head: CallEntry): void {
  if (!unfinished || head.watched) return;
  head.watched = true;
  queued.push(data, head);
  if (queued.length >= 2 * MAX_QUEUED) flushQueued();
  else if (flushTimer === undefined) {
    flushTimer = setTimeout(flushQueued, WATCH_DELAY_MS);
    flushTimer.unref?.();
  }
}

/** The first entry of the call that `data` is the payload of. */
export function entriesOf(data: unknown): CallEntry | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const p = pending;
  for (let i = p.depth - 1; i >= 0; i--) if (p.data[i] === data) return p.heads[i];
  return callEntries.get(data);
}

/** The entry a binding made for `span`, if a binding made it. */
export function entryOfSpan(span: Span | undefined): CallEntry | undefined {
  if (!span) return undefined;
  return (span as Annotated)[SPAN_ENTRY] ?? spanEntries.get(span);
}

/**
 * The innermost span any binding made for that payload (the last binding's span), or `undefined`.
 * Works from subscribers, `beforeSpanEnd`, or any code holding the payload.
 */
export function getBoundSpan(data: object): Span | undefined {
  let last: CallEntry | undefined;
  for (let entry = entriesOf(data); entry; entry = entry.next) last = entry;
  return last?.span;
}
