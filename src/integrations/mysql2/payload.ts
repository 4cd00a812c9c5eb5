/**
 * Reads the payloads mysql2 (>= 3.20) publishes. Every field is optional and of unknown type:
 * publishers evolve, and nothing here may throw.
 *
 * `mysql2:query` / `mysql2:execute`: { query, values, database, serverAddress, serverPort }. For
 * `query()` the text already has the values pasted in (client-side formatting); for `execute()`
 * it is the placeholder text and `values` travel separately. `values` is never read here.
 * `mysql2:connect`: { database, serverAddress, serverPort, user }; `mysql2:pool:connect`:
 * { database, serverAddress, serverPort }. A failed call carries `error` (a mysql2 error with
 * `errno` and `code`).
 */
import { readSqlOperationName, sanitizeSqlLiterals, truncateSqlText } from '../sql/sql-text';

/** The fields of a mysql2 payload this integration reads. */
export interface Mysql2Payload {
  query?: unknown;
  database?: unknown;
  serverAddress?: unknown;
  serverPort?: unknown;
  error?: unknown;
}

/** Which statement channel a payload came from. */
export type Mysql2StatementKind = 'query' | 'execute';

/**
 * `db.query.text` without bound values: `execute()`'s placeholder text as published; `query()`'s
 * text with every literal replaced by `?` (its values are already pasted in). `undefined` when
 * the payload has no text.
 */
export function readStatementText(kind: Mysql2StatementKind, data: Mysql2Payload): string | undefined {
  const text = data.query;
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  return truncateSqlText(kind === 'execute' ? text : sanitizeSqlLiterals(text));
}

/** `db.operation.name` of a statement text (`SELECT`), if it starts with a keyword. */
export function readStatementOperation(text: string): string | undefined {
  return readSqlOperationName(text);
}

/** `db.namespace`: the connection's database, when it has one. */
export function readDatabase(data: Mysql2Payload): string | undefined {
  const db = data.database;
  return typeof db === 'string' && db !== '' ? db : undefined;
}
