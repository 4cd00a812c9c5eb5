/**
 * One hub per tracing channel. Node keeps a single store transform per (channel, storage): a
 * second `bindStore` with the same AsyncLocalStorage replaces the first and `unbindStore` removes
 * it for everyone. So every binding on a channel shares the hub's one transform and one set of
 * subscribers, and the hub dispatches to the bindings in the order they were made.
 */
import type { TracingChannel } from 'node:diagnostics_channel';
import type { AsyncLocalStorage } from 'node:async_hooks';
import { getRootSpan, spanIsIgnored, withActiveSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { entriesOf, forgetCall, recordCall } from './call-state';
import { guard, logDebug } from './guard';
import { registry } from './registry';
import { CallEntry, type BindingRecord } from './lifecycle';
import {
  currentStrategyObject,
  onStrategyChange,
  readTracingChannelBinding,
  resetStoreShapes,
  storeWithActiveSpan,
  type TracingChannelBinding,
} from './sentry-internals';

type AnyChannel = TracingChannel<object>;
type Storage = AsyncLocalStorage<unknown>;

/** The strategy in force, as seen by every hub. `origin` changes whenever the strategy does. */
interface StrategyView {
  origin: unknown;
  binding: TracingChannelBinding | undefined;
}

const { hubs, liveHubs } = registry;
let view: StrategyView | undefined;
let observed = false;

function readView(): StrategyView {
  return { origin: currentStrategyObject(), binding: readTracingChannelBinding() };
}

function refreshStrategy(): void {
  const next = readView();
  if (view && next.origin === view.origin && next.binding?.asyncLocalStorage === view.binding?.asyncLocalStorage) return;
  view = next;
  resetStoreShapes();
  for (const hub of liveHubs) hub.attachStorage();
}

function ensureStrategyWatch(): StrategyView {
  if (!view) {
    observed = onStrategyChange(refreshStrategy).observed;
    view = readView();
  }
  return view;
}

/** Without a change hook, notice a new strategy on the next traced call. */
function pollStrategy(): void {
  if (!observed && currentStrategyObject() !== view?.origin) refreshStrategy();
}

function callGetSpan(binding: BindingRecord, data: object): unknown {
  return binding.getSpan(data);
}

function isSpan(value: unknown): value is Span {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Span).end === 'function' &&
    typeof (value as Span).spanContext === 'function'
  );
}

const NO_STORE = Symbol('no-store');

/**
 * Marks the store transforms of every hub (of every copy of this package), so that
 * `integrations/sentry-overlap.ts` can tell a foreign `bindStore` on the same storage from ours.
 */
export const HUB_TRANSFORM: unique symbol = Symbol.for('tracing-channel-span.hub-transform') as never;

function markHubTransform(fn: (data: object) => unknown): void {
  Object.defineProperty(fn, HUB_TRANSFORM, { value: true });
}

/** Whether `fn` is a store transform some hub of this package bound. */
export function isHubTransform(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[HUB_TRANSFORM] === true;
}

/**
 * Binds the hub's transforms of `channel` again, after someone else bound the same storage over
 * them (Node keeps one transform per channel and storage: the last `bindStore` wins). Where the hub
 * has no `asyncStart` transform yet, a foreign one is removed. Returns whether a hub holds a storage.
 */
export function reassertChannelStores(channel: AnyChannel): boolean {
  return hubs.get(channel.start)?.reassertStores() ?? false;
}

/** The storage's current store; `undefined` when reading it throws (a broken strategy's storage). */
function currentStore(storage: Storage | undefined): unknown {
  try {
    return storage?.getStore();
  } catch (error) {
    logDebug("the strategy's storage threw from getStore(); the caller's store is treated as empty", error);
    return undefined;
  }
}

function hasOwn(data: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(data, key);
}

