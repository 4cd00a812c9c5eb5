/**
 * Minimal local version of the "never doubled" rule (SPEC §4) for the graphql, fastify and pino
 * integrations: is Sentry's own integration for the same library active, and one `console.warn`
 * per process saying who traces and how to switch. The shared mechanism of issue 11 replaces this.
 */
import { getClient } from '@sentry/core';

const WARNED_KEY = Symbol.for('tracing-channel-span.sentry-overlap-warned.v1');

function warnedSet(): Set<string> {
  const holder = globalThis as { [WARNED_KEY]?: Set<string> };
  return (holder[WARNED_KEY] ??= new Set());
}

/** Whether the current Sentry client runs an integration of that name (`'Graphql'`, `'Fastify'`, `'Pino'`). Never throws. */
export function hasSentryIntegration(name: string): boolean {
  try {
    return getClient()?.getIntegrationByName(name) !== undefined;
  } catch {
    return false;
  }
}

/** One `console.warn` per process and `key` (shared by the ESM and CommonJS builds). Never throws. */
export function warnSentryOverlapOnce(key: string, message: string): void {
  try {
    const warned = warnedSet();
    if (warned.has(key)) return;
    warned.add(key);
    console.warn(`[tracing-channel-span] ${message}`);
  } catch {
    // a broken console must not break setup or the traced call
  }
}

/** The `integrations` option that removes Sentry's integration `name`, for the warnings. */
export function filterHint(name: string): string {
  return `\`Sentry.init({ integrations: (defaults) => defaults.filter((i) => i.name !== '${name}') })\``;
}
