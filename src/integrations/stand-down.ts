/**
 * For integrations whose Sentry counterpart binds no store and so cannot be displaced (fastify's
 * hook-based spans, pino's `end` subscriber): ours stands down while Sentry's is active, and says
 * so once per process. Channel-binding overlaps go through `arbitrateSentryOverlap` instead.
 */
import { globalSlot } from '../core/global-slot';
import { findSentryIntegration } from './sentry-overlap';

/** Whether the current Sentry client runs (or is setting up) the integration `name`. Never throws. */
export function hasSentryIntegration(name: string): boolean {
  return findSentryIntegration([name]) !== undefined;
}

/** One `console.warn` per process and `key` (shared by the ESM and CommonJS builds). Never throws. */
export function warnStandDownOnce(key: string, message: string): void {
  try {
    const warned = globalSlot('stand-down.warned', () => new Set<string>());
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
