/**
 * A cheap fork of a `Scope`: a copy as `Scope#clone()` makes it, built from the scope's private
 * fields without running the constructor, and the calibration that proves it identical to
 * `clone()` before it is ever used. Calibrated per `Scope` class, the class of the scope being
 * forked: an app may load two instances of `@sentry/core` (CommonJS `@sentry/node` beside this
 * package imported as ESM), whose scopes share the carrier but not the class.
 */
import { Scope as ScopeConstructor, _INTERNAL_setSpanForScope } from '@sentry/core';
import type { Scope, Span } from '@sentry/core';

/** A scope seen as its fields. */
export type ScopeFields = Record<string | symbol, any>;

const REFS = Symbol('tracing-channel-span.scope-refs');
/** Where `@sentry/core` keeps a scope's span (`scope.refs.span`); checked by the calibration. */
export const SCOPE_SPAN_FIELD = 'span';

/**
 * A `Scope#clone()` of `@sentry/core` 10.x/11.x without running the `Scope` constructor, which
 * generates a trace id and a random sample value only for `clone()` to overwrite them, and
 * without `Object.defineProperty` for the non-enumerable `refs` (kept under a symbol, exposed by
 * an accessor on an intermediate prototype). Field order matches `clone()`.
 */
function copyScopeFields(this: ScopeFields, src: ScopeFields, span?: Span): void {
  this._notifyingListeners = false;
  this._scopeListeners = [];
  this._eventProcessors = src._eventProcessors.slice();
  this._breadcrumbs = src._breadcrumbs.slice();
  this._attachments = src._attachments.slice();
  this._user = src._user;
  // containers every Scope method replaces instead of writing into are shared (as `_user` is by
  // `clone()` itself, and the global scope's by Sentry's own `getScopeData()`); the calibration
  // proves writes on either side stay on that side
  this._tags = src._tags;
  this._attributes = { ...src._attributes };
  this._extra = src._extra;
  const contexts = { ...src._contexts };
  if (contexts.flags) contexts.flags = { values: [...contexts.flags.values] };
  this._contexts = contexts;
  this._sdkProcessingMetadata = src._sdkProcessingMetadata;
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

/** The containers {@link copyScopeFields} shares with the source instead of copying. */
const SHARED_FIELDS = new Set(['_tags', '_extra', '_sdkProcessingMetadata']);

/** What the shared containers hold, as `getScopeData()` shows them. */
function sharedView(scope: Scope): string {
  const data = scope.getScopeData();
  return JSON.stringify([data.tags, data.extra, data.sdkProcessingMetadata]);
}

/**
 * Whether writes through every Scope method that touches a shared container stay on the scope
 * written to: each method is run on the fork and then on the source, and the other one must
 * not change.
 */
function sharedFieldsStayApart(source: Scope, forked: Scope): boolean {
  const writes: Array<(scope: Scope) => void> = [
    (s) => s.setTag('t2', 2),
    (s) => s.setTags({ t3: 3 }),
    (s) => s.setExtra('e2', { k: 2 }),
    (s) => s.setExtras({ e3: 3 }),
    (s) => s.setSDKProcessingMetadata({ m: 2, n: { k: 1 } }),
    (s) => s.setSDKProcessingMetadata({ n: { j: 2 } }),
    (s) => s.update({ tags: { u: 1 }, extra: { u: 1 } }),
    (s) => (s as unknown as { clear?: () => void }).clear?.(),
  ];
  for (const [writeTo, other] of [
    [forked, source],
    [source, forked],
  ] as const) {
    for (const write of writes) {
      const before = sharedView(other);
      write(writeTo);
      if (sharedView(other) !== before) return false;
    }
  }
  return true;
}

/**
 * Returns the cheap fork if it reproduces `clone()` exactly on a populated probe of the installed
 * `@sentry/core` (same keys in the same order, same values, independent containers, same
 * methods); otherwise `clone()` itself.
 */
type Forker = (scope: Scope, span?: Span) => Scope;
type ScopeClass = new () => Scope;

/** `Scope#clone()` plus Sentry's own span setter: what the calibration falls back to. */
function cloneFallback(scope: Scope, span?: Span): Scope {
  const forked = scope.clone();
  if (span !== undefined) _INTERNAL_setSpanForScope(forked, span);
  return forked;
}

function isCloneFallback(fork: Forker): boolean {
  return fork === cloneFallback;
}

/** The calibrated fork for one `Scope` class, and the prototype its forks get (when cheap). */
function createScopeForker(ScopeClass: ScopeClass): { fork: Forker; forkProto?: object } {
  const viaClone = { fork: cloneFallback };
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
    // one constructor per class, so that each class's forks share one hidden class
    const ScopeFork = function (this: ScopeFields, src: ScopeFields, span?: Span): void {
      copyScopeFields.call(this, src, span);
    };
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
      if (copiedByClone && actual === source[k] && !SHARED_FIELDS.has(k)) return viaClone;
    }
    if (!sameJson(forked.refs, reference.refs) || forked.refs === source.refs) return viaClone;
    if (!(forked instanceof ScopeClass)) return viaClone;
    if (!sharedFieldsStayApart(probe, fork(probe))) return viaClone;
    // the span lands where Sentry's `_setSpanForScope` puts it (its reader accepts plain values)
    const marker = { spanContext: () => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }) } as unknown as Span;
    const viaSentry = new ScopeClass();
    _INTERNAL_setSpanForScope(viaSentry, marker);
    const stored = (viaSentry as unknown as ScopeFields).refs?.[SCOPE_SPAN_FIELD];
    if (stored !== marker && (stored as { deref?: () => unknown } | undefined)?.deref?.() !== marker) return viaClone;
    const withSpan = fork(probe, marker) as unknown as ScopeFields;
    if (withSpan.refs?.[SCOPE_SPAN_FIELD] !== marker) return viaClone;
    return { fork, forkProto };
  } catch {
    return viaClone;
  }
}

