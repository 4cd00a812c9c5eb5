/**
 * One hub per tracing channel: the wiring. Node keeps a single store transform per (channel,
 * storage): a second `bindStore` with the same AsyncLocalStorage replaces the first and
 * `unbindStore` removes it for everyone. So every binding on a channel shares the hub's one
 * transform and one set of subscribers; the hub binds and subscribes lazily, detaches when idle,
 * and routes each event to `span-start` or `span-end`.
 */
import type { TracingChannel } from 'node:diagnostics_channel';
import type { AsyncLocalStorage } from 'node:async_hooks';
import { currentStore, storeMakerOf, type MakeStore } from '../context/active-store';
import { currentStrategy, watchStrategy, type StrategyView } from '../context/strategy-watch';
import { callEnded, entriesOf, watchUnfinished } from './call-registry';
import { globalSlot } from './global-slot';
import { logDebug } from './guard';
import { endOnAsyncEnd, endOnEnd, isCallOpen, isCallWaiting, markOnError, type CallEntry } from './span-end';
import { startCall, type StartHost } from './span-start';
import type { BindingRecord } from './types';

type AnyChannel = TracingChannel<unknown, object>;
type Storage = AsyncLocalStorage<unknown>;

// Process-wide (tracingChannel.start → its hub): two copies of this package binding one channel
// must share its one transform.
const hubs = globalSlot('hubs', () => new WeakMap<object, ChannelHub>());
// Strong references to every channel (and its five sub-channels) a binding uses: Bun collects
// channels that only subscribers reference (a publisher calling `tracingChannel(name)` anew
// would then get fresh, unsubscribed ones). Released when the channel's last binding unbinds.
const held = new Set<object>();
function subChannels(channel: AnyChannel): object[] {
  return [channel, channel.start, channel.end, channel.asyncStart, channel.asyncEnd, channel.error];
}

/**
 * Marks the store transforms of every hub (of every copy of this package), so that
 * `integrations/sentry-overlap.ts` can tell a foreign `bindStore` on the same storage from ours.
 */
const HUB_TRANSFORM = Symbol.for('tracing-channel-span.hub-transform');

/** Whether `fn` is a store transform some hub of this package bound. */
export function isHubTransform(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[HUB_TRANSFORM] === true;
}

/**
 * Binds the hub's transforms of `channel` again, after someone else bound the same storage over
 * them (the last `bindStore` wins). Where the hub has no `asyncStart` transform yet, a foreign one
 * is removed. Returns whether a hub of `channel` holds a storage.
 */
export function reassertChannelStores(channel: AnyChannel): boolean {
  return hubs.get(channel.start)?.reassertStores() ?? false;
}

/** Runs an end handler; nothing thrown there may reach the publisher. */
function route(what: string, handler: (head: CallEntry, data: object) => void, data: object): void {
  try {
    const head = entriesOf(data);
    if (!head) return;
    handler(head, data);
    const waiting = isCallWaiting(head);
    // a call whose span is still open (waiting, or deferred by deferSpanEnd) keeps its entry
    if (handler === endOnEnd) callEnded(data, head, waiting || isCallOpen(head));
    // rule 13: from the first event that leaves it waiting, the call is ended if its payload goes
    if (!head.watched && waiting) watchUnfinished(data, head);
  } catch (error) {
    logDebug(`${what} handler failed`, error);
  }
}

