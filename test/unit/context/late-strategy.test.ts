import { tracingChannel } from 'node:diagnostics_channel';
import { getActiveSpan, startInactiveSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { describe, expect, it } from 'vitest';
import { bindTracingChannelToSpan, setScopePairAsyncContextStrategy } from '../../../src/index';
import { installRecordingClient } from '../../helpers/test-client';

describe('rule 12: late strategy', () => {
  it('traceSync ok before any strategy: the span is created and ended, not active; active from the first call after the strategy appears', () => {
    const rec = installRecordingClient();
    const channel = tracingChannel('test:late:1');
    const spans: Span[] = [];
    const binding = bindTracingChannelToSpan(channel, () => {
      const span = startInactiveSpan({ name: 'late' });
      spans.push(span);
      return span;
    });

    let before: Span | undefined;
    channel.traceSync(() => {
      before = getActiveSpan();
    }, {});
    expect(spans).toHaveLength(1);
    expect(before).toBeUndefined();
    expect(rec.endCounts.get(spans[0]!)).toBe(1);

    expect(setScopePairAsyncContextStrategy()).toBe(true);
    let after: Span | undefined;
    channel.traceSync(() => {
      after = getActiveSpan();
    }, {});
    expect(spans).toHaveLength(2);
    expect(after).toBe(spans[1]);
    expect(rec.endCounts.get(spans[1]!)).toBe(1);

    // installing the same strategy again keeps the storage: the binding keeps working
    expect(setScopePairAsyncContextStrategy()).toBe(true);
    let again: Span | undefined;
    channel.traceSync(() => {
      again = getActiveSpan();
    }, {});
    expect(again).toBe(spans[2]);
    binding.unbind();
    expect(channel.hasSubscribers).toBe(false);
  });
});

describe('scope-pair store', () => {
  it('traceSync ok: a root bound span gets its own isolation scope; a child span shares the caller\'s', async () => {
    const { getIsolationScope, startSpan } = await import('@sentry/core');
    setScopePairAsyncContextStrategy();
    installRecordingClient();
    const channel = tracingChannel('test:scope-pair:isolation');
    const binding = bindTracingChannelToSpan(channel, () => startInactiveSpan({ name: 'unit of work' }));
    const outside = getIsolationScope();
    channel.traceSync(() => {
      expect(getIsolationScope()).not.toBe(outside);
      getIsolationScope().setTag('request.user', 'alice');
    }, {});
    expect(outside.getScopeData().tags['request.user']).toBeUndefined();
    startSpan({ name: 'request' }, () => {
      const requestScope = getIsolationScope();
      channel.traceSync(() => {
        expect(getIsolationScope()).toBe(requestScope);
      }, {});
    });
    binding.unbind();
  });
});
