/**
 * Process-wide state, shared by every copy of this package loaded in one process. The ESM and the
 * CommonJS build are two module instances (and a bundle may add a third): Node keeps one store
 * transform per (channel, storage) and an integration subscribed twice doubles every span, so
 * whatever must exist once per process lives here, under one versioned key on `globalThis`.
 */

/** Bump when the shape of any slot changes: copies of different shapes then keep apart. */
const KEY = Symbol.for('tracing-channel-span.slots.v1');

type Slots = Record<string, unknown>;

/**
 * The process-wide value named `name`, made by `create()` the first time any copy of this
 * package asks for it. Never throws (a frozen `globalThis` gets a slot of this module alone).
 */
export function globalSlot<T>(name: string, create: () => T): T {
  const slots = readSlots();
  if (!(name in slots)) slots[name] = create();
  return slots[name] as T;
}

let local: Slots | undefined;

function readSlots(): Slots {
  const holder = globalThis as { [KEY]?: Slots };
  const found = holder[KEY];
  if (found !== undefined) return found;
  const created: Slots = Object.create(null) as Slots;
  try {
    Object.defineProperty(holder, KEY, { value: created, configurable: false, enumerable: false, writable: false });
    return created;
  } catch {
    return (local ??= created);
  }
}
