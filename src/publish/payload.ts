/**
 * Writes the outcome of a traced call onto its context object, the way Node's `trace*` methods
 * do (`context.result`, `context.error`), except that a frozen or otherwise read-only context
 * never makes the traced call throw: the key is then simply missing.
 */

/** Sets `context.result = value`; never throws. */
export function recordResult(context: object, value: unknown): void {
  try {
    (context as { result?: unknown }).result = value;
  } catch {
    // read-only context: subscribers see no `result`, the caller still gets its value
  }
}

/** Sets `context.error = error`; never throws. */
export function recordError(context: object, error: unknown): void {
  try {
    (context as { error?: unknown }).error = error;
  } catch {
    // read-only context: subscribers see no `error`, the caller still gets its error
  }
}
