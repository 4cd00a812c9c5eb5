/**
 * One active instrumentation per integration and process (the ESM and CommonJS builds share the
 * slot through `globalSlot`): a second call returns the first handle and,
 * when its options differ, says so in a debug line. `unbind()` frees the slot.
 */
import { globalSlot } from '../core/global-slot';
import { logDebug } from '../core/guard';

/** The handle every `instrumentX()` of this folder returns. */
export interface InstrumentationHandle<TOptions> extends Disposable {
  /** The options in force, defaults applied. */
  readonly options: Readonly<TOptions>;
  /** Stops the integration (idempotent); afterwards `instrumentX()` may be called again with other options. */
  unbind(): void;
}

interface Slot {
  current: InstrumentationHandle<unknown> | undefined;
}

const disposeSymbol: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('nodejs.dispose');

function slot(name: string): Slot {
  return globalSlot<Slot>(`instrumentation.${name}`, () => ({ current: undefined }));
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

/** Whether two resolved option objects are the same, key by key (arrays element-wise). */
export function sameOptions(a: object, b: object): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (!sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/**
 * Returns the active handle of `name` when there is one (a debug line when `options` differ), or
 * runs `start` and wraps what it returns (the teardown) in a new handle.
 */
export function setupOnce<TOptions extends object>(
  name: string,
  fn: string,
  options: TOptions,
  start: () => () => void,
): InstrumentationHandle<TOptions> {
  const s = slot(name);
  const current = s.current as InstrumentationHandle<TOptions> | undefined;
  if (current) {
    if (!sameOptions(current.options, options)) {
      logDebug(`${fn}: already active; keeping the first options (call unbind() first to change them)`);
    }
    return current;
  }
  const teardown = start();
  let unbound = false;
  const handle = {
    options: Object.freeze({ ...options }),
    unbind() {
      if (unbound) return;
      unbound = true;
      if (s.current === handle) s.current = undefined;
      teardown();
    },
    [disposeSymbol]() {
      handle.unbind();
    },
  } as unknown as InstrumentationHandle<TOptions>;
  s.current = handle as InstrumentationHandle<unknown>;
  return handle;
}
