/**
 * `instrumentFastify()`: spans for fastify 5 route handlers, once per process.
 *
 * fastify publishes its handler events by hand and never sets `result`: an async handler fires
 * start → end → asyncStart → asyncEnd, a sync one only start → end (also when it replies later),
 * a hijacked reply start → end with the response written afterwards, and an async custom error
 * handler can reuse the payload after asyncEnd. None of those says when the reply was sent, so
 * the binding is context only (`bindSpanToChannelStore`: the handler span is active inside the
 * handler) and the spans end on the raw response's `finish` / `close`, whatever the events said.
 * Not `bindTracingChannelToSpan` with `isComplete` + `deferSpanEnd`: its error rule marks the span
 * failed on every `error` event, while a thrown error fastify answers with a 4xx must leave the
 * spans ok; and the end would be deferred to the same `finish` / `close` anyway. A context-only
 * binding takes no `sampledOnly`, so `startCall` skips unsampled traces itself.
 */
import { captureException, getActiveSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { bindSpanToChannelStore } from '../../core/bind';
import { guard, logDebug } from '../../core/guard';
import { markSpanError } from '../../core/span-error';
import { filterHint, warnOncePerProcess } from '../sentry-overlap';
import { setupOnce, type InstrumentationHandle } from '../setup-once';
import { subscribeGuarded } from '../subscribe';
import { FASTIFY_TRACING_CHANNEL, SENTRY_FASTIFY_INTEGRATION } from './channels';
import { resolveFastifyOptions, type FastifyInstrumentationOptions, type ResolvedFastifyOptions } from './options';
import { readRequestInfo, readStatusCode, type FastifyPayload } from './payload';
import { FASTIFY_MECHANISM, adoptServerSpan, applyResponseStatus, applyRoute, startHandlerSpan, startServerSpan, type ServerSpan } from './spans';

/** The handle `instrumentFastify()` returns. `using fastify = instrumentFastify()` unbinds at scope exit. */
export type FastifyInstrumentation = InstrumentationHandle<ResolvedFastifyOptions>;

const STAND_DOWN_MESSAGE =
  "instrumentFastify stands down for fastify instances that @sentry/node's own `Fastify` integration (a default) " +
  '(or @fastify/otel) already traces: each handler is traced once, by it. ' +
  `To use instrumentFastify instead, remove it: ${filterHint(SENTRY_FASTIFY_INTEGRATION)}.`;

/** One handler call in flight: its spans, and whether its error was already handled. */
interface HandlerCall {
  handler: Span;
  server: ServerSpan | undefined;
  failed: boolean;
  captured: boolean;
  ended: boolean;
}

function endCall(call: HandlerCall, data: FastifyPayload): void {
  if (call.ended) return;
  call.ended = true;
  const status = readStatusCode(data);
  applyResponseStatus(call.handler, status, call.failed);
  call.handler.end();
  if (call.server?.owned) {
    applyResponseStatus(call.server.span, status, call.failed);
    call.server.span.end();
  }
}

function startCall(calls: WeakMap<object, HandlerCall>, data: FastifyPayload): Span | undefined {
  const info = readRequestInfo(data);
  if (!info) return undefined;
  if (info.tracedElsewhere) {
    warnOncePerProcess('fastify', STAND_DOWN_MESSAGE);
    return undefined;
  }
  const active = getActiveSpan();
  // the rule of `sampledOnly` (a context-only binding has no options)
  if (active !== undefined && !active.isRecording()) return undefined;
  const server = active ? adoptServerSpan(active) : startServerSpan(info);
  if (server) applyRoute(server, info);
  const handler = startHandlerSpan(info, active ?? server!.span);
  const call: HandlerCall = { handler, server, failed: false, captured: false, ended: false };
  calls.set(data, call);
  const end = (): void => {
    guard('instrumentFastify: end', endCall, call, data);
  };
  if (info.response) {
    info.response.once('finish', end);
    info.response.once('close', end);
  } else {
    logDebug('instrumentFastify: the reply has no raw response to watch; the handler span ends now');
    end();
  }
  return handler;
}

function onError(calls: WeakMap<object, HandlerCall>, captureErrors: boolean, data: FastifyPayload): void {
  const call = calls.get(data);
  if (!call || call.ended) return;
  const status = readStatusCode(data);
  // a thrown error fastify answers with a 4xx is the client's: spans stay ok, nothing is captured
  if (status !== undefined && status < 500) return;
  const error = data.error;
  if (!call.failed) {
    call.failed = true;
    markSpanError(call.handler, error);
    if (call.server?.owned) markSpanError(call.server.span, error);
  }
  if (captureErrors && !call.captured) {
    call.captured = true;
    captureException(error, { mechanism: FASTIFY_MECHANISM });
  }
}

/**
 * Traces fastify 5 route handlers through the channel fastify publishes
 * (`tracing:fastify.request.handler`). No plugin, no hooks, no patching.
 *
 * - A `request handler - <route>` span (op `request_handler.fastify`) under the request's server
 *   span, active inside the handler; it ends when the reply has been sent (the raw response's
 *   `finish` or `close`), for async, sync, sync-replying-later and hijacked handlers alike.
 * - The server span: the one another instrumentation made (`@sentry/node`'s Http integration),
 *   or, when nothing did, one of ours (`http.server`, continuing `sentry-trace` / `traceparent`).
 *   It gets `http.route` and the name `<METHOD> <route>` (and so does the transaction).
 * - A handler error leading to a 5xx marks the spans failed and is captured once
 *   (`captureErrors`, default `true`); any 5xx reply marks them failed. 404s and requests fastify
 *   rejects before the handler (a failed schema validation) publish nothing.
 *
 * Idempotent: calling it again with the same options returns the same handle; with other options
 * it unbinds the first and binds again with the new ones (a debug line says so). Throws a
 * `TypeError` naming a bad option; never throws afterwards. Stands down (one `console.warn`)
 * for instances `@sentry/node`'s default `Fastify` integration traces.
 *
 * @example
 * import { instrumentFastify } from 'tracing-channel-span/fastify';
 * instrumentFastify();
 */
export function instrumentFastify(options?: FastifyInstrumentationOptions): FastifyInstrumentation {
  const resolved = resolveFastifyOptions(options);
  return setupOnce('fastify', 'instrumentFastify', resolved, () => {
    const calls = new WeakMap<object, HandlerCall>();
    const binding = bindSpanToChannelStore<FastifyPayload>(FASTIFY_TRACING_CHANNEL, (data) => startCall(calls, data));
    const stopErrors = subscribeGuarded<FastifyPayload>('instrumentFastify', FASTIFY_TRACING_CHANNEL, 'error', (data) =>
      onError(calls, resolved.captureErrors, data),
    );
    return {
      teardown: () => {
        stopErrors();
        binding.unbind();
      },
    };
  });
}
