/**
 * Where a span starts: the `start` store transform. For each binding on the channel, in binding
 * order: its `getSpan`, then the store with that span active (nested inside the earlier
 * bindings' stores), then the call's entry chain recorded beside the payload.
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@sentry/core';
import { currentStore, NO_STORE, storeWithSpan, type MakeStore } from '../context/active-store';
import { pollStrategy } from '../context/strategy-watch';
import { activeSpanIn } from '../sentry-internals/active-span';
import { getActiveSpan } from '@sentry/core';
import { checkOneCopy } from '../sentry-internals/one-copy';
import { forgetCall, recordCall } from './call-registry';
import { guard, logDebug } from './guard';
import { CallEntry } from './span-end';
import type { BindingRecord } from './types';

/** What the start transform needs from its channel's hub. */
export interface StartHost {
  readonly bindings: readonly BindingRecord[];
  /** The strategy's storage; `undefined` without a strategy (spans are made, not activated). */
  readonly storage: AsyncLocalStorage<unknown> | undefined;
  readonly makeStore: MakeStore | undefined;
  /** The strategy the storage belongs to (a store is never handed to another strategy). */
  readonly origin: unknown;
  /** A binding with a lifecycle made a span: one more span this hub must see end. */
  entryOpened(): void;
  /** This call made at least one span: the lifecycle subscribers must be attached. */
  callStarted(): void;
}

// `guard` takes the function and its arguments apart so that the hot path allocates no closure.
function callGetSpan(binding: BindingRecord, data: object): unknown {
  return binding.getSpan(data);
}

/** Whether `span` is known not to record (an unsampled or ignored span). */
function isNonRecording(span: Span | undefined): boolean {
  if (span === undefined) return false;
  try {
    return span.isRecording() === false;
  } catch {
    return false;
  }
}

/** The caller's active span (read once per call, only when a rule-14 check needs it). */
function callerSpan(caller: unknown, storage: AsyncLocalStorage<unknown> | undefined): Span | undefined {
  try {
    return storage === undefined ? getActiveSpan() : activeSpanIn(caller);
  } catch {
    return undefined;
  }
}

function isSpan(value: unknown): value is Span {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Span).end === 'function' &&
    typeof (value as Span).spanContext === 'function'
  );
}

/**
 * Starts one traced call: returns the store to enter (the caller's own when no span was
 * activated). With no storage the same loop runs and only the stores are skipped.
 */
export function startCall(host: StartHost, data: object): unknown {
  pollStrategy();
  checkOneCopy();
  const { bindings, storage, makeStore } = host;
  const caller = storage === undefined ? undefined : currentStore(storage);
  let head: CallEntry | undefined;
  let tail: CallEntry | undefined;
  let store: unknown = caller;
  let activated = false;
  // the span active where the next binding runs: the caller's (read lazily), then each activated one
  let active: Span | undefined | null = null;
  for (let i = 0; i < bindings.length; i++) {
    const binding = bindings[i]!;
    if (!binding.active) continue;
    if (binding.sampledOnly) {
      if (active === null) active = callerSpan(caller, storage);
      if (isNonRecording(active)) continue; // rule 14: an unsampled trace costs no getSpan
    }
    // Once an earlier binding's span is active, later bindings run `getSpan` inside that store:
    // Node enters the transform's result only after the transform returns, so without this
    // `startInactiveSpan` in a later `getSpan` would parent to the caller's span, not the
    // earlier binding's (rule 10: spans nest in binding order).
    const span = activated
      ? storage!.run(store, guard, 'getSpan', callGetSpan, binding, data)
      : guard('getSpan', callGetSpan, binding, data);
    if (span === undefined || span === null) continue;
    if (!isSpan(span)) {
      logDebug('getSpan returned something that is not a span; ignored');
      continue;
    }
    const entry = new CallEntry(binding, span);
    if (binding.lifecycle) host.entryOpened();
    if (tail) tail.next = entry;
    else head = entry;
    tail = entry;
    if (makeStore === undefined) continue;
    if (isNonRecording(span)) {
      // rule 14: a non-recording span under a non-recording parent changes nothing downstream
      if (active === null) active = callerSpan(caller, storage);
      if (isNonRecording(active)) continue;
    }
    const next = activated ? storage!.run(store, storeWithSpan, makeStore, span) : storeWithSpan(makeStore, span);
    if (next !== NO_STORE) {
      store = next;
      activated = true;
      active = span;
    }
  }
  if (!head) {
    forgetCall(data);
    return caller;
  }
  head.callerStore = caller;
  head.origin = host.origin;
  host.callStarted();
  recordCall(data, head, caller, store);
  return store;
}
