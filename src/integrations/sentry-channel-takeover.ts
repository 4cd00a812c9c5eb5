/**
 * Never doubled, never silently displaced — the minimum, for integrations whose channels one of
 * Sentry's own integrations also binds (`Mysql2` on `mysql2:*`, `Nitro` on `unstorage.*`).
 *
 * Sentry's integrations bind the same AsyncLocalStorage through `@sentry/server-utils`, and Node
 * keeps one store transform per (channel, storage): whichever binds last runs alone, the other's
 * subscribers find nothing to end. So each call yields one span either way, but its owner
 * silently depends on setup order. This module makes ours the owner whatever the order:
 * - set up after `Sentry.init`: our bindings are the later ones and win; one warning says so;
 * - `Sentry.init` (or its integration) after us: a `start` subscriber notices the first call
 *   whose store came from Sentry's transform and rebinds ours (a later microtask), so that call
 *   is Sentry's span and every later one ours; one warning says so.
 *
 * To be replaced by the package-wide overlap helper once it lands (issue 11).
 */
import { getClient } from '@sentry/core';
import { globalSlot } from '../core/global-slot';
import { logDebug } from '../core/guard';
import { getDiagnosticsChannel } from '../core/node-builtins';
import { sentryStoreTransformRan } from '../sentry-internals/server-utils-payload';

/** What {@link takeOverChannelsFromSentry} needs to know. */
export interface SentryTakeoverSpec {
  /** Our function, for the warning (`instrumentMysql2()`). */
  who: string;
  /** Sentry's integration on these channels (`Mysql2`). */
  integration: string;
  /** The tracing channel names both bind. */
  channels: readonly string[];
  /** Makes our bindings anew, so that our store transform is the one in force again. */
  rebind: () => void;
}

/** The handle: `stop()` removes the watch (idempotent). */
export interface SentryTakeover {
  stop(): void;
}

const MAX_REBINDS = 3;

/** Integrations already warned about, process-wide (the ESM and CommonJS builds share it). */
const warned = globalSlot('sentry-takeover-warned', (): Set<string> => new Set());

function hasSentryIntegration(name: string): boolean {
  try {
    return getClient()?.getIntegrationByName(name) !== undefined;
  } catch {
    return false;
  }
}

function warnOnce(spec: SentryTakeoverSpec): void {
  if (warned.has(spec.integration)) return;
  warned.add(spec.integration);
  try {
    // eslint-disable-next-line no-console
    console.warn(
      `[tracing-channel-span] ${spec.who}: Sentry's own \`${spec.integration}\` integration binds the same channels; ` +
        `tracing-channel-span's spans are in force and Sentry's make none (one span per call). ` +
        `To silence this, remove Sentry's: integrations: (d) => d.filter((i) => i.name !== '${spec.integration}'); ` +
        `to keep Sentry's instead, do not call ${spec.who}.`,
    );
  } catch {
    // a broken console must not break setup
  }
}

/**
 * Call right after making our bindings. Warns once when Sentry's integration is already there,
 * and takes the channels back whenever Sentry's transform displaced ours (at most a few times).
 */
export function takeOverChannelsFromSentry(spec: SentryTakeoverSpec): SentryTakeover {
  if (hasSentryIntegration(spec.integration)) warnOnce(spec);
  const dc = getDiagnosticsChannel();
  if (!dc) return { stop: () => undefined };
  let stopped = false;
  let pending = false;
  let rebinds = 0;
  const onStart = (data: unknown): void => {
    if (pending || stopped || !sentryStoreTransformRan(data)) return;
    pending = true;
    queueMicrotask(() => {
      pending = false;
      if (stopped) return;
      if (rebinds >= MAX_REBINDS) {
        logDebug(`${spec.who}: Sentry's ${spec.integration} keeps binding the same channels; not taking them back again`);
        return;
      }
      rebinds++;
      warnOnce(spec);
      try {
        spec.rebind();
      } catch (error) {
        logDebug(`${spec.who}: rebinding after Sentry's ${spec.integration} failed`, error);
      }
    });
  };
  const starts = spec.channels.map((name) => dc.tracingChannel(name).start);
  for (const start of starts) start.subscribe(onStart);
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      for (const start of starts) start.unsubscribe(onStart);
    },
  };
}
