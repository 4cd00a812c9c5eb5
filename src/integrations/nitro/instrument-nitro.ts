/**
 * `instrumentNitro()`: Sentry spans for srvx and h3 (the server stack of Nitro 3), from the
 * TracingChannels both libraries publish once their own `tracingPlugin()` is enabled.
 */
import type { ChannelBinding } from '../../index';
import { logDebug } from '../../guard';
import { bindH3Channel } from './h3-bindings';
import { bindSrvxChannels } from './srvx-bindings';
import type { NitroBindingSettings } from './binding-settings';
import { resolveNitroDataLayerOptions, traceNitroDataLayers, type NitroDataLayerOptions } from './data-layers';

/** Options of {@link instrumentNitro}. */
export interface NitroInstrumentationOptions extends NitroDataLayerOptions {
  /**
   * Report unhandled errors of route handlers and middleware to Sentry, once per error
   * (`mechanism.type: 'auto.http.tracing_channel_span.nitro'`, `handled: false`). h3 `HTTPError`s
   * (and errors with a numeric `status`) below 500 are never reported. Default `true`; turn it
   * off when an error handler of your own already reports them.
   */
  captureErrors?: boolean;
  /**
   * A span per srvx middleware (`middleware.srvx`) and per h3 middleware (`middleware.h3`).
   * Default `true`; turn it off when many trivial middleware make traces noisy.
   */
  middlewareSpans?: boolean;
  /**
   * Continue the caller's trace from `sentry-trace` + `baggage`, or W3C `traceparent`. Default
   * `true`. Turn it off for endpoints that must not trust callers' headers: every request then
   * starts a new trace.
   */
  continueIncomingTrace?: boolean;
}

/** The handle {@link instrumentNitro} returns. */
export interface NitroInstrumentation extends Disposable {
  /** Removes every binding this integration made (idempotent); spans already started still end. */
  unbind(): void;
}

// One instrumentation per process, even when the ESM and CommonJS builds are both loaded.
const ACTIVE = Symbol.for('tracing-channel-span.nitro');
type Slot = { [ACTIVE]?: NitroInstrumentation };

function settingsOf(options: NitroInstrumentationOptions | undefined): NitroBindingSettings {
  return {
    captureErrors: options?.captureErrors !== false,
    middlewareSpans: options?.middlewareSpans !== false,
    continueIncomingTrace: options?.continueIncomingTrace !== false,
  };
}

/**
 * Traces srvx 1 and h3 2 servers: `srvx.request` becomes the `http.server` span (continuing an
 * incoming `sentry-trace`/`baggage` or `traceparent` trace; named `GET /users/:id` once h3 matched
 * a route, else `GET /path`; `http.response.status_code` from the `Response`; 5xx marks it failed),
 * `srvx.middleware` and `h3.request` become middleware and route-handler spans nested under it.
 * When another instrumentation already made the request's `http.server` span (`@sentry/node`'s
 * HTTP integration), that span is reused and renamed instead of duplicated.
 * Storage and database (options `storage` and `database`, default `true`): unstorage 2's
 * `unstorage.<method>` and db0's `db0.query` channels (both libraries' `withTracing`) become
 * `cache.*` and `db` spans inside the request.
 *
 * Needs both libraries' plugins: `serve({ plugins: [tracingPlugin()] })` (`srvx/tracing`) and
 * `new H3({ plugins: [tracingPlugin()] })` (`h3/tracing`). Calling it again returns the active
 * handle (the first call's options stay); after `unbind()` it sets up anew. Do not combine with
 * `@sentry/node`'s own `nitroIntegration` (on by default in v11): both would make h3 spans.
 */
export function instrumentNitro(options?: NitroInstrumentationOptions): NitroInstrumentation {
  const layers = resolveNitroDataLayerOptions(options); // a bad option throws, also when already active
  const slot = globalThis as Slot;
  const active = slot[ACTIVE];
  if (active) {
    logDebug('instrumentNitro() is already active; returning the existing handle');
    return active;
  }
  const dataLayers = traceNitroDataLayers(layers);
  const settings = settingsOf(options);
  const bindings: ChannelBinding<object>[] = [...bindSrvxChannels(settings), bindH3Channel(settings)] as ChannelBinding<object>[];
  let unbound = false;
  const handle: NitroInstrumentation = {
    unbind() {
      if (unbound) return;
      unbound = true;
      dataLayers.unbind();
      for (const binding of bindings) {
        try {
          binding.unbind();
        } catch (error) {
          logDebug('unbinding a nitro channel threw', error);
        }
      }
      if (slot[ACTIVE] === handle) delete slot[ACTIVE];
    },
    [Symbol.dispose]() {
      handle.unbind();
    },
  };
  slot[ACTIVE] = handle;
  return handle;
}
