/** Options of `instrumentFastify()`, validated at setup. */

/** Options of {@link instrumentFastify}. Every field is optional. */
export interface FastifyInstrumentationOptions {
  /**
   * Report an error a handler throws or rejects with to Sentry, once per request, when the reply
   * it leads to is a 5xx. Default `true`. A thrown error that fastify answers with a 4xx is the
   * client's error: never captured, spans stay ok.
   */
  captureErrors?: boolean;
}

/** The options in force, with defaults applied. */
export interface ResolvedFastifyOptions {
  captureErrors: boolean;
}

/** Applies defaults; throws a `TypeError` naming the option for a value of the wrong kind. */
export function resolveFastifyOptions(options: FastifyInstrumentationOptions | undefined): ResolvedFastifyOptions {
  if (options === undefined) return { captureErrors: true };
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`instrumentFastify: \`options\` must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  const { captureErrors = true } = options;
  if (typeof captureErrors !== 'boolean') {
    throw new TypeError(`instrumentFastify: \`options.captureErrors\` must be a boolean, got ${captureErrors === null ? 'null' : typeof captureErrors}`);
  }
  return { captureErrors };
}
