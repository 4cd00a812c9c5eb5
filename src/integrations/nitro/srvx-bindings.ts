/**
 * Bindings for srvx 1 (`serve({ plugins: [tracingPlugin()] })` from `srvx/tracing`): the
 * request's `http.server` span on whichever of `srvx.middleware` / `srvx.request` comes first,
 * and one span per srvx middleware.
 */
import { startInactiveSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { bindTracingChannelToSpan } from '../../index';
import type { ChannelBinding } from '../../index';
import type { NitroBindingSettings } from './binding-settings';
import { captureRequestErrorOnce } from './error-capture';
import type { SrvxPayload } from './payloads';
import { getRequestState } from './request-state';
import { applyResponseStatus, startServerSpan } from './server-span';
import { NITRO_ORIGIN, OP_SRVX_MIDDLEWARE } from './span-attributes';

function serverSpanBinding(channel: 'srvx.request' | 'srvx.middleware', settings: NitroBindingSettings): ChannelBinding<SrvxPayload> {
  return bindTracingChannelToSpan<SrvxPayload>(channel, (data) => startServerSpan(data.request, settings.continueIncomingTrace), {
    beforeSpanEnd(span, data) {
      if (settings.captureErrors && 'error' in data) captureRequestErrorOnce(data.error, span, getRequestState(data.request));
      applyResponseStatus(span, data.result);
    },
  });
}

function middlewareName(data: SrvxPayload): string {
  const named = data.middleware?.handler?.name;
  return typeof named === 'string' && named !== '' ? named : `srvx #${data.middleware?.index ?? '?'}`;
}

function startMiddlewareSpan(data: SrvxPayload): Span {
  const name = middlewareName(data);
  return startInactiveSpan({
    name: `middleware - ${name}`,
    op: OP_SRVX_MIDDLEWARE,
    attributes: { 'sentry.origin': NITRO_ORIGIN, 'code.function.name': name },
  });
}

/**
 * Binds the srvx channels. Order matters: on `srvx.middleware` the server-span binding comes
 * first, so a middleware span (a later binding) is its child.
 */
export function bindSrvxChannels(settings: NitroBindingSettings): ChannelBinding<SrvxPayload>[] {
  const bindings = [serverSpanBinding('srvx.middleware', settings), serverSpanBinding('srvx.request', settings)];
  if (settings.middlewareSpans) {
    bindings.push(
      bindTracingChannelToSpan<SrvxPayload>('srvx.middleware', startMiddlewareSpan, {
        beforeSpanEnd(span, data) {
          if (settings.captureErrors && 'error' in data) captureRequestErrorOnce(data.error, span, getRequestState(data.request));
        },
      }),
    );
  }
  return bindings;
}
