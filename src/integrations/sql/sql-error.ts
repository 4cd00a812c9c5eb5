/**
 * What a failed SQL call records, shared by the mysql2 and db0 integrations: the server's error
 * number as `db.response.status_code`, and a status message without the values MySQL/MariaDB
 * echo back (`Duplicate entry 'ada@example.com' for key 'email'`, or a syntax error quoting the
 * statement with its pasted values after `near '…'`).
 */
import { SPAN_STATUS_ERROR } from '@sentry/core';
import type { Span } from '@sentry/core';

/**
 * The server's error number as a string (`'1146'`), else the driver's string `code`
 * (`'ER_NO_SUCH_TABLE'`, `'ERR_SQLITE_ERROR'`); `undefined` for anything else.
 */
export function readSqlErrorStatusCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { errno, code } = error as { errno?: unknown; code?: unknown };
  if (typeof errno === 'number' && Number.isInteger(errno) && errno > 0) return String(errno);
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/**
 * `message` without echoed values: what follows `near '` (the statement itself) becomes `?`, and
 * so does every quoted part of the rest (`Unknown column 'x'` gives `Unknown column ?`).
 */
export function redactSqlErrorMessage(message: string): string {
  const near = /\snear '/.exec(message);
  const head = near ? message.slice(0, near.index) + ' near ?' : message;
  return head.replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"/g, '?');
}

/**
 * `beforeSpanEnd` of a failed SQL call: `db.response.status_code`, and the status message the
 * core took from the error replaced by its redacted form.
 */
export function annotateSqlFailure(span: Span, data: { error?: unknown }): void {
  if (!('error' in data)) return;
  const error = data.error;
  const code = readSqlErrorStatusCode(error);
  if (code !== undefined) span.setAttribute('db.response.status_code', code);
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  if (typeof message === 'string' && message !== '') span.setStatus({ code: SPAN_STATUS_ERROR, message: redactSqlErrorMessage(message) });
}
