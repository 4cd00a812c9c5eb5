/** Options of `instrumentPino()`, validated at setup. */

/** Options of {@link instrumentPino}. Every field is optional. */
export interface PinoInstrumentationOptions {
  /**
   * The pino level names whose lines become Sentry logs. Default `['info', 'warn', 'error', 'fatal']`;
   * add `'debug'` / `'trace'` (or a custom level's name) to send those too.
   */
  levels?: readonly string[];
}

/** The options in force, with defaults applied. */
export interface ResolvedPinoOptions {
  levels: readonly string[];
}

/** The default `levels`. */
export const DEFAULT_PINO_LEVELS: readonly string[] = Object.freeze(['info', 'warn', 'error', 'fatal']);

/** Applies defaults; throws a `TypeError` naming the option for a value of the wrong kind. */
export function resolvePinoOptions(options: PinoInstrumentationOptions | undefined): ResolvedPinoOptions {
  if (options === undefined) return { levels: DEFAULT_PINO_LEVELS };
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`instrumentPino: \`options\` must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const { levels = DEFAULT_PINO_LEVELS } = options;
  if (!Array.isArray(levels) || levels.some((level) => typeof level !== 'string' || level === '')) {
    throw new TypeError('instrumentPino: `options.levels` must be an array of pino level names (non-empty strings)');
  }
  return { levels: Object.freeze([...new Set(levels)]) };
}
