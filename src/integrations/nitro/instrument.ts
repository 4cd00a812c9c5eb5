/**
 * `instrumentNitro()`: Sentry spans for srvx and h3 (the server stack of Nitro 3), from the
 * TracingChannels both libraries publish once their own `tracingPlugin()` is enabled.
 */
import { globalSlot } from '../../core/global-slot';
import { logDebug } from '../../core/guard';
import type { ChannelBinding } from '../../core/types';
import { traceNitroDataLayers } from './data-layers';
import { bindH3Channel } from './h3';
import { resolveNitroOptions, type NitroInstrumentationOptions } from './options';
import { bindSrvxChannels } from './srvx';

/** The handle {@link instrumentNitro} returns. */
export interface NitroInstrumentation extends Disposable {
  /** Removes every binding this integration made (idempotent); spans already started still end. */
  unbind(): void;
}

// One instrumentation per process, even when the ESM and CommonJS builds are both loaded.
const slot = globalSlot('nitro', (): { current: NitroInstrumentation | undefined } => ({ current: undefined }));

/**
 * Traces srvx 1 and h3 2 servers: `srvx.request` becomes the `http.server` span (continuing an
 * incoming `sentry-trace`/`baggage` or `traceparent` trace; named `GET /users/:id` once h3 matched
 * a route, else `GET /path`; `http.response.status_code` from the `Response`; 5xx marks it failed),
 * `srvx.middleware` and `h3.request` become middleware and route-handler spans nested under it.
 * When another instrumentation already made the request's `http.server` span (`@sentry/node`'s
 * HTTP integration), that span is reused and renamed instead of duplicated.
 *
 * Storage and database (options `storage` and `database`, default `true`): unstorage 2's
 * `unstorage.<method>` and db0's `db0.query` channels (both libraries' `withTracing`) become
 * `cache.*` and `db` spans inside the request.
 *
 * Needs both libraries' plugins: `serve({ plugins: [tracingPlugin()] })` (`srvx/tracing`) and
 * `new H3({ plugins: [tracingPlugin()] })` (`h3/tracing`). Calling it again returns the active
 * handle (the first call's options stay); after `unbind()` it sets up anew. Throws a `TypeError`
 * naming the option for an option of the wrong kind; never throws afterwards. Do not combine with
 * `@sentry/node`'s own `nitroIntegration` (on by default in v11): both would make h3 spans.
 */
export function instrumentNitro(options?: NitroInstrumentationOptions): NitroInstrumentation {
  const settings = resolveNitroOptions(options);
  const active = slot.current;
  if (active) {
    logDebug('instrumentNitro() is already active; returning the existing handle');
    return active;
  }
  const bindings: ChannelBinding<object>[] = [...bindSrvxChannels(settings), bindH3Channel(settings)] as ChannelBinding<object>[];
  const dataLayers = traceNitroDataLayers(settings);
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
      if (slot.current === handle) slot.current = undefined;
    },
    [Symbol.dispose]() {
      handle.unbind();
    },
  };
  slot.current = handle;
  return handle;
}
