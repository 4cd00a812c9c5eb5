import * as Sentry from '@sentry/node';
import { context } from '@opentelemetry/api';
import { tracingChannel } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { bindTracingChannelToSpan } from '../../../src/index';
import { attachRecorder } from '../../helpers/test-client';
import { defineLifecycleSuite } from './lifecycle-suite';
import { defineStoreShapeTest } from '../sentry-internals/store-shapes';

defineLifecycleSuite('@sentry/node with OpenTelemetry (enableOpenTelemetrySetup)', () => {
  Sentry.init({ dsn: 'http://public@127.0.0.1:9/1', tracesSampleRate: 1, defaultIntegrations: false, enableOpenTelemetrySetup: true });
  return attachRecorder(Sentry.getClient()!);
});

describe('@sentry/node OpenTelemetry strategy: cheap Context stores', () => {
  it('the store inside a traced call is an OpenTelemetry Context', () => {
    const channel = tracingChannel<object>('test:otel-node:context');
    const b = bindTracingChannelToSpan(channel, () => Sentry.startInactiveSpan({ name: 'x' }));
    let isContext = false;
    Sentry.startSpan({ name: 'caller' }, () =>
      channel.traceSync(() => {
        isContext = typeof context.active().getValue === 'function';
      }, {}),
    );
    b.unbind();
    expect(isContext).toBe(true);
  });
  defineStoreShapeTest('context');
});