interface ForkerEntry {
  readonly fork: Forker;
  readonly cheap: boolean;
}

/** Scope prototype (a class's, or the prototype of its cheap forks) → that class's forker. */
const forkers = new WeakMap<object, ForkerEntry>();
let lastProto: object | undefined;
let lastEntry: ForkerEntry | undefined;

function learnForker(proto: object | null): ForkerEntry {
  const own = (proto as { constructor?: unknown } | null)?.constructor;
  const ScopeClass = (typeof own === 'function' ? own : ScopeConstructor) as ScopeClass;
  const classProto = ScopeClass.prototype as object;
  let entry = forkers.get(classProto);
  if (!entry) {
    const made = createScopeForker(ScopeClass);
    // the calibration returns its clone()-based fallback by identity, never a renamed copy
    entry = { fork: made.fork, cheap: !isCloneFallback(made.fork) };
    forkers.set(classProto, entry);
    if (made.forkProto) forkers.set(made.forkProto, entry);
  }
  if (proto) forkers.set(proto, entry);
  return entry;
}

/** The forker for the class `scope` is an instance of (its own, not the one imported here). */
function forkerOf(scope: Scope | undefined): ForkerEntry {
  const proto = scope === undefined ? (ScopeConstructor.prototype as object) : (Object.getPrototypeOf(scope) as object | null);
  if (proto !== null && proto === lastProto) return lastEntry!;
  const entry = (proto !== null && forkers.get(proto)) || learnForker(proto);
  if (proto !== null) {
    lastProto = proto;
    lastEntry = entry;
  }
  return entry;
}

/**
 * A copy of `scope` as `scope.clone()` makes it, about ten times cheaper, with `span` (when given)
 * as its active span. See {@link copyScopeFields}.
 */
export function forkScope(scope: Scope, span?: Span): Scope {
  return forkerOf(scope).fork(scope, span);
}

/**
 * Whether {@link forkScope} uses the cheap fork for scopes of `scope`'s class (default: the
 * `Scope` class imported here); false: it falls back to `Scope#clone()`.
 */
export function isCheapScopeForkActive(scope?: Scope): boolean {
  return forkerOf(scope).cheap;
}

// The last WeakRef read and its target, held so that the next read of the same WeakRef answers
// without `deref()` (which adds its target to the job's kept objects, a set insertion per call).
// Holding the target keeps that WeakRef from clearing, so the answer stays what deref() gives.
let lastRef: unknown;
let lastTarget: unknown;

/** The span a scope holds as active (`scope.refs.span`, a plain value or a WeakRef). */
export function spanOfScope(scope: Scope): unknown {
  const ref = (scope as unknown as ScopeFields).refs?.[SCOPE_SPAN_FIELD];
  if (typeof ref?.deref !== 'function') return ref;
  if (ref === lastRef) return lastTarget;
  const target = ref.deref();
  lastRef = ref;
  lastTarget = target;
  return target;
}
