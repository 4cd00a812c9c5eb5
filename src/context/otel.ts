/**
 * The OpenTelemetry Context strategy: `@sentry/opentelemetry`'s strategy, whose store is an OTel
 * `Context`, installed so that it never adopts another strategy's storage.
 */
import { logDebug } from '../core/guard';
import { dropNonOtelStrategy, readTracingChannelBinding } from '../sentry-internals/strategy-slot';

/** The part of `@sentry/opentelemetry` this strategy uses. */
export interface SentryOpenTelemetryModule {
  setOpenTelemetryContextAsyncContextStrategy: () => unknown;
}

/** Options of {@link setOtelAsyncContextStrategy}. */
export interface OtelAsyncContextStrategyOptions {
  /**
   * The `@sentry/opentelemetry` module to use. Default: the copy `require` resolves from this
   * package. Pass your own (`await import('@sentry/opentelemetry')`) when a bundler or a second
   * copy makes that resolve to a different instance than your app uses.
   */
  sentryOpenTelemetry?: SentryOpenTelemetryModule;
}

declare const require: ((id: string) => unknown) | undefined;

function loadSentryOpenTelemetry(): SentryOpenTelemetryModule | undefined {
  try {
    const mod = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
      'node:module',
    ) as { createRequire?: (from: string) => (id: string) => unknown } | undefined;
    const from = typeof __filename === 'string' ? __filename : import.meta.url;
    const req = mod?.createRequire ? mod.createRequire(from) : typeof require === 'function' ? require : undefined;
    return req?.('@sentry/opentelemetry') as SentryOpenTelemetryModule | undefined;
  } catch (error) {
    logDebug('setOtelAsyncContextStrategy: @sentry/opentelemetry could not be loaded', error);
    return undefined;
  }
}

/**
 * Installs `@sentry/opentelemetry`'s async-context strategy (store: an OpenTelemetry `Context`,
 * made active through `@opentelemetry/api`'s context manager) for apps that run their own
 * OpenTelemetry setup. Not needed after `Sentry.init` from `@sentry/node`, which installs it.
 *
 * When the current strategy is not an OpenTelemetry one (for instance the scope-pair strategy), a
 * fresh storage is used: a store of one strategy is never handed to another.
 *
 * @returns whether a strategy with a tracing-channel binding is now installed. Never throws.
 */
export function setOtelAsyncContextStrategy(options: OtelAsyncContextStrategyOptions = {}): boolean {
  try {
    const sentryOtel = options.sentryOpenTelemetry ?? loadSentryOpenTelemetry();
    if (typeof sentryOtel?.setOpenTelemetryContextAsyncContextStrategy !== 'function') {
      logDebug('setOtelAsyncContextStrategy: @sentry/opentelemetry is not installed');
      return false;
    }
    // Sentry's installer adopts the storage of the strategy in place; only an OTel one may be adopted.
    dropNonOtelStrategy();
    sentryOtel.setOpenTelemetryContextAsyncContextStrategy();
    return readTracingChannelBinding() !== undefined;
  } catch (error) {
    logDebug('setOtelAsyncContextStrategy failed', error);
    return false;
  }
}
