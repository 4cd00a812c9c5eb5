/**
 * The one place that touches what `@sentry/core` keeps private: the async-context strategy's
 * `getTracingChannelBinding`, the carrier slot (`__SENTRY__[version].acs`) the strategy lives
 * in, and the fields of `Scope` (for a cheaper fork). `test/unit/core/sentry-internals.test.ts`
 * pins the shape we rely on.
 */
import {
  GLOBAL_OBJ,
  SDK_VERSION,
  Scope as ScopeConstructor,
  _INTERNAL_setSpanForScope,
  getAsyncContextStrategy,
  getMainCarrier,
} from '@sentry/core';
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
/** Where `@sentry/core` keeps a scope's span (`scope.refs.span`); checked by the calibration. */
const SCOPE_SPAN_FIELD = 'span';

/**
 * A `Scope#clone()` of `@sentry/core` 10.x/11.x without running the `Scope` constructor, which
 * generates a trace id and a random sample value only for `clone()` to overwrite them, and
 * without `Object.defineProperty` for the non-enumerable `refs` (kept under a symbol, exposed by
 * an accessor on an intermediate prototype). Field order matches `clone()`.
 */
function ScopeFork(this: ScopeFields, src: ScopeFields, span?: Span): void {
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
  // the active span, held directly: `_INTERNAL_setSpanForScope` would allocate a WeakRef per call,
  // and Sentry's reader accepts a plain value (calibrated below)
  this[REFS] = span === undefined ? { ...src.refs } : { ...src.refs, [SCOPE_SPAN_FIELD]: span };
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
type Forker = (scope: Scope, span?: Span) => Scope;

/** `Scope#clone()` plus Sentry's own span setter: what the calibration falls back to. */
function cloneFallback(scope: Scope, span?: Span): Scope {
  const forked = scope.clone();
  if (span !== undefined) _INTERNAL_setSpanForScope(forked, span);
  return forked;
}

function isCloneFallback(fork: Forker): boolean {
  return fork === cloneFallback;
}

function createScopeForker(ScopeClass: new () => Scope): Forker {
  const viaClone = cloneFallback;
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
    const fork = (scope: Scope, span?: Span): Scope =>
      new (ScopeFork as unknown as new (src: Scope, span?: Span) => Scope)(scope, span);

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
    // the span lands where Sentry's `_setSpanForScope` puts it (its reader accepts plain values)
    const marker = { spanContext: () => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }) } as unknown as Span;
    const viaSentry = new ScopeClass();
    _INTERNAL_setSpanForScope(viaSentry, marker);
    const stored = (viaSentry as unknown as ScopeFields).refs?.[SCOPE_SPAN_FIELD];
    if (stored !== marker && (stored as { deref?: () => unknown } | undefined)?.deref?.() !== marker) return viaClone;
    const withSpan = fork(probe, marker) as unknown as ScopeFields;
    if (withSpan.refs?.[SCOPE_SPAN_FIELD] !== marker) return viaClone;
    return fork;
  } catch {
    return viaClone;
  }
}

let forker: { fork: Forker; cheap: boolean } | undefined;

function getForker(): { fork: Forker; cheap: boolean } {
  if (!forker) {
    const fork = createScopeForker(ScopeConstructor as unknown as new () => Scope);
    // the calibration returns its clone()-based fallback by identity, never a renamed copy
    forker = { fork, cheap: !isCloneFallback(fork) };
  }
  return forker;
}

/**
 * A copy of `scope` as `scope.clone()` makes it, about ten times cheaper, with `span` (when given)
 * as its active span. See {@link ScopeFork}.
 */
export function forkScope(scope: Scope, span?: Span): Scope {
  return getForker().fork(scope, span);
}

/** Whether {@link forkScope} uses the cheap fork (false: it falls back to `Scope#clone()`). */
export function isCheapScopeForkActive(): boolean {
  return getForker().cheap;
}

// ---------------------------------------------------------------------------------------------
// Cheap stores for strategies that give no `getStoreWithActiveSpan` (`@sentry/node`'s, Sentry's
// OpenTelemetry one). Their stores have one of two shapes, and the generic path
// (`withActiveSpan(span, () => als.getStore())`) costs a full `Scope#clone()` and an extra `run`.
// The first call with a given shape takes the generic path and compares: only if our copy of
// that store would be identical is the cheap path used from then on (until the strategy changes).

/** `createContextKey` of `@opentelemetry/api` is `Symbol.for(description)`. */
const OTEL_SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');
/** `@sentry/opentelemetry`'s key for the `{ scope, isolationScope }` pair on a Context. */
const SENTRY_SCOPES_KEY = Symbol.for('sentry_scopes');
/** `@sentry/opentelemetry` links a scope back to its Context at `scope.refs.context`. */
const SCOPE_CONTEXT_FIELD = 'context';

