/**
 * Bindings for srvx 1 (`serve({ plugins: [tracingPlugin()] })` from `srvx/tracing`): the
 * request's `http.server` span on whichever of `srvx.middleware` / `srvx.request` comes first,
 * and one span per srvx middleware.
 */
import { startInactiveSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { bindTracingChannelToSpan } from '../../core/bind';
import type { ChannelBinding } from '../../core/types';
import { NITRO_TRACING_CHANNELS } from './channels';
import type { NitroBindingSettings } from './options';
import { captureRequestErrorOnce } from './error-capture';
import type { SrvxPayload } from './payload';
import { getRequestState } from './request-state';
import { applyResponseStatus, startServerSpan } from './server-span';
import { NITRO_ORIGIN, OP_SRVX_MIDDLEWARE } from './spans';

function serverSpanBinding(channel: string, settings: NitroBindingSettings): ChannelBinding<SrvxPayload> {
  return bindTracingChannelToSpan<SrvxPayload>(channel, (data) => startServerSpan(data.request, settings.continueIncomingTrace), {
    sampledOnly: true,
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
  const bindings = [
    serverSpanBinding(NITRO_TRACING_CHANNELS.srvxMiddleware, settings),
    serverSpanBinding(NITRO_TRACING_CHANNELS.srvxRequest, settings),
  ];
  if (settings.middlewareSpans) {
    bindings.push(
      bindTracingChannelToSpan<SrvxPayload>(NITRO_TRACING_CHANNELS.srvxMiddleware, startMiddlewareSpan, {
        sampledOnly: true,
        beforeSpanEnd(span, data) {
          if (settings.captureErrors && 'error' in data) captureRequestErrorOnce(data.error, span, getRequestState(data.request));
        },
      }),
    );
  }
  return bindings;
}
