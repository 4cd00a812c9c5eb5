/**
 * Nitro's database layer: a span per query from db0's `withTracing(db)` channel `db0.query`.
 *
 * Payload (db0 0.4): { query, method: 'exec' | 'sql' | 'prepare.all' | 'prepare.run' |
 * 'prepare.get', connector: 'node-sqlite' | 'mysql' | …, dialect: 'sqlite' | 'mysql' |
 * 'postgresql' | 'libsql' }. `sql` and `prepare.*` publish the placeholder text (values travel
 * separately); `exec` publishes the caller's raw text, so its literals become `?`.
 */
import { startInactiveSpan } from '@sentry/core';
import type { Span, SpanAttributes } from '@sentry/core';
import { bindTracingChannelToSpan } from '../../core/bind';
import type { ChannelBinding } from '../../core/types';
import { hasRecordingParent } from '../recording-parent';
import { annotateSqlFailure } from '../sql/sql-error';
import { readSqlOperationName, sanitizeSqlLiterals, truncateSqlText } from '../sql/sql-text';

/** `sentry.origin` of database spans. */
export const NITRO_DATABASE_ORIGIN = 'auto.db.tracing_channel_span.nitro';

interface Db0Payload {
  query?: unknown;
  method?: unknown;
  connector?: unknown;
  dialect?: unknown;
  error?: unknown;
}

/** `db.system.name` for each db0 dialect (OpenTelemetry names; libSQL speaks SQLite). */
const SYSTEM_OF_DIALECT: Readonly<Record<string, string>> = {
  sqlite: 'sqlite',
  libsql: 'sqlite',
  mysql: 'mysql',
  postgresql: 'postgresql',
};

function queryText(data: Db0Payload): string | undefined {
  if (typeof data.query !== 'string' || data.query.trim() === '') return undefined;
  return truncateSqlText(data.method === 'exec' ? sanitizeSqlLiterals(data.query) : data.query);
}

function startQuerySpan(data: Db0Payload): Span | undefined {
  if (!hasRecordingParent()) return undefined;
  const attributes: SpanAttributes = { 'sentry.origin': NITRO_DATABASE_ORIGIN };
  const dialect = typeof data.dialect === 'string' ? data.dialect : undefined;
  if (dialect !== undefined) attributes['db.system.name'] = SYSTEM_OF_DIALECT[dialect] ?? dialect;
  const text = queryText(data);
  if (text !== undefined) {
    attributes['db.query.text'] = text;
    const operation = readSqlOperationName(text);
    if (operation !== undefined) attributes['db.operation.name'] = operation;
  }
  return startInactiveSpan({ name: text ?? 'db0 query', op: 'db', attributes });
}

/** Binds `db0.query`; spans only inside a recording span. */
export function traceNitroDatabase(): { unbind(): void } {
  const binding: ChannelBinding<Db0Payload> = bindTracingChannelToSpan<Db0Payload>('db0.query', startQuerySpan, {
    beforeSpanEnd: annotateSqlFailure,
    sampledOnly: true,
  });
  return { unbind: () => binding.unbind() };
}