interface ScopePairLike {
  scope: Scope;
  isolationScope: Scope;
}
interface ContextLike {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): ContextLike;
}

type Shape = 'pair' | 'context';
const shapeVerdicts: Record<Shape, 'unknown' | 'cheap' | 'generic'> = { pair: 'unknown', context: 'unknown' };

function isScope(value: unknown): value is Scope {
  return value instanceof ScopeConstructor;
}

function asPair(value: unknown): ScopePairLike | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const pair = value as Partial<ScopePairLike>;
  return isScope(pair.scope) && isScope(pair.isolationScope) ? (pair as ScopePairLike) : undefined;
}

function shapeOf(store: unknown): Shape | undefined {
  if (typeof store !== 'object' || store === null) return undefined;
  if (typeof (store as ContextLike).getValue === 'function') {
    return asPair((store as ContextLike).getValue(SENTRY_SCOPES_KEY)) ? 'context' : undefined;
  }
  return Object.getPrototypeOf(store) === Object.prototype && asPair(store) ? 'pair' : undefined;
}

function spanOfScope(scope: Scope): unknown {
  const ref = (scope as unknown as ScopeFields).refs?.[SCOPE_SPAN_FIELD];
  return typeof ref?.deref === 'function' ? ref.deref() : ref;
}

function cheapStore(shape: Shape, caller: unknown, span: Span): unknown {
  if (shape === 'pair') {
    const pair = caller as ScopePairLike;
    return { scope: forkScope(pair.scope, span), isolationScope: pair.isolationScope };
  }
  const context = caller as ContextLike;
  const pair = asPair(context.getValue(SENTRY_SCOPES_KEY))!;
  const scope = forkScope(pair.scope, span);
  const next = context.setValue(OTEL_SPAN_KEY, span).setValue(SENTRY_SCOPES_KEY, {
    scope,
    isolationScope: pair.isolationScope,
  });
  (scope as unknown as ScopeFields).refs[SCOPE_CONTEXT_FIELD] = next;
  return next;
}

/** Whether `generic` (made the slow way) is exactly what {@link cheapStore} would have made. */
function sameAsCheap(shape: Shape, caller: unknown, generic: unknown, span: Span): boolean {
  if (shape === 'pair') {
    const before = caller as ScopePairLike;
    const after = asPair(generic);
    return (
      after !== undefined &&
      Object.getPrototypeOf(generic) === Object.prototype &&
      Object.keys(generic as object).join() === 'scope,isolationScope' &&
      after.isolationScope === before.isolationScope &&
      after.scope !== before.scope &&
      spanOfScope(after.scope) === span
    );
  }
  if (typeof (generic as ContextLike)?.getValue !== 'function') return false;
  const context = generic as ContextLike;
  const before = asPair((caller as ContextLike).getValue(SENTRY_SCOPES_KEY))!;
  const after = asPair(context.getValue(SENTRY_SCOPES_KEY));
  if (!after || context.getValue(OTEL_SPAN_KEY) !== span) return false;
  const link = (after.scope as unknown as ScopeFields).refs?.[SCOPE_CONTEXT_FIELD];
  const linked = typeof link?.deref === 'function' ? link.deref() : link;
  return (
    after.isolationScope === before.isolationScope &&
    after.scope !== before.scope &&
    spanOfScope(after.scope) === span &&
    linked === generic &&
    [Symbol.for('sentry_fork_isolation_scope'), Symbol.for('sentry_fork_set_scope'), Symbol.for('sentry_fork_set_isolation_scope')].every(
      (key) => context.getValue(key) === undefined,
    )
  );
}

/**
 * The store in which `span` is active, for a strategy without `getStoreWithActiveSpan`: the
 * cheap copy when the caller's store has a verified shape, else `generic(span)`.
 */
export function storeWithActiveSpan(storage: AsyncLocalStorage<unknown>, span: Span, generic: (span: Span) => unknown): unknown {
  let caller: unknown;
  let shape: Shape | undefined;
  try {
    caller = storage.getStore();
    shape = shapeOf(caller);
  } catch {
    shape = undefined;
  }
  if (shape === undefined || shapeVerdicts[shape] === 'generic') return generic(span);
  if (shapeVerdicts[shape] === 'cheap') return cheapStore(shape, caller, span);
  const made = generic(span);
  try {
    shapeVerdicts[shape] = sameAsCheap(shape, caller, made, span) && isCheapScopeForkActive() ? 'cheap' : 'generic';
  } catch {
    shapeVerdicts[shape] = 'generic';
  }
  return made;
}

/** Forgets the shape verdicts: called when the strategy changes. */
export function resetStoreShapes(): void {
  shapeVerdicts.pair = 'unknown';
  shapeVerdicts.context = 'unknown';
}

/** Which shapes use the cheap path now (for tests and the benchmark). */
export function storeShapeVerdicts(): Readonly<Record<Shape, string>> {
  return { ...shapeVerdicts };
}
