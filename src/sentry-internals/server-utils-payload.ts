/**
 * What `@sentry/server-utils`' own TracingChannel binding leaves on a payload. Its
 * `bindSpanToChannelStore` transform writes `_sentryCallerStore` onto every payload it sees (a
 * private field of Sentry's, read only here), which tells that Sentry's transform, not ours, ran.
 */

/** Whether `@sentry/server-utils`' store transform ran for the call that published `data`. */
export function sentryStoreTransformRan(data: unknown): boolean {
  return typeof data === 'object' && data !== null && Object.prototype.hasOwnProperty.call(data, '_sentryCallerStore');
}