/** The dispatcher shared by every binding on one tracing channel. */
export class ChannelHub implements StartHost {
  bindings: readonly BindingRecord[] = [];
  storage: Storage | undefined = undefined;
  makeStore: MakeStore | undefined = undefined;
  origin: unknown = undefined;
  private _open = 0;
  private _subscribed = false;
  private _startSubscribed = false;
  /** The `asyncStart` transform is bound lazily, with the first span (see `callStarted`); on
   * Node 26 it would otherwise run on every tracePromise too. */
  private _restoreBound = false;
  private _warnedInactive = false;
  private _stopWatching: (() => void) | undefined = undefined;
  private readonly _handlers = {
    end: (data: object) => route('end', endOnEnd, data),
    asyncEnd: (data: object) => route('asyncEnd', endOnAsyncEnd, data),
    error: (data: object) => route('error', markOnError, data),
  };
  private readonly _transform = (data: object): unknown => {
    try {
      return startCall(this, data);
    } catch (error) {
      // a throwing transform is re-thrown by Node on the next tick: never let one escape
      logDebug('start transform failed', error);
      return currentStore(this.storage);
    }
  };
  /** Without a strategy: the same start, as a plain subscriber (no store to return). */
  private readonly _onStart = (data: object): void => {
    if (!this._warnedInactive) {
      this._warnedInactive = true;
      logDebug(
        'no async-context strategy provides a tracing-channel binding (call Sentry.init or setScopePairAsyncContextStrategy): spans are created but not active inside traced calls',
      );
    }
    this._transform(data);
  };
  /** The `asyncStart` transform: a callback continues in its caller's context, not in the span. */
  private readonly _restore = (data: object): unknown => {
    try {
      const head = entriesOf(data);
      if (head && head.origin === this.origin) return head.callerStore;
    } catch {
      // fall through to "leave the context as it is"
    }
    return currentStore(this.storage);
  };
  private readonly _onStrategy = (view: StrategyView): void => this._attach(view);

  private constructor(readonly channel: AnyChannel) {
    for (const fn of [this._transform, this._restore]) Object.defineProperty(fn, HUB_TRANSFORM, { value: true });
  }

  /** The hub of `channel`, created on first use. */
  static of(channel: AnyChannel): ChannelHub {
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
    for (const ref of subChannels(this.channel)) held.add(ref);
    this._stopWatching ??= watchStrategy(this._onStrategy);
    this._attach(currentStrategy());
  }

  /** Removes a binding; other bindings keep working. Detaches once nothing is left in flight. */
  remove(record: BindingRecord): void {
    record.active = false;
    this.bindings = this.bindings.filter((b) => b !== record);
    if (this.bindings.length === 0) {
      for (const ref of subChannels(this.channel)) held.delete(ref);
      this._detachStart();
      this._detachIfIdle();
    }
  }

  /** Book-keeping: one of this hub's lifecycle spans left the waiting phase. */
  settle(): void {
    this._open--;
    if (this.bindings.length === 0) this._detachIfIdle();
  }

  entryOpened(): void {
    this._open++;
  }

  /**
   * The lifecycle subscribers (`end`, `asyncEnd`, `error`) and the `asyncStart` transform are
   * attached with the first span, so a channel whose `getSpan` never returns one costs no more
   * than its start transform. Subscribing from inside the start transform still delivers that
   * call's later events.
   */
  callStarted(): void {
    if (!this._restoreBound && this.storage) {
      this._restoreBound = true;
      try {
        this.channel.asyncStart.bindStore(this.storage as never, this._restore as never);
      } catch (error) {
        logDebug('could not bind the asyncStart store', error);
      }
    }
    if (!this._subscribed) {
      this._subscribed = true;
      try {
        this.channel.subscribe(this._handlers as never);
      } catch (error) {
        logDebug('could not subscribe to the channel', error);
      }
    }
  }

  /** See {@link reassertChannelStores}. */
  reassertStores(): boolean {
    const storage = this.storage;
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

  /** (Re)binds the start transform to the storage of the strategy in force. */
  private _attach(view: StrategyView): void {
    if (this.bindings.length === 0) return;
    const binding = view.binding;
    const storage = binding?.asyncLocalStorage;
    this.origin = view.origin;
    this.makeStore = binding ? storeMakerOf(binding) : undefined;
    if (storage === this.storage && (storage !== undefined || this._startSubscribed)) return;
    this._detachStart();
    try {
      if (storage) {
        this.channel.start.bindStore(storage as never, this._transform as never);
        this.storage = storage;
      } else {
        this.channel.start.subscribe(this._onStart as never);
        this._startSubscribed = true;
      }
    } catch (error) {
      logDebug('could not bind the channel store', error);
    }
  }

  private _detachStart(): void {
    const storage = this.storage;
    this.storage = undefined;
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

  private _detachIfIdle(): void {
    if (this.bindings.length > 0 || this._open > 0) return;
    if (this._subscribed) {
      this._subscribed = false;
      this.channel.unsubscribe(this._handlers as never);
    }
    this._stopWatching?.();
    this._stopWatching = undefined;
    hubs.delete(this.channel.start);
  }
}