function isThenable(value: unknown): boolean {
  return (
    ((typeof value === 'object' && value !== null) || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function completeChain(entry: CallEntry, data: object, hasError: boolean, error: unknown): void {
  // innermost span first: a child ends before its parent
  if (entry.next) completeChain(entry.next, data, hasError, error);
  entry.complete(data, hasError, error);
}

/** The dispatcher shared by every binding on one tracing channel. */
export class ChannelHub {
  bindings: readonly BindingRecord[] = [];
  private _open = 0;
  private _subscribed = false;
  private _startSubscribed = false;
  /** The `asyncStart` transform is bound lazily, with the first span (see `_subscribe`); on Node 26
   * it would otherwise run on every tracePromise too. */
  private _restoreBound = false;
  private _warnedInactive = false;
  private _storage: Storage | undefined = undefined;
  private _origin: unknown = undefined;
  private _makeStore: ((span: Span) => unknown) | undefined = undefined;
  private readonly _handlers: {
    end: (data: object) => void;
    asyncEnd: (data: object) => void;
    error: (data: object) => void;
  };
  private readonly _transform: (data: object) => unknown;
  private readonly _restore: (data: object) => unknown;
  private readonly _onStart: (data: object) => void;

  private constructor(readonly channel: AnyChannel) {
    this._handlers = {
      end: (data) => this._onEnd(data),
      asyncEnd: (data) => this._onAsyncEnd(data),
      error: (data) => this._onError(data),
    };
    this._transform = (data) => {
      try {
        return this._startWithStore(data);
      } catch (error) {
        // a throwing transform is re-thrown by Node on the next tick: never let one escape
        logDebug('start transform failed', error);
        return currentStore(this._storage);
      }
    };
    this._restore = (data) => this._restoreCaller(data);
    this._onStart = (data) => this._startWithoutStore(data);
    markHubTransform(this._transform);
    markHubTransform(this._restore);
  }

  /** The hub of `channel`, created on first use. */
  static of(channel: AnyChannel): ChannelHub {
    ensureStrategyWatch();
    let hub = hubs.get(channel.start);
    if (!hub) {
      hub = new ChannelHub(channel);
      hubs.set(channel.start, hub);
    }
    return hub;
  }

  /** Adds a binding after the existing ones; its spans nest inside theirs. */
  add(record: BindingRecord): void {
    this.bindings = [...this.bindings, record];
    liveHubs.add(this);
    this.attachStorage();
  }

  /** Removes a binding; other bindings keep working. Detaches once nothing is left in flight. */
  remove(record: BindingRecord): void {
    record.active = false;
    this.bindings = this.bindings.filter((b) => b !== record);
    if (this.bindings.length === 0) {
      this._detachStart();
      this._detachIfIdle();
    }
  }

  /** Book-keeping: one of this hub's lifecycle spans left the waiting phase. */
  settle(): void {
    this._open--;
    if (this.bindings.length === 0) this._detachIfIdle();
  }

  /** (Re)binds the store transform to the current strategy's storage. */
  attachStorage(): void {
    if (this.bindings.length === 0) return;
    const binding = view?.binding;
    const storage = binding?.asyncLocalStorage;
    this._origin = view?.origin;
    if (binding) {
      const read = () => binding.asyncLocalStorage.getStore();
      const custom = binding.getStoreWithActiveSpan;
      const generic = (span: Span) => withActiveSpan(span, read);
      const storage = binding.asyncLocalStorage;
      this._makeStore = custom ? (span) => custom(span) : (span) => storeWithActiveSpan(storage, span, generic);
    } else {
      this._makeStore = undefined;
    }
    if (storage === this._storage && (storage !== undefined || this._startSubscribed)) return;
    this._detachStart();
    try {
      if (storage) {
        this.channel.start.bindStore(storage as never, this._transform as never);
        this._storage = storage;
      } else {
        this.channel.start.subscribe(this._onStart as never);
        this._startSubscribed = true;
      }
    } catch (error) {
      logDebug('could not bind the channel store', error);
    }
  }

  /** See {@link reassertChannelStores}. */
  reassertStores(): boolean {
    const storage = this._storage;
    if (!storage) return false;
    try {
      this.channel.start.bindStore(storage as never, this._transform as never);
      if (this._restoreBound) this.channel.asyncStart.bindStore(storage as never, this._restore as never);
      else this.channel.asyncStart.unbindStore(storage as never);
    } catch (error) {
      logDebug('could not bind the channel store again', error);
    }
    return true;
  }

  private _detachStart(): void {
    const storage = this._storage;
    this._storage = undefined;
    if (storage) {
      const restoreBound = this._restoreBound;
      this._restoreBound = false;
      try {
        this.channel.start.unbindStore(storage as never);
        if (restoreBound) this.channel.asyncStart.unbindStore(storage as never);
      } catch {
        // nothing to undo
      }
    }
    if (this._startSubscribed) {
      this._startSubscribed = false;
      this.channel.start.unsubscribe(this._onStart as never);
    }
  }

  /**
   * The lifecycle subscribers (`end`, `asyncEnd`, `error`) are subscribed with the first span, so a
   * channel whose `getSpan` never returns one costs no more than its store transform. Subscribing
   * from inside the start transform still delivers that call's later events.
   */
  private _subscribe(): void {
    this._subscribed = true;
    try {
      this.channel.subscribe(this._handlers as never);
    } catch (error) {
      logDebug('could not subscribe to the channel', error);
    }
  }

  private _bindRestore(storage: Storage): void {
    this._restoreBound = true;
    try {
      this.channel.asyncStart.bindStore(storage as never, this._restore as never);
    } catch (error) {
      logDebug('could not bind the asyncStart store', error);
    }
  }

  private _detachIfIdle(): void {
    if (this.bindings.length > 0 || this._open > 0) return;
    if (this._subscribed) {
      this._subscribed = false;
      this.channel.unsubscribe(this._handlers as never);
    }
    liveHubs.delete(this);
    hubs.delete(this.channel.start);
  }

  private _newEntry(binding: BindingRecord, span: Span): CallEntry {
    const entry = new CallEntry(binding, span);
    if (binding.lifecycle) this._open++;
    return entry;
  }

  /** The `start` store transform: every binding's `getSpan`, nested, then the innermost store. */
  private _startWithStore(data: object): unknown {
    pollStrategy();
    const storage = this._storage!;
    const makeStore = this._makeStore!;
    const caller = currentStore(storage);
    const bindings = this.bindings;
    let head: CallEntry | undefined;
    let tail: CallEntry | undefined;
    let store: unknown = caller;
    let activated = false;
    for (let i = 0; i < bindings.length; i++) {
      const binding = bindings[i]!;
      if (!binding.active) continue;
      const span = activated
        ? storage.run(store, guard, 'getSpan', callGetSpan, binding, data)
        : guard('getSpan', callGetSpan, binding, data);
      if (span === undefined || span === null) continue;
      if (!isSpan(span)) {
        logDebug('getSpan returned something that is not a span; ignored');
        continue;
      }
      const entry = this._newEntry(binding, span);
      if (tail) tail.next = entry;
      else head = entry;
      tail = entry;
      const next = activated ? storage.run(store, storeWithSpan, makeStore, span) : storeWithSpan(makeStore, span);
      if (next !== NO_STORE) {
        store = next;
        activated = true;
      }
    }
    if (!head) {
      forgetCall(data);
      return caller;
    }
    if (!this._restoreBound) this._bindRestore(storage);
    if (!this._subscribed) this._subscribe();
    head.callerStore = caller;
    head.origin = this._origin;
    recordCall(data, head);
    return store;
  }

  /** No strategy: spans are still made and ended, just not active inside the call. */
  private _startWithoutStore(data: object): void {
    try {
      pollStrategy();
      if (!this._warnedInactive) {
        this._warnedInactive = true;
        logDebug(
          'no async-context strategy provides a tracing-channel binding (call Sentry.init or setScopePairAsyncContextStrategy): spans are created but not active inside traced calls',
        );
      }
      const bindings = this.bindings;
      let head: CallEntry | undefined;
      let tail: CallEntry | undefined;
      for (let i = 0; i < bindings.length; i++) {
        const binding = bindings[i]!;
        if (!binding.active) continue;
        const span = guard('getSpan', callGetSpan, binding, data);
        if (!isSpan(span)) continue;
        const entry = this._newEntry(binding, span);
        if (tail) tail.next = entry;
        else head = entry;
        tail = entry;
      }
      if (head) {
        if (!this._subscribed) this._subscribe();
        recordCall(data, head);
      }
      else forgetCall(data);
    } catch (error) {
      logDebug('start handler failed', error);
    }
  }

  /** The `asyncStart` transform: a callback continues in its caller's context, not in the span. */
  private _restoreCaller(data: object): unknown {
    const storage = this._storage;
    try {
      const head = entriesOf(data);
      if (head && head.origin === this._origin) return head.callerStore;
    } catch {
      // fall through to "leave the context as it is"
    }
    return currentStore(storage);
  }

  private _onEnd(data: object): void {
    try {
      const head = entriesOf(data);
      if (!head) return;
      if (hasOwn(data, 'error')) {
        completeChain(head, data, true, (data as { error?: unknown }).error);
      } else if (hasOwn(data, 'result') && !isThenable((data as { result?: unknown }).result)) {
        completeChain(head, data, false, undefined);
      }
    } catch (error) {
      logDebug('end handler failed', error);
    }
  }

  private _onAsyncEnd(data: object): void {
    try {
      const head = entriesOf(data);
      if (!head) return;
      let hasError = false;
      let error: unknown;
      try {
        hasError = hasOwn(data, 'error');
        if (hasError) error = (data as { error?: unknown }).error;
      } catch {
        hasError = false;
      }
      completeChain(head, data, hasError, error);
    } catch (error) {
      logDebug('asyncEnd handler failed', error);
    }
  }

  private _onError(data: object): void {
    try {
      const head = entriesOf(data);
      if (!head) return;
      let error: unknown;
      try {
        error = (data as { error?: unknown }).error;
      } catch {
        error = undefined;
      }
      for (let entry: CallEntry | undefined = head; entry; entry = entry.next) entry.markError(error);
    } catch (error) {
      logDebug('error handler failed', error);
    }
  }
}

function storeWithSpan(makeStore: (span: Span) => unknown, span: Span): unknown {
  try {
    // an ignored (non-recording) child must not become the parent of what runs inside
    if (spanIsIgnored(span) && getRootSpan(span) !== span) return NO_STORE;
    const store = makeStore(span);
    return store === undefined || store === null ? NO_STORE : store;
  } catch (error) {
    logDebug('could not make the store with the active span; the span is not activated', error);
    return NO_STORE;
  }
}
