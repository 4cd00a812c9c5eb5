/**
 * `instrumentNitro()`: Sentry spans for srvx and h3 (the server stack of Nitro 3), from the
 * TracingChannels both libraries publish once their own `tracingPlugin()` is enabled.
 */
import type { ChannelBinding } from '../../index';
import { logDebug } from '../../guard';
import { bindH3Channel } from './h3-bindings';
import { bindSrvxChannels } from './srvx-bindings';
import type { NitroBindingSettings } from './binding-settings';
import { arbitrateSentryOverlap, resolveSentryOverlapPolicy, type SentryOverlapOwner, type SentryOverlapPolicy } from '../sentry-overlap';
import { continueTraceparentInSentryHttpSpans } from './sentry-http-span';

/** Options of {@link instrumentNitro}. */
export interface NitroInstrumentationOptions {
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
  /**
   * When Sentry's own `Nitro` integration (on by default in `@sentry/node` 11) traces the same
   * channels: `'take-over'` (default) makes these spans and Sentry's none; `'stand-down'` leaves
   * srvx and h3 to Sentry's. Either way each request is one server span, and one `console.warn`
   * says which integration owns them. Remove Sentry's (`integrations: (d) => d.filter((i) =>
   * i.name !== 'Nitro')`) to silence the warning.
   */
  onSentryIntegration?: SentryOverlapPolicy;
}

/** The handle {@link instrumentNitro} returns. */
export interface NitroInstrumentation extends Disposable {
  /** Who makes the srvx and h3 spans: `'ours'`, or `'sentry'` when this one stood down for Sentry's `Nitro` integration. */
  readonly owner: SentryOverlapOwner;
  /** Removes every binding this integration made (idempotent); spans already started still end. */
  unbind(): void;
}

// One instrumentation per process, even when the ESM and CommonJS builds are both loaded.
const ACTIVE = Symbol.for('tracing-channel-span.nitro');
type Slot = { [ACTIVE]?: { handle: NitroInstrumentation; key: string } };

/** The channels both this integration and Sentry's `Nitro` integration bind. */
export const NITRO_TRACING_CHANNELS: readonly string[] = ['srvx.request', 'srvx.middleware', 'h3.request'];

interface ResolvedNitroOptions extends NitroBindingSettings {
  onSentryIntegration: SentryOverlapPolicy;
}

function resolveOptions(options: NitroInstrumentationOptions | undefined): ResolvedNitroOptions {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`instrumentNitro: \`options\` must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  for (const name of ['captureErrors', 'middlewareSpans', 'continueIncomingTrace'] as const) {
    const value = options?.[name];
    if (value !== undefined && typeof value !== 'boolean') {
      throw new TypeError(`instrumentNitro: \`options.${name}\` must be a boolean, got ${typeof value}`);
    }
  }
  return {
    captureErrors: options?.captureErrors !== false,
    middlewareSpans: options?.middlewareSpans !== false,
    continueIncomingTrace: options?.continueIncomingTrace !== false,
    onSentryIntegration: resolveSentryOverlapPolicy('instrumentNitro', options?.onSentryIntegration),
  };
}

/**
 * Traces srvx 1 and h3 2 servers: `srvx.request` becomes the `http.server` span (continuing an
 * incoming `sentry-trace`/`baggage` or `traceparent` trace; named `GET /users/:id` once h3 matched
 * a route, else `GET /path`; `http.response.status_code` from the `Response`; 5xx marks it failed),
 * `srvx.middleware` and `h3.request` become middleware and route-handler spans nested under it.
 * When another instrumentation already made the request's `http.server` span (`@sentry/node`'s
 * HTTP integration), that span is reused and renamed instead of duplicated.
 *
 * Needs both libraries' plugins: `serve({ plugins: [tracingPlugin()] })` (`srvx/tracing`) and
 * `new H3({ plugins: [tracingPlugin()] })` (`h3/tracing`); Nitro 3 adds both with
 * `tracingChannel: true`. Calling it again with the same options returns the active handle; with
 * other options it rebinds with the new ones (a debug line says so). With `@sentry/node`'s own
 * `Nitro` integration (on by default) each request is still one server span: see
 * `onSentryIntegration`. Throws a `TypeError` for an option of the wrong kind.
 */
export function instrumentNitro(options?: NitroInstrumentationOptions): NitroInstrumentation {
  const settings = resolveOptions(options);
  const key = JSON.stringify(settings);
  const slot = globalThis as Slot;
  const active = slot[ACTIVE];
  if (active) {
    if (active.key === key) return active.handle;
    logDebug('instrumentNitro: called again with other options; rebinding with the new ones');
    active.handle.unbind();
  }
  let bindings: ChannelBinding<object>[] = [];
  const overlap = arbitrateSentryOverlap(
    { integration: 'instrumentNitro', sentryIntegrations: ['Nitro'], channels: NITRO_TRACING_CHANNELS, policy: settings.onSentryIntegration },
    {
      bind: () => {
        bindings = [...bindSrvxChannels(settings), bindH3Channel(settings)] as ChannelBinding<object>[];
      },
      unbind: () => {
        for (const binding of bindings) {
          try {
            binding.unbind();
          } catch (error) {
            logDebug('unbinding a nitro channel threw', error);
          }
        }
        bindings = [];
      },
    },
  );
  const stopTraceparent = settings.continueIncomingTrace ? continueTraceparentInSentryHttpSpans() : () => undefined;
  let unbound = false;
  const handle: NitroInstrumentation = {
    get owner() {
      return overlap.owner;
    },
    unbind() {
      if (unbound) return;
      unbound = true;
      overlap.unbind();
      stopTraceparent();
      if (slot[ACTIVE]?.handle === handle) delete slot[ACTIVE];
    },
    [Symbol.dispose]() {
      handle.unbind();
    },
  };
  slot[ACTIVE] = { handle, key };
  return handle;
}
