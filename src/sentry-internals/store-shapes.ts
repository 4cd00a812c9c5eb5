/**
 * Cheap stores for strategies that give no `getStoreWithActiveSpan` (`@sentry/node`'s, Sentry's
 * OpenTelemetry one). Their stores have one of two shapes, and the generic path
 * (`withActiveSpan(span, () => als.getStore())`) costs a full `Scope#clone()` and an extra `run`.
 * The first call with a given shape takes the generic path and compares: only if our copy of
 * that store would be identical is the cheap path used from then on (until the strategy changes).
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import type { Scope, Span } from '@sentry/core';
import { forkScope, isCheapScopeForkActive, spanOfScope, type ScopeFields } from './scope-fork';

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

/**
 * Whether `value` is a Sentry `Scope`, judged by its methods: `instanceof` would fail for scopes
 * of another `@sentry/core` instance in the process (CommonJS `@sentry/node` beside this package
 * imported as ESM), sending every call down the generic path.
 */
function isScope(value: unknown): value is Scope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Scope).clone === 'function' &&
    typeof (value as Scope).getScopeData === 'function' &&
    typeof (value as Scope).setPropagationContext === 'function'
  );
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
    const scope = shape === 'pair' ? (caller as ScopePairLike).scope : asPair((caller as ContextLike).getValue(SENTRY_SCOPES_KEY))!.scope;
    shapeVerdicts[shape] = sameAsCheap(shape, caller, made, span) && isCheapScopeForkActive(scope) ? 'cheap' : 'generic';
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
