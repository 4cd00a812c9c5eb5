import { tracingChannel } from 'node:diagnostics_channel';
import { context, trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startInactiveSpan, startSpan } from '@sentry/core';
import * as SentryOpenTelemetry from '@sentry/opentelemetry';
import type { Span } from '@sentry/core';
import { describe, expect, it } from 'vitest';
import { bindTracingChannelToSpan } from '../../../src/index';
import { setOtelAsyncContextStrategy } from '../../../src/otel';
import { installRecordingClient } from '../../helpers/test-client';
import { defineLifecycleSuite } from './lifecycle-suite';

const exporter = new InMemorySpanExporter();

defineLifecycleSuite('OpenTelemetry Context', () => {
  // Under the Sentry dimension of test:matrix the default require() would find the project's own
  // @sentry/opentelemetry, not the release under test: hand that one in (the documented option).
  expect(setOtelAsyncContextStrategy(process.env.SENTRY_MATRIX_DIR ? { sentryOpenTelemetry: SentryOpenTelemetry } : undefined)).toBe(true);
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  return installRecordingClient();
});

describe('OpenTelemetry interop', () => {
  it('traceSync ok: the store is an OTel Context whose active span is the bound span', () => {
    const channel = tracingChannel('test:otel:interop:1');
    let bound: Span | undefined;
    const b = bindTracingChannelToSpan(channel, () => (bound = startInactiveSpan({ name: 'bound' })));
    let otelActive: unknown;
    let hasGetValue = false;
    channel.traceSync(() => {
      otelActive = trace.getActiveSpan();
      hasGetValue = typeof context.active().getValue === 'function';
    }, {});
    b.unbind();
    expect(hasGetValue).toBe(true);
    expect(otelActive).toBe(bound);
  });

  it('traceSync ok: a span from the OpenTelemetry SDK tracer inside the call is a child of the bound span', () => {
    const channel = tracingChannel('test:otel:interop:2');
    let bound: Span | undefined;
    const b = bindTracingChannelToSpan(channel, () => (bound = startInactiveSpan({ name: 'bound' })));
    startSpan({ name: 'caller' }, () => {
      channel.traceSync(() => {
        trace.getTracer('test').startSpan('otel-sdk-child').end();
      }, {});
    });
    b.unbind();
    const child = exporter.getFinishedSpans().find((s) => s.name === 'otel-sdk-child');
    expect(child).toBeDefined();
    expect(child!.spanContext().traceId).toBe(bound!.spanContext().traceId);
    expect(child!.parentSpanContext?.spanId).toBe(bound!.spanContext().spanId);
  });
});
