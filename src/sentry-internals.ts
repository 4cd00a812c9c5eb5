/**
 * The one place that touches what `@sentry/core` keeps private: the async-context strategy's
 * `getTracingChannelBinding`, the carrier slot (`__SENTRY__[version].acs`) the strategy lives
 * in, and the fields of `Scope` (for a cheaper fork). `test/unit/core/sentry-internals.test.ts`
 * pins the shape we rely on.
 */
import { GLOBAL_OBJ, SDK_VERSION, Scope as ScopeConstructor, getAsyncContextStrategy, getMainCarrier } from '@sentry/core';
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Scope, Span } from '@sentry/core';

/** What a strategy hands to bindings: its storage, and optionally a cheap way to make a store. */
export interface TracingChannelBinding {
  asyncLocalStorage: AsyncLocalStorage<unknown>;
  /** Returns the store in which `span` is the active span. Absent: `withActiveSpan(span, () => als.getStore())`. */
  getStoreWithActiveSpan?: (span: Span) => unknown;
}

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
    const binding = getAsyncContextStrategy(getMainCarrier()).getTracingChannelBinding?.() as
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

type ScopeFields = Record<string | symbol, any>;

const REFS = Symbol('tracing-channel-span.scope-refs');

/**
 * A `Scope#clone()` of `@sentry/core` 10.x/11.x without running the `Scope` constructor, which
 * generates a trace id and a random sample value only for `clone()` to overwrite them, and
 * without `Object.defineProperty` for the non-enumerable `refs` (kept under a symbol, exposed by
 * an accessor on an intermediate prototype). Field order matches `clone()`.
 */
function ScopeFork(this: ScopeFields, src: ScopeFields): void {
  this._notifyingListeners = false;
  this._scopeListeners = [];
  this._eventProcessors = src._eventProcessors.slice();
  this._breadcrumbs = src._breadcrumbs.slice();
  this._attachments = src._attachments.slice();
  this._user = src._user;
  this._tags = { ...src._tags };
  this._attributes = { ...src._attributes };
  this._extra = { ...src._extra };
  const contexts = { ...src._contexts };
  if (contexts.flags) contexts.flags = { values: [...contexts.flags.values] };
  this._contexts = contexts;
  this._sdkProcessingMetadata = { ...src._sdkProcessingMetadata };
  this[REFS] = { ...src.refs };
  this._propagationContext = { ...src._propagationContext };
  this._level = src._level;
  this._session = src._session;
  this._transactionName = src._transactionName;
  this._fingerprint = src._fingerprint;
  this._client = src._client;
  this._lastEventId = src._lastEventId;
  this._conversationId = src._conversationId;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Returns the cheap fork if it reproduces `clone()` exactly on a populated probe of the installed
 * `@sentry/core` (same keys in the same order, same values, independent containers, same
 * methods); otherwise `clone()` itself.
 */
function createScopeForker(ScopeClass: new () => Scope): (scope: Scope) => Scope {
  const viaClone = (scope: Scope): Scope => scope.clone();
  try {
    const scopeProto = ScopeClass.prototype as object;
    const forkProto = Object.create(scopeProto, {
      refs: {
        configurable: true,
        enumerable: false,
        get(this: ScopeFields) {
          return this[REFS];
        },
        set(this: ScopeFields, value: unknown) {
          this[REFS] = value;
        },
      },
    });
    ScopeFork.prototype = forkProto;
    const fork = (scope: Scope): Scope => new (ScopeFork as unknown as new (src: Scope) => Scope)(scope);

    const probe = new ScopeClass();
    probe.setTag('t', 1);
    probe.setExtra('e', 1);
    probe.setContext('c', { k: 1 });
    probe.setContext('flags', { values: [{ flag: 'f', result: true }] } as never);
    probe.setUser({ id: '1' });
    probe.setLevel('warning');
    probe.setFingerprint(['f']);
    probe.setTransactionName('t');
    probe.addBreadcrumb({ message: 'b' });
    probe.addEventProcessor((event) => event);
    probe.setSDKProcessingMetadata({ m: 1 });
    const source = probe as unknown as ScopeFields;
    const reference = probe.clone() as unknown as ScopeFields;
    const forked = fork(probe) as unknown as ScopeFields;
    const keys = Object.keys(reference);
    if (Object.keys(forked).join() !== keys.join()) return viaClone;
    for (const k of keys) {
      const expected = reference[k];
      const actual = forked[k];
      if (typeof expected === 'function' || typeof actual === 'function') return viaClone;
      if (Array.isArray(expected)) {
        if (!Array.isArray(actual) || actual.length !== expected.length) return viaClone;
        if (expected !== source[k] && actual === source[k]) return viaClone;
        if (k !== '_eventProcessors' && k !== '_scopeListeners' && !sameJson(actual, expected)) return viaClone;
        continue;
      }
      if (!sameJson(actual, expected)) return viaClone;
      const copiedByClone = typeof expected === 'object' && expected !== null && expected !== source[k];
      if (copiedByClone && actual === source[k]) return viaClone;
    }
    if (!sameJson(forked.refs, reference.refs) || forked.refs === source.refs) return viaClone;
    if (!(forked instanceof ScopeClass)) return viaClone;
    return fork;
  } catch {
    return viaClone;
  }
}

let forker: ((scope: Scope) => Scope) | undefined;

/** A copy of `scope` as `scope.clone()` makes it, about ten times cheaper. See {@link ScopeFork}. */
export function forkScope(scope: Scope): Scope {
  forker ??= createScopeForker(ScopeConstructor as unknown as new () => Scope);
  return forker(scope);
}

/** Whether {@link forkScope} uses the cheap fork (false: it falls back to `Scope#clone()`). */
export function isCheapScopeForkActive(): boolean {
  forker ??= createScopeForker(ScopeConstructor as unknown as new () => Scope);
  return forker.name === 'fork';
}
