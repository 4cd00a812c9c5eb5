/**
 * Watching `bindStore` / `unbindStore` on the `start` and `asyncStart` channels of a tracing
 * channel, for {@link arbitrateSentryOverlap}: Node has no event for a replaced store transform,
 * so the watch tells its listeners about a foreign transform bound on a storage, and keeps a
 * foreign transform bound while our own bindings are being removed (`releasing`).
 */
import type { TracingChannel } from 'node:diagnostics_channel';
import { isHubTransform } from '../core/channel-hub';
import { logDebug } from '../core/guard';
import { readTracingChannelBinding } from '../sentry-internals/strategy-slot';

// one channel part (`start` or `asyncStart`)
export type Part = TracingChannel<object>['start'];
export type Store = Parameters<Part['bindStore']>[0];
export type ForeignListener = (store: Store) => void;

export interface PartWatch {
  listeners: Set<ForeignListener>;
  /** store → whether the last transform bound through the watch is foreign. */
  foreign: Map<Store, boolean>;
  /** >0 while our own bindings are being removed: a foreign transform is then not unbound. */
  releasing: number;
  depth: number;
}

// kept on the channel object itself (one watch per channel, whichever copy of this package installed it)
const WATCH_KEY = Symbol.for('tracing-channel-span.sentry-overlap.watch.v1');

type Method = (this: Part, ...args: unknown[]) => unknown;

function callProto(part: Part, name: 'bindStore' | 'unbindStore', args: unknown[]): unknown {
  // resolved per call: Node swaps a channel's prototype between its inactive and active class
  const method = (Object.getPrototypeOf(part) as Record<string, Method>)[name]!;
  return method.apply(part, args);
}

function notify(watch: PartWatch, store: Store): void {
  for (const listener of [...watch.listeners]) {
    try {
      listener(store);
    } catch (error) {
      // we run inside someone else's bindStore (e.g. Sentry.init): nothing may escape
      logDebug('reacting to another binding of the same storage failed', error);
    }
  }
}

/** The watch of `part`, installed on first use (one per channel part, whichever copy installed it); `undefined` when it cannot be. */
export function watchPart(part: Part): PartWatch | undefined {
  const holder = part as unknown as { [WATCH_KEY]?: PartWatch };
  if (holder[WATCH_KEY]) return holder[WATCH_KEY];
  const watch: PartWatch = { listeners: new Set(), foreign: new Map(), releasing: 0, depth: 0 };
  try {
    Object.defineProperty(part, 'bindStore', {
      configurable: true,
      writable: true,
      value(this: Part, store: Store, transform?: unknown) {
        if (watch.depth > 0) return callProto(this, 'bindStore', [store, transform]);
        watch.depth++;
        try {
          return callProto(this, 'bindStore', [store, transform]);
        } finally {
          watch.depth--;
          const foreign = !isHubTransform(transform);
          watch.foreign.set(store, foreign);
          if (foreign) notify(watch, store);
        }
      },
    });
    Object.defineProperty(part, 'unbindStore', {
      configurable: true,
      writable: true,
      value(this: Part, store: Store) {
        if (watch.depth > 0) return callProto(this, 'unbindStore', [store]);
        if (watch.releasing > 0 && watch.foreign.get(store) === true) return false;
        watch.depth++;
        try {
          return callProto(this, 'unbindStore', [store]);
        } finally {
          watch.depth--;
          watch.foreign.delete(store);
        }
      },
    });
    Object.defineProperty(part, WATCH_KEY, { value: watch });
    return watch;
  } catch (error) {
    logDebug('cannot watch this channel for other bindings of the same storage', error);
    return undefined;
  }
}

/** Whether `store` is the AsyncLocalStorage of the strategy in force. */
export function isOurStorage(store: Store): boolean {
  return readTracingChannelBinding()?.asyncLocalStorage === (store as unknown);
}
