/**
 * The Sentry log a pino line becomes: its severity, message and attributes. (pino lines make no
 * spans, so this file takes the place `spans.ts` has in the other integrations.)
 */
import { logger } from '@sentry/core';
import type { PinoLine } from './payload';

/** `sentry.origin` of every log this integration sends. */
export const PINO_ORIGIN = 'auto.log.pino.tracing_channel';

type SentryLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
const SENTRY_LEVELS = new Set<string>(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** pino's own level names map to Sentry's of the same name; a custom level by its number (pino's scale). */
export function sentryLogLevel(line: Pick<PinoLine, 'levelName' | 'levelNumber'>): SentryLogLevel {
  if (SENTRY_LEVELS.has(line.levelName)) return line.levelName as SentryLogLevel;
  const n = line.levelNumber;
  if (n >= 60) return 'fatal';
  if (n >= 50) return 'error';
  if (n >= 40) return 'warn';
  if (n >= 30) return 'info';
  return n >= 20 ? 'debug' : 'trace';
}

/**
 * Sends `line` as a Sentry log through `@sentry/core`'s public `logger`, in the caller's context:
 * the log carries the active trace and span (`trace_id`, `sentry.trace.parent_span_id`).
 */
export function sendPinoLog(line: PinoLine): void {
  const attributes: Record<string, unknown> = {
    ...line.fields,
    'sentry.origin': PINO_ORIGIN,
    'pino.logger.level': line.levelNumber,
    'pino.logger.level_name': line.levelName,
  };
  logger[sentryLogLevel(line)](line.message, attributes);
}
