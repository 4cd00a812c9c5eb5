import { tracingChannel } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import * as Sentry from '@sentry/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindTracingChannelToSpan } from '../../src/index';
import { startEnvelopeReceiver, type EnvelopeReceiver } from '../helpers/envelope-receiver';

describe('real @sentry/node to a local envelope receiver', () => {
  let receiver: EnvelopeReceiver;
  beforeAll(async () => {
    receiver = await startEnvelopeReceiver();
    Sentry.init({ dsn: receiver.dsn, tracesSampleRate: 1, defaultIntegrations: false });
  });
  afterAll(async () => {
    await Sentry.close(2000);
    await receiver.close();
  });

  it('tracePromise fail inside a transaction: the child span arrives with parent id, op, status and timestamps', async () => {
    const channel = tracingChannel<object>('test:envelope:query');
    const binding = bindTracingChannelToSpan(channel, () => Sentry.startInactiveSpan({ name: 'db query', op: 'db' }), {
      captureError: true,
    });
    let rootSpanId = '';
    let traceId = '';
    await Sentry.startSpan({ name: 'envelope-root', op: 'test' }, async (root) => {
      rootSpanId = root.spanContext().spanId;
      traceId = root.spanContext().traceId;
      await channel.tracePromise(async () => {
        await sleep(5);
        Sentry.startInactiveSpan({ name: 'inner work' }).end();
      }, {});
      await channel
        .tracePromise(async () => {
          await sleep(2);
          throw new Error('query failed');
        }, {})
        .catch(() => undefined);
    });
    await Sentry.flush(5000);
    const spans = await receiver.waitFor(() => {
      const all = receiver.spans();
      return all.filter((s) => s.name === 'db query' || s.description === 'db query').length === 2 ? all : undefined;
    });
    binding.unbind();

    const queries = spans.filter((s) => (s.name ?? s.description) === 'db query');
    const ok = queries.find((s) => s.status === 'ok')!;
    // v11 span items: status 'error' + sentry.status.message; v10 transaction spans: status is the message
    const failed = queries.find((s) => s.status !== undefined && s.status !== 'ok')!;
    expect(ok).toBeDefined();
    expect(failed).toBeDefined();
    for (const span of queries) {
      expect(span.trace_id).toBe(traceId);
      expect(span.parent_span_id).toBe(rootSpanId);
      const attributes = span.attributes ?? span.data ?? {};
      const op = span.op ?? attributes['sentry.op']?.value ?? attributes['sentry.op'];
      expect(op).toBe('db');
      const start = span.start_timestamp;
      const end = span.end_timestamp ?? span.timestamp;
      expect(typeof start).toBe('number');
      expect(end).toBeGreaterThanOrEqual(start);
    }
    const failedAttributes = failed.attributes ?? failed.data ?? {};
    const message = failedAttributes['sentry.status.message']?.value ?? failedAttributes['sentry.status.message'];
    // v11 span items carry the message; v10 transaction events only the status code's name
    if (Sentry.SDK_VERSION.startsWith('10.')) expect(failed.status).toBe('internal_error');
    else expect(message).toBe('query failed');
    const inner = spans.find((s) => (s.name ?? s.description) === 'inner work');
    expect(inner?.parent_span_id).toBe(ok.span_id);

    const events = await receiver.waitFor(() => {
      const found = receiver.items('event');
      return found.length > 0 ? found : undefined;
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.payload.exception.values[0].value).toBe('query failed');
    expect(events[0]!.payload.exception.values[0].mechanism).toMatchObject({
      type: 'auto.diagnostic_channels.bind_span',
      handled: false,
    });
  });
});
