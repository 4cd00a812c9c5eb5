/**
 * `instrumentNitro()`: Sentry spans for srvx and h3 (the server stack of Nitro 3), from the
 * TracingChannels both libraries publish once their own `tracingPlugin()` is enabled.
 */
import type { SentryOverlapOwner } from '../sentry-overlap';
import { setupArbitrated } from '../setup-once';
import { NITRO_TRACING_CHANNELS } from './channels';
import { traceNitroDatabase } from './database';
import { bindH3Channel } from './h3';
import { resolveNitroOptions, type NitroInstrumentationOptions } from './options';
import { continueTraceparentInSentryHttpSpans } from './sentry-http-span';
import { bindSrvxChannels } from './srvx';
import { STORAGE_TRACING_CHANNELS, traceNitroStorage } from './storage';

/** The handle {@link instrumentNitro} returns. */
export interface NitroInstrumentation extends Disposable {
  /** Who makes the srvx and h3 spans: `'ours'`, or `'sentry'` when this one stood down for Sentry's `Nitro` integration. */
  readonly owner: SentryOverlapOwner;
  /** Removes every binding this integration made (idempotent); spans already started still end. */
  unbind(): void;
}

/**
 * Traces srvx 1 and h3 2 servers: `srvx.request` becomes the `http.server` span (continuing an
 * incoming `sentry-trace`/`baggage` or `traceparent` trace; named `GET /users/:id` once h3 matched
 * a route, else `GET /path`; `http.response.status_code` from the `Response`; 5xx marks it failed),
 * `srvx.middleware` and `h3.request` become middleware and route-handler spans nested under it.
 * When another instrumentation already made the request's `http.server` span (`@sentry/node`'s
 * `Http` integration, on by default), that span is reused and made to behave the same way.
 *
 * Storage and database (options `storage` and `database`, default `true`): unstorage 2's
 * `unstorage.<method>` and db0's `db0.query` channels (both libraries' `withTracing`) become
 * `cache.*` and `db` spans inside the request.
 *
 * Needs both libraries' plugins: `serve({ plugins: [tracingPlugin()] })` (`srvx/tracing`) and
 * `new H3({ plugins: [tracingPlugin()] })` (`h3/tracing`); Nitro 3 adds both with
 * `tracingChannel: true`. Calling it again with the same options returns the active handle; with
 * other options it rebinds with the new ones (a debug line says so). With `@sentry/node`'s own
 * `Nitro` integration (on by default) each request is still one server span: see
 * `onSentryIntegration`. Throws a `TypeError` naming the option for an option of the wrong kind;
 * never throws afterwards.
 */
export function instrumentNitro(options?: NitroInstrumentationOptions): NitroInstrumentation {
  const settings = resolveNitroOptions(options);
  // Sentry's `Nitro` integration also binds `unstorage.*` (not `db0.query`): storage goes with the server spans
  return setupArbitrated(
    'nitro',
    settings,
    {
      integration: 'instrumentNitro',
      sentryIntegrations: ['Nitro'],
      channels: [...Object.values(NITRO_TRACING_CHANNELS), ...(settings.storage ? STORAGE_TRACING_CHANNELS : [])],
      policy: settings.onSentryIntegration,
    },
    () => [...bindSrvxChannels(settings), bindH3Channel(settings), ...(settings.storage ? traceNitroStorage() : [])],
    () => {
      const stopTraceparent = settings.continueIncomingTrace ? continueTraceparentInSentryHttpSpans() : () => undefined;
      const database = settings.database ? traceNitroDatabase() : undefined;
      return () => {
        database?.unbind();
        stopTraceparent();
      };
    },
  );
}
