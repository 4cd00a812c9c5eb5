/**
 * The spans of the mysql2 integration: statement spans (`mysql2:query`, `mysql2:execute`) and
 * connect spans (`mysql2:connect`, `mysql2:pool:connect`), with OpenTelemetry database attributes.
 */
import { startInactiveSpan } from '@sentry/core';
import type { Span, SpanAttributes } from '@sentry/core';
import { readDatabase, readStatementOperation, readStatementText, type Mysql2Payload, type Mysql2StatementKind } from './payload';
import { connectionAttributes as dbConnectionAttributes } from '../db-attributes';
import { hasRecordingParent } from '../recording-parent';

/** `op` of statement spans. */
export const MYSQL2_OP = 'db';
/** `op` of a connection's handshake span. */
export const MYSQL2_CONNECT_OP = 'db.connect';
/** `op` of the span for waiting on a pooled connection. */
export const MYSQL2_POOL_CONNECT_OP = 'db.pool.connect';
/** `sentry.origin` of every span this integration makes. */
export const MYSQL2_ORIGIN = 'auto.db.mysql2.tracing_channel_span';

function connectionAttributes(data: Mysql2Payload): SpanAttributes {
  return dbConnectionAttributes(MYSQL2_ORIGIN, 'mysql', readDatabase(data), data);
}

/**
 * A statement span named after its text without values (`SELECT ? + ? AS n`), or `undefined`
 * when a parent is required and missing.
 */
export function startStatementSpan(kind: Mysql2StatementKind, data: Mysql2Payload, requireParentSpan: boolean): Span | undefined {
  if (requireParentSpan && !hasRecordingParent()) return undefined;
  const attributes = connectionAttributes(data);
  const text = readStatementText(kind, data);
  const operation = text === undefined ? undefined : readStatementOperation(text);
  if (text !== undefined) attributes['db.query.text'] = text;
  if (operation !== undefined) attributes['db.operation.name'] = operation;
  return startInactiveSpan({ name: text ?? `mysql2 ${kind}`, op: MYSQL2_OP, attributes });
}

/** A `connect` (handshake) or `pool connect` (acquire) span. */
export function startConnectSpan(kind: 'connect' | 'pool', data: Mysql2Payload, requireParentSpan: boolean): Span | undefined {
  if (requireParentSpan && !hasRecordingParent()) return undefined;
  return kind === 'connect'
    ? startInactiveSpan({ name: 'connect', op: MYSQL2_CONNECT_OP, attributes: connectionAttributes(data) })
    : startInactiveSpan({ name: 'pool connect', op: MYSQL2_POOL_CONNECT_OP, attributes: connectionAttributes(data) });
}
