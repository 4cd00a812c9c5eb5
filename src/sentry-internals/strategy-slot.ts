/**
 * The async-context strategy slot of `@sentry/core`: the strategy's `getTracingChannelBinding`
 * (not part of Sentry's public API) and the carrier slot (`__SENTRY__[version].acs`) it lives in,
 * turned into an accessor so that a new strategy is noticed the moment it is installed.
 */
import { GLOBAL_OBJ, SDK_VERSION, getMainCarrier, setAsyncContextStrategy } from '@sentry/core';
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { TracingChannelBinding } from '../context/tracing-channel-binding';
import { currentAsyncContextStrategy } from './exports';

function isStorage(value: unknown): value is AsyncLocalStorage<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as AsyncLocalStorage<unknown>).getStore === 'function' &&
    typeof (value as AsyncLocalStorage<unknown>).run === 'function'
  );
}

/**
 * The current strategy's tracing-channel binding, or `undefined` when no strategy provides one
 * (or the one it provides is unusable). Never throws.
 */
export function readTracingChannelBinding(): TracingChannelBinding | undefined {
  try {
    const binding = currentAsyncContextStrategy().getTracingChannelBinding?.() as
      | Partial<TracingChannelBinding>
      | undefined;
    if (!binding || !isStorage(binding.asyncLocalStorage)) return undefined;
    return binding as TracingChannelBinding;
  } catch {
    return undefined;
  }
}

type Listener = () => void;
const listeners = new Set<Listener>();
let hookState: 'none' | 'installed' | 'failed' = 'none';

interface SentryCarrier {
  acs?: unknown;
}

function sentryCarrier(): SentryCarrier | undefined {
  getMainCarrier();
  const root = (GLOBAL_OBJ as { __SENTRY__?: Record<string, unknown> }).__SENTRY__;
  const carrier = root?.[SDK_VERSION];
  return typeof carrier === 'object' && carrier !== null ? (carrier as SentryCarrier) : undefined;
}

/**
 * Turns the strategy slot into an accessor so that bindings learn about a new strategy the moment
 * `setAsyncContextStrategy` runs (e.g. inside `Sentry.init`), before the next traced call.
 * Returns false when the slot cannot be observed; callers then re-check on each traced call.
 */
function installHook(): boolean {
  if (hookState !== 'none') return hookState === 'installed';
  hookState = 'failed';
  try {
    const carrier = sentryCarrier();
    if (!carrier) return false;
    const previous = Object.getOwnPropertyDescriptor(carrier, 'acs');
    if (previous && !previous.configurable) return false;
    let value: unknown = previous && 'value' in previous ? previous.value : undefined;
    const get = previous?.get ? previous.get.bind(carrier) : () => value;
    const set = previous?.set
      ? (v: unknown) => previous.set!.call(carrier, v)
      : (v: unknown) => {
          value = v;
        };
    Object.defineProperty(carrier, 'acs', {
      configurable: true,
      enumerable: true,
      get,
      set(next: unknown) {
        set(next);
        for (const listener of listeners) {
          try {
            listener();
          } catch {
            // a listener is ours and guarded; nothing may escape into setAsyncContextStrategy
          }
        }
      },
    });
    hookState = 'installed';
    return true;
  } catch {
    return false;
  }
}

/**
 * Calls `listener` whenever the async-context strategy is replaced. Returns whether changes are
 * observed (false: the caller must poll) and a function that stops listening.
 */
export function onStrategyChange(listener: Listener): { observed: boolean; stop: () => void } {
  const observed = installHook();
  listeners.add(listener);
  return { observed, stop: () => listeners.delete(listener) };
}

/** The raw strategy object currently installed, for cheap change detection when not observed. */
export function currentStrategyObject(): unknown {
  try {
    return sentryCarrier()?.acs;
  } catch {
    return undefined;
  }
}


/**
 * Before installing an OpenTelemetry strategy: Sentry's installer adopts the storage of the
 * strategy in place, so a strategy that provides a tracing-channel binding but is not an
 * OpenTelemetry one (no `getActiveSpan`) is removed first. A store of one strategy is never
 * handed to another.
 */
export function dropNonOtelStrategy(): void {
  const current = currentAsyncContextStrategy();
  if (current.getTracingChannelBinding && typeof current.getActiveSpan !== 'function') {
    setAsyncContextStrategy(undefined);
  }
}
