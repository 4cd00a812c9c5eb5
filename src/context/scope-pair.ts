/**
 * The scope-pair strategy: an AsyncLocalStorage holding `{ scope, isolationScope }`, like
 * `@sentry/core`'s own AsyncLocalStorage strategy, plus a tracing-channel binding whose store is
 * made directly (one cheap scope fork, no extra `run`). A bound root span (no parent) also gets
 * its own isolation scope.
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import {
  getRootSpan,
  generateTraceId,
  getDefaultCurrentScope,
  getDefaultIsolationScope,
  setAsyncContextStrategy,
} from '@sentry/core';
import type { Scope, Span } from '@sentry/core';
import { getAsyncHooks } from '../core/node-builtins';
import { logDebug } from '../core/guard';
import { isContinuingTrace, sampleRand } from '../sentry-internals/exports';
import { forkScope } from '../sentry-internals/scope-fork';
import { createTracingChannelBinding } from './tracing-channel-binding';

/** The store of the scope-pair strategy. */
export interface ScopePair {
  scope: Scope;
  isolationScope: Scope;
}

type Strategy = Parameters<typeof setAsyncContextStrategy>[0];

/**
 * A scope-pair store that also reads as an empty OpenTelemetry `Context` (`getValue`, `setValue`,
 * `deleteValue`). `Sentry.init` with OpenTelemetry set up adopts the storage of the strategy it
 * replaces, so async work begun under this strategy (a pool or server created inside one of its
 * scopes, a callback scheduled inside a traced call) would hand these stores to OpenTelemetry as
 * contexts and every `startSpan` there would throw `context.getValue is not a function`.
 */
class ScopePairStore implements ScopePair {
  constructor(
    public scope: Scope,
    public isolationScope: Scope,
  ) {}
  getValue(_key: symbol): unknown {
    return undefined;
  }
  setValue(key: symbol, value: unknown): DetachedContext {
    return new DetachedContext(new Map([[key, value]]));
  }
  deleteValue(_key: symbol): DetachedContext {
    return new DetachedContext(new Map());
  }
}

/** What an adopting OpenTelemetry strategy derives from a {@link ScopePairStore}: a plain context. */
class DetachedContext {
  constructor(private readonly _values: Map<symbol, unknown>) {}
  getValue(key: symbol): unknown {
    return this._values.get(key);
  }
  setValue(key: symbol, value: unknown): DetachedContext {
    const values = new Map(this._values);
    values.set(key, value);
    return new DetachedContext(values);
  }
  deleteValue(key: symbol): DetachedContext {
    const values = new Map(this._values);
    values.delete(key);
    return new DetachedContext(values);
  }
}

let installed: { storage: AsyncLocalStorage<ScopePair>; strategy: NonNullable<Strategy> } | undefined;

function createStrategy(storage: AsyncLocalStorage<ScopePair>): NonNullable<Strategy> {
  const current = (): ScopePair =>
    storage.getStore() ?? { scope: getDefaultCurrentScope(), isolationScope: getDefaultIsolationScope() };

  const binding = createTracingChannelBinding(storage, (span: Span): ScopePair => {
    const { scope, isolationScope } = current();
    const forked = forkScope(scope, span);
    // a root span starts a unit of work of its own (a request, a job): isolate it like
    // `withIsolationScope` would, so what it sets on the isolation scope stays inside it
    return new ScopePairStore(forked, getRootSpan(span) === span ? forkScope(isolationScope) : isolationScope);
  });

  return {
    withScope(callback) {
      const { scope, isolationScope } = current();
      const forked = scope.clone();
      return storage.run(new ScopePairStore(forked, isolationScope), callback, forked);
    },
    withSetScope(scope, callback) {
      return storage.run(new ScopePairStore(scope, current().isolationScope), callback, scope);
    },
    withIsolationScope(callback) {
      const pair = current();
      const scope = pair.scope.clone();
      const isolationScope = pair.isolationScope.clone();
      if (!isContinuingTrace(scope.getPropagationContext())) {
        scope.setPropagationContext({ traceId: generateTraceId(), sampleRand: sampleRand() });
      }
      return storage.run(new ScopePairStore(scope, isolationScope), callback, isolationScope);
    },
    withSetIsolationScope(isolationScope, callback) {
      return storage.run(new ScopePairStore(current().scope.clone(), isolationScope), callback, isolationScope);
    },
    getCurrentScope: () => current().scope,
    getIsolationScope: () => current().isolationScope,
    getTracingChannelBinding: () => binding,
  };
}

/**
 * Installs an AsyncLocalStorage-backed Sentry async-context strategy whose store is the pair
 * `{ scope, isolationScope }`, with a tracing-channel binding. Use it with `@sentry/core` alone
 * (no OpenTelemetry). Calling it again keeps the same storage, so existing bindings keep working.
 * Do not use it together with `@sentry/node`'s `Sentry.init`, which installs its own strategy.
 *
 * @returns whether the strategy is installed (`false` where `node:async_hooks` is missing).
 */
export function setScopePairAsyncContextStrategy(): boolean {
  if (!installed) {
    const hooks = getAsyncHooks();
    if (!hooks) {
      logDebug('setScopePairAsyncContextStrategy: node:async_hooks is not available here');
      return false;
    }
    const storage = new hooks.AsyncLocalStorage<ScopePair>();
    installed = { storage, strategy: createStrategy(storage) };
  }
  setAsyncContextStrategy(installed.strategy);
  return true;
}
