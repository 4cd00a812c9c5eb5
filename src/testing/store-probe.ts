/**
 * The checker's own AsyncLocalStorage, bound to `start`: each call gets a marker store, so the
 * checker can tell whether the call's store was active when `start` was published (inside
 * `start.runStores`) and whether the caller got its own store back afterwards.
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import { getAsyncHooks } from '../core/node-builtins';
import type { CallRecord } from './call-log';
import type { CheckableStartChannel } from './types';

/** The store a call runs in: identifies the call's payload, later the call itself. */
export interface CallMarker {
  readonly data: unknown;
  call: CallRecord | undefined;
}

/** The caller's store around `run()`. */
const OUTSIDE = Object.freeze({ outside: true });

/** One probe per check. */
export class StoreProbe {
  private _als: AsyncLocalStorage<unknown> | undefined;
  private readonly _pending = new Map<unknown, CallMarker>();

  constructor() {
    const hooks = getAsyncHooks();
    this._als = hooks === undefined ? undefined : new hooks.AsyncLocalStorage<unknown>();
  }

  /** Whether stores are checked: this runtime has AsyncLocalStorage and the store was bound. */
  get available(): boolean {
    return this._als !== undefined;
  }

  /** Binds the probe's storage to `start`; without `bindStore` (or when it throws) stores go unchecked. */
  bind(start: CheckableStartChannel): void {
    if (this._als === undefined) return;
    try {
      start.bindStore(this._als, this.transform);
    } catch {
      this._als = undefined;
    }
  }

  /** Undoes {@link bind}; never throws. */
  unbind(start: CheckableStartChannel): void {
    if (this._als === undefined) return;
    try {
      start.unbindStore(this._als);
    } catch {
      // nothing more to undo
    }
  }

  /** The `start` store transform: a fresh marker per call. */
  readonly transform = (data: unknown): CallMarker => {
    const marker: CallMarker = { data, call: undefined };
    this._pending.set(data, marker);
    return marker;
  };

  /**
   * At `start` of `call` on `data`: whether the marker the transform made for `data` is the
   * active store right now. Links the marker to the call either way.
   */
  activeAtStart(data: unknown, call: CallRecord): boolean {
    const marker = this._pending.get(data);
    this._pending.delete(data);
    if (marker === undefined) return false;
    marker.call = call;
    return this.current() === marker;
  }

  /** The call whose store is active right now, if any. */
  activeCall(): CallRecord | undefined {
    const store = this.current();
    return typeof store === 'object' && store !== null && 'call' in store ? (store as CallMarker).call : undefined;
  }

  /** Whether the store is the caller's own (the one `runOutside` entered). */
  isOutside(): boolean {
    return this._als === undefined || this.current() === OUTSIDE;
  }

  /** The store active right now, when it is not the caller's: a marker, or something else. */
  current(): unknown {
    try {
      return this._als?.getStore();
    } catch {
      return undefined;
    }
  }

  /** Runs `fn` with the caller's store entered, so a store left behind is visible afterwards. */
  runOutside<R>(fn: () => R): R {
    return this._als === undefined ? fn() : this._als.run(OUTSIDE, fn);
  }
}
