/**
 * One active instrumentation per integration and process (the ESM and CommonJS builds share the
 * slot through `globalSlot`), with the convention every integration follows: a second call with
 * the same options returns the active handle; with other options it unbinds the active one and
 * starts again with the new options (a debug line says so), so the last call's options are in force.
 * `setupArbitrated` adds, for integrations whose channels Sentry's own may bind, the arbitration
 * with it (`sentry-overlap.ts`) and the handle's `owner`.
 */
import { globalSlot } from '../core/global-slot';
import { logDebug } from '../core/guard';
import { arbitrateBindings, type SentryOverlapOwner, type SentryOverlapSpec, type Unbindable } from './sentry-overlap';

/** The handle every `instrumentX()` of this folder returns. */
export interface InstrumentationHandle<TOptions> extends Disposable {
  /** The options in force, defaults applied. */
  readonly options: Readonly<TOptions>;
  /** Stops the integration (idempotent); afterwards `instrumentX()` may be called again with other options. */
  unbind(): void;
}

/** What `start` returns: how to stop, and read-only properties to add to the handle (e.g. `owner`). */
export interface Started {
  teardown: () => void;
  extra?: object;
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
 * Returns the active handle of `name` when its options equal `options`; otherwise unbinds it (a
 * debug line) and runs `start`, wrapping what it returns in a new handle.
 */
export function setupOnce<TOptions extends object, TExtra extends object = object>(
  name: string,
  fn: string,
  options: TOptions,
  start: () => Started,
): InstrumentationHandle<TOptions> & TExtra {
  const s = slot(name);
  const current = s.current as (InstrumentationHandle<TOptions> & TExtra) | undefined;
  if (current) {
    if (sameOptions(current.options, options)) return current;
    logDebug(`${fn}: called again with other options; rebinding with the new ones`);
    current.unbind();
  }
  const { teardown, extra } = start();
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
  } as unknown as InstrumentationHandle<TOptions> & TExtra;
  if (extra) Object.defineProperties(handle, Object.getOwnPropertyDescriptors(extra));
  s.current = handle as InstrumentationHandle<unknown>;
  return handle;
}

/** The handle of an integration set up with {@link setupArbitrated}: options in force, owner, `unbind()`. */
export type ArbitratedInstrumentation<TOptions> = InstrumentationHandle<TOptions> & { readonly owner: SentryOverlapOwner };

/**
 * `instrumentX()` for an integration whose channels Sentry's own integration may also bind: one
 * instrumentation per process under `slotName` ({@link setupOnce}: same options, same handle;
 * other options, a rebind), its bindings from `bindAll()` arbitrated with Sentry's
 * (`arbitrateBindings`). `alongside()`, if given, starts what is not arbitrated (after the
 * bindings) and returns its stop, which runs after they are unbound.
 *
 * @example
 * return setupArbitrated('mysql2', resolved, { integration: 'instrumentMysql2', sentryIntegrations: ['Mysql2'], channels, policy }, () => bindAll(resolved));
 */
export function setupArbitrated<TOptions extends object>(
  slotName: string,
  options: TOptions,
  spec: SentryOverlapSpec,
  bindAll: () => readonly Unbindable[],
  alongside?: () => () => void,
): ArbitratedInstrumentation<TOptions> {
  return setupOnce<TOptions, { readonly owner: SentryOverlapOwner }>(slotName, spec.integration, options, () => {
    const overlap = arbitrateBindings(spec, bindAll);
    const stop = alongside?.();
    return {
      teardown: () => {
        overlap.unbind();
        stop?.();
      },
      extra: {
        get owner() {
          return overlap.owner;
        },
      },
    };
  });
}
