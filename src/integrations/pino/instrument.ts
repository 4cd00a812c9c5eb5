/** `instrumentPino()`: every pino line (of the chosen levels) as a Sentry log, once per process. */
import { filterHint, hasSentryIntegration, warnOncePerProcess } from '../sentry-overlap';
import { setupOnce, type InstrumentationHandle } from '../setup-once';
import { subscribeGuarded } from '../subscribe';
import { PINO_TRACING_CHANNEL, SENTRY_PINO_INTEGRATION } from './channels';
import { sendPinoLog } from './logs';
import { resolvePinoOptions, type PinoInstrumentationOptions, type ResolvedPinoOptions } from './options';
import { readPinoLine, type PinoPayload } from './payload';

/** The handle `instrumentPino()` returns. `using pino = instrumentPino()` unbinds at scope exit. */
export type PinoInstrumentation = InstrumentationHandle<ResolvedPinoOptions>;

const STAND_DOWN_MESSAGE =
  "instrumentPino stands down while Sentry's own `Pino` integration (`Sentry.pinoIntegration()`) is active: " +
  'it already sends every pino line as a log, and both would send each line twice. ' +
  `To use instrumentPino instead, remove it: ${filterHint(SENTRY_PINO_INTEGRATION)}.`;

function onLine(levels: ReadonlySet<string>, data: PinoPayload): void {
  if (hasSentryIntegration(SENTRY_PINO_INTEGRATION)) {
    warnOncePerProcess('pino', STAND_DOWN_MESSAGE);
    return;
  }
  const line = readPinoLine(data);
  if (line === undefined || !levels.has(line.levelName)) return;
  sendPinoLog(line);
}

/**
 * Sends every pino line of the chosen `levels` to Sentry as a log (level, message, and the
 * line's own fields, child-logger bindings included, as attributes), through the tracing channel
 * pino publishes (`tracing:pino_asJson`, pino `>=9.10`). The log carries the trace and span active
 * where the line was logged. No transport, no stream; the line pino writes is unchanged.
 * With `@sentry/core` 10 the client needs `enableLogs: true` (11 sends logs without it).
 *
 * Idempotent: calling it again with the same options returns the same handle; with other options
 * it unbinds the first and binds again with the new ones (a debug line says so). Throws a
 * `TypeError` naming a bad option; never throws afterwards.
 * Stands down (one `console.warn`) while `Sentry.pinoIntegration()` is active, which does the same.
 *
 * @example
 * import { instrumentPino } from 'tracing-channel-span/pino';
 * instrumentPino({ levels: ['warn', 'error', 'fatal'] });
 */
export function instrumentPino(options?: PinoInstrumentationOptions): PinoInstrumentation {
  const resolved = resolvePinoOptions(options);
  return setupOnce('pino', 'instrumentPino', resolved, () => {
    if (hasSentryIntegration(SENTRY_PINO_INTEGRATION)) warnOncePerProcess('pino', STAND_DOWN_MESSAGE);
    const levels = new Set(resolved.levels);
    return { teardown: subscribeGuarded<PinoPayload>('instrumentPino', PINO_TRACING_CHANNEL, 'end', (data) => onLine(levels, data)) };
  });
}
