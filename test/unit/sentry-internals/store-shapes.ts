import { tracingChannel } from 'node:diagnostics_channel';
import { getActiveSpan, getCurrentScope, getIsolationScope, spanToJSON, startInactiveSpan, startSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { expect, it } from 'vitest';
import { bindTracingChannelToSpan } from '../../../src/index';
import { storeShapeVerdicts } from '../../../src/sentry-internals/store-shapes';

/**
 * For strategies without `getStoreWithActiveSpan`: after the first traced call inside a span, the
 * store shape is verified and the cheap store is used; calls made either way behave the same.
 */
export function defineStoreShapeTest(shape: 'pair' | 'context'): void {
  it(`traceSync ok inside a span: the ${shape} store shape is verified once, then built cheaply with the same behaviour`, () => {
    const channel = tracingChannel<object>(`test:store-shape:${shape}`);
    const spans: Span[] = [];
    const binding = bindTracingChannelToSpan(channel, () => {
      const span = startInactiveSpan({ name: 'bound' });
      spans.push(span);
      return span;
    });
    const seen: Array<{ active?: Span; scopeTag?: unknown; callerTag?: unknown; isolationSame: boolean }> = [];
    startSpan({ name: 'caller' }, (caller) => {
      getCurrentScope().setTag('from.caller', 1);
      const isolation = getIsolationScope();
      for (let i = 0; i < 3; i++) {
        channel.traceSync(() => {
          getCurrentScope().setTag('inside', i);
          const child = startInactiveSpan({ name: 'child' });
          expect(spanToJSON(child).parent_span_id).toBe(spans[i]!.spanContext().spanId);
          child.end();
          seen.push({
            active: getActiveSpan(),
            scopeTag: getCurrentScope().getScopeData().tags.inside,
            callerTag: getCurrentScope().getScopeData().tags['from.caller'],
            isolationSame: getIsolationScope() === isolation,
          });
        }, {});
        expect(getCurrentScope().getScopeData().tags.inside).toBeUndefined();
        expect(getActiveSpan()).toBe(caller);
      }
    });
    binding.unbind();
    expect(storeShapeVerdicts()[shape]).toBe('cheap');
    expect(seen).toHaveLength(3);
    seen.forEach((s, i) => {
      expect(s.active).toBe(spans[i]);
      expect(s.scopeTag).toBe(i);
      expect(s.callerTag).toBe(1);
      expect(s.isolationSame).toBe(true);
    });
  });
}
