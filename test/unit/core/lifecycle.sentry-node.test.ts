import * as Sentry from '@sentry/node';
import { currentAsyncContextStrategy } from '../../../src/sentry-internals/exports';
import { describe, expect, it } from 'vitest';
import { attachRecorder } from '../../helpers/test-client';
import { defineLifecycleSuite } from './lifecycle-suite';

defineLifecycleSuite('@sentry/node (Sentry.init)', () => {
  Sentry.init({ dsn: 'http://public@127.0.0.1:9/1', tracesSampleRate: 1, defaultIntegrations: false });
  return attachRecorder(Sentry.getClient()!);
});

describe('@sentry/node strategy shape', () => {
  it('Sentry.init installs a strategy whose binding exposes only the OTel context storage', () => {
    const binding = currentAsyncContextStrategy().getTracingChannelBinding?.() as unknown as Record<string, unknown>;
    expect(Object.keys(binding)).toEqual(['asyncLocalStorage']);
    expect(typeof (binding.asyncLocalStorage as { getStore: unknown }).getStore).toBe('function');
  });
});

import { defineStoreShapeTest } from '../sentry-internals/store-shapes';
describe('@sentry/node default strategy: cheap scope-pair stores', () => {
  defineStoreShapeTest('pair');
});
