/**
 * `instrumentNitro()`'s storage spans with `@sentry/node`'s DEFAULT integrations (its own `Nitro`
 * integration binds `unstorage.*` too) and a real local envelope receiver: one span per storage
 * call, ours, in both setup orders (`instrumentNitro()` before `Sentry.init`, then unbound and set
 * up again after it).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Sentry from '@sentry/node';
import { createStorage } from 'unstorage';
import { withTracing } from 'unstorage/tracing';
import { instrumentNitro, type NitroInstrumentation } from '../../src/nitro';
import { startEnvelopeReceiver, type EnvelopeReceiver } from '../helpers/envelope-receiver';

function attr(span: any, key: string): unknown {
  const raw = span.attributes?.[key] ?? span.data?.[key];
  return raw !== null && typeof raw === 'object' && 'value' in raw ? raw.value : raw;
}

const OURS = 'auto.cache.tracing_channel_span.nitro';

describe('instrumentNitro storage spans with the @sentry/node defaults', () => {
  let receiver: EnvelopeReceiver;
  let instrumentation: NitroInstrumentation | undefined;
  const warn = vi.spyOn(console, 'warn');
  const storage = withTracing(createStorage<string>());

  beforeAll(async () => {
    receiver = await startEnvelopeReceiver();
    instrumentation = instrumentNitro();
    Sentry.init({ dsn: receiver.dsn, tracesSampleRate: 1 });
  });
  afterAll(async () => {
    instrumentation?.unbind();
    await Sentry.close(2_000);
    await receiver?.close();
    warn.mockRestore();
  });

  /** One request per call of `calls`; resolves each request's storage spans as received. */
  async function requests(calls: number): Promise<any[][]> {
    const traces: Array<{ traceId: string; spanId: string }> = [];
    for (let i = 0; i < calls; i++) {
      await Sentry.startNewTrace(() =>
        Sentry.startSpan({ name: `request ${i}`, op: 'http.server' }, async (request) => {
          traces.push({ traceId: request.spanContext().traceId, spanId: request.spanContext().spanId });
          await storage.setItem(`k${i}`, 'v');
          expect(await storage.getItem(`k${i}`)).toBe('v');
        }),
      );
    }
    await Sentry.flush(5_000);
    const storageSpansOf = (traceId: string) =>
      receiver.spans().filter((s) => s.trace_id === traceId && ['cache.put', 'cache.get'].includes(attr(s, 'sentry.op') as string));
    await receiver.waitFor(() => traces.every((t) => storageSpansOf(t.traceId).length >= 2) || undefined);
    return traces.map((t) => {
      const spans = storageSpansOf(t.traceId);
      for (const span of spans) expect(span.parent_span_id).toBe(t.spanId);
      return spans;
    });
  }

  it("Sentry's Nitro integration is on by default", () => {
    expect(Sentry.getClient()?.getIntegrationByName('Nitro')).toBeDefined();
  });

  it('set up before Sentry.init: one span per call, ours', async () => {
    const perRequest = await requests(4);
    for (const spans of perRequest) expect(spans.map((s) => attr(s, 'sentry.origin'))).toEqual([OURS, OURS]);
    expect(warn.mock.calls.filter((c) => String(c[0]).includes("Sentry's own `Nitro` integration"))).toHaveLength(1);
  });

  it('set up again after Sentry.init: one span per call, all ours, no second warning', async () => {
    instrumentation!.unbind();
    instrumentation = instrumentNitro();
    const perRequest = await requests(3);
    for (const spans of perRequest) {
      expect(spans.map((s) => [attr(s, 'sentry.origin'), attr(s, 'db.operation.name')])).toEqual([
        [OURS, 'setItem'],
        [OURS, 'getItem'],
      ]);
    }
    expect(warn.mock.calls.filter((c) => String(c[0]).includes("Sentry's own `Nitro` integration"))).toHaveLength(1);
  });
});
