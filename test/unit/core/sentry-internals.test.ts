import { AsyncLocalStorage } from 'node:async_hooks';
import { GLOBAL_OBJ, SDK_VERSION, getAsyncContextStrategy, getMainCarrier, setAsyncContextStrategy } from '@sentry/core';
import { describe, expect, it } from 'vitest';
import { createTracingChannelBinding } from '../../../src/index';
import { onStrategyChange, readTracingChannelBinding } from '../../../src/sentry-internals';

describe('the @sentry/core internals we rely on', () => {
  it('the strategy lives in __SENTRY__[SDK_VERSION].acs and getTracingChannelBinding is read from it', () => {
    const carrier = (GLOBAL_OBJ as any).__SENTRY__?.[SDK_VERSION] ?? (getMainCarrier(), (GLOBAL_OBJ as any).__SENTRY__[SDK_VERSION]);
    const storage = new AsyncLocalStorage();
    const strategy = { ...getAsyncContextStrategy(getMainCarrier()), getTracingChannelBinding: () => createTracingChannelBinding(storage) };
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
