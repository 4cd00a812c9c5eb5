/**
 * State shared by every copy of this package loaded in the process (the ESM and the CommonJS
 * build are two module instances): Node allows one store transform per channel and storage, so
 * two copies each keeping their own hubs would replace each other's transform.
 */
import type { ChannelHub } from './channel-hub';
import type { CallEntry } from './lifecycle';

interface Registry {
  /** tracingChannel.start → its hub. */
  hubs: WeakMap<object, ChannelHub>;
  /** Hubs with bindings or calls in flight (re-attached when the strategy changes). */
  liveHubs: Set<ChannelHub>;
  /** payload → first entry of its call. */
  callEntries: WeakMap<object, CallEntry>;
  /** span → the entry that made it. */
  spanEntries: WeakMap<object, CallEntry>;
}

const KEY = Symbol.for('tracing-channel-span.registry.v1');

function create(): Registry {
  return { hubs: new WeakMap(), liveHubs: new Set(), callEntries: new WeakMap(), spanEntries: new WeakMap() };
}

/** The process-wide registry, created on first use. */
export const registry: Registry = (() => {
  const holder = globalThis as { [KEY]?: Registry };
  return (holder[KEY] ??= create());
})();
