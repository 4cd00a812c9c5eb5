import { AsyncLocalStorage } from 'node:async_hooks';
import { GLOBAL_OBJ, SDK_VERSION, getMainCarrier, setAsyncContextStrategy } from '@sentry/core';
import { currentAsyncContextStrategy } from '../../../src/sentry-internals/exports';
import { describe, expect, it } from 'vitest';
import { createTracingChannelBinding } from '../../../src/index';
import { onStrategyChange, readTracingChannelBinding } from '../../../src/sentry-internals/strategy-slot';

describe('the @sentry/core internals we rely on', () => {
  it('the strategy lives in __SENTRY__[SDK_VERSION].acs and getTracingChannelBinding is read from it', () => {
    const carrier = (GLOBAL_OBJ as any).__SENTRY__?.[SDK_VERSION] ?? (getMainCarrier(), (GLOBAL_OBJ as any).__SENTRY__[SDK_VERSION]);
    const storage = new AsyncLocalStorage();
    const strategy = { ...(currentAsyncContextStrategy() as ReturnType<typeof import('@sentry/core').getAsyncContextStrategy>), getTracingChannelBinding: () => createTracingChannelBinding(storage) };
    const seen: number[] = [];
    const watch = onStrategyChange(() => seen.push(1));
    expect(watch.observed).toBe(true);
    setAsyncContextStrategy(strategy);
    expect(carrier.acs).toBe(strategy);
    expect(seen).toEqual([1]);
    expect(readTracingChannelBinding()?.asyncLocalStorage).toBe(storage);
    setAsyncContextStrategy(undefined);
    expect(seen).toEqual([1, 1]);
    expect(readTracingChannelBinding()).toBeUndefined();
    watch.stop();
  });

  it('createTracingChannelBinding rejects what is not a storage', () => {
    expect(() => createTracingChannelBinding({} as never)).toThrow(TypeError);
    expect(() => createTracingChannelBinding(new AsyncLocalStorage(), 'x' as never)).toThrow(/getStoreWithActiveSpan/);
  });
});

describe('forkScope: a cheaper Scope#clone', () => {
  it('reproduces clone() field for field, with independent containers and the same prototype', async () => {
    const { Scope } = await import('@sentry/core');
    const { forkScope, isCheapScopeForkActive } = await import('../../../src/sentry-internals/scope-fork');
    expect(isCheapScopeForkActive()).toBe(true);
    const scope = new Scope();
    scope.setTag('a', 1);
    scope.setExtra('x', { deep: true });
    scope.setContext('ctx', { k: 'v' });
    scope.setUser({ id: '7' });
    scope.addBreadcrumb({ message: 'crumb' });
    scope.addEventProcessor((e) => e);
    scope.setPropagationContext({ traceId: 'a'.repeat(32), sampleRand: 0.5 });
    const forked = forkScope(scope) as any;
    const cloned = scope.clone() as any;
    expect(forked).toBeInstanceOf(Scope);
    expect(Object.keys(forked)).toEqual(Object.keys(cloned));
    for (const key of Object.keys(cloned)) {
      if (typeof cloned[key] === 'function') continue;
      expect(JSON.stringify(forked[key]), key).toBe(JSON.stringify(cloned[key]));
    }
    expect(forked._eventProcessors).toHaveLength(1);
    expect(Object.keys(forked)).not.toContain('refs');
    expect(forked.refs).toEqual(cloned.refs);
    expect(forked.refs).not.toBe((scope as any).refs);
    // a fork can itself be cloned and forked
    expect(Object.keys(forked.clone())).toEqual(Object.keys(cloned));
    expect(Object.keys(forkScope(forked))).toEqual(Object.keys(cloned));

    // writes to the fork never reach the original, through every mutating method
    forked.setTag('b', 2);
    forked.setContext('ctx2', { n: 1 });
    forked.addBreadcrumb({ message: 'fork crumb' });
    forked.addEventProcessor((e: unknown) => e);
    forked.setAttribute?.('attr', 1);
    forked.setPropagationContext({ traceId: 'b'.repeat(32), sampleRand: 0.1 });
    const data = scope.getScopeData();
    expect(data.tags).toEqual({ a: 1 });
    expect(Object.keys(data.contexts)).toEqual(['ctx']);
    expect(data.breadcrumbs).toHaveLength(1);
    expect(data.eventProcessors).toHaveLength(1);
    expect(scope.getPropagationContext().traceId).toBe('a'.repeat(32));
    expect(forked.getScopeData().tags).toEqual({ a: 1, b: 2 });

    // and writes to the original never reach a fork made before them
    const later = forkScope(scope) as any;
    scope.setTag('c', 3);
    scope.setExtras({ y: 1 });
    scope.setSDKProcessingMetadata({ m: 1 });
    scope.update({ tags: { d: 4 }, extra: { z: 1 } });
    expect(later.getScopeData().tags).toEqual({ a: 1 });
    expect(later.getScopeData().extra).toEqual({ x: { deep: true } });
    expect(later.getScopeData().sdkProcessingMetadata).toEqual({});
  });
});

describe('forkScope with a span', () => {
  it('the span is the active span for Sentry inside that scope, held without a WeakRef', async () => {
    const { Scope, getActiveSpan, startInactiveSpan, withScope } = await import('@sentry/core');
    const { forkScope } = await import('../../../src/sentry-internals/scope-fork');
    const { setScopePairAsyncContextStrategy } = await import('../../../src/index');
    const { installRecordingClient } = await import('../../helpers/test-client');
    setScopePairAsyncContextStrategy();
    installRecordingClient();
    const span = startInactiveSpan({ name: 'held' });
    const forked = forkScope(new Scope(), span) as any;
    expect(forked.refs.span).toBe(span);
    const { withSetScope } = await import('./with-set-scope');
    expect(withSetScope(forked, () => getActiveSpan())).toBe(span);
    expect(withScope(() => getActiveSpan())).toBeUndefined();
    span.end();
  });
});

describe('spanOfScope', () => {
  it('answers what the scope holds now, read after read, when Sentry sets another span on the same scope', async () => {
    const { Scope, _INTERNAL_setSpanForScope, startInactiveSpan } = await import('@sentry/core');
    const { spanOfScope } = await import('../../../src/sentry-internals/scope-fork');
    const { installRecordingClient } = await import('../../helpers/test-client');
    installRecordingClient();
    const scope = new Scope();
    const first = startInactiveSpan({ name: 'first' });
    const second = startInactiveSpan({ name: 'second' });
    expect(spanOfScope(scope)).toBeUndefined();
    _INTERNAL_setSpanForScope(scope, first);
    expect(spanOfScope(scope)).toBe(first);
    expect(spanOfScope(scope)).toBe(first);
    _INTERNAL_setSpanForScope(scope, second);
    expect(spanOfScope(scope)).toBe(second);
    _INTERNAL_setSpanForScope(scope, undefined);
    expect(spanOfScope(scope)).toBeUndefined();
    _INTERNAL_setSpanForScope(scope, first);
    expect(spanOfScope(scope)).toBe(first);
    first.end();
    second.end();
  });
});
