/**
 * The spans of the Redis integration: what each kind (command, batch, connect) is named, which
 * attributes it carries (OpenTelemetry semantic conventions for Redis), and what the outcome adds.
 */
import { startInactiveSpan } from '@sentry/core';
import type { Span, SpanAttributes } from '@sentry/core';
import { markSpanError } from '../../core/span-error';
import { connectionAttributes as dbConnectionAttributes } from '../db-attributes';
import { hasRecordingParent } from '../recording-parent';
import type { RedisClientName, RedisConnectSpans } from './options';
import {
  findBatchReplyError,
  readBatchMode,
  readBatchSize,
  readCommandName,
  readErrorPrefix,
  readNamespace,
  readQueryText,
  type RedisPayload,
} from './payload';

/** `op` of command and batch spans. */
export const REDIS_OP = 'db.redis';
/** `op` of connect spans (kept apart from queries so they do not count as database time). */
export const REDIS_CONNECT_OP = 'db.redis.connect';
/** `sentry.origin` of every span this integration makes. */
export const REDIS_ORIGIN = 'auto.db.redis.tracing_channel';
/** Name of connect spans. */
export const REDIS_CONNECT_SPAN_NAME = 'connect';

function connectionAttributes(data: RedisPayload): SpanAttributes {
  return dbConnectionAttributes(REDIS_ORIGIN, 'redis', readNamespace(data), data);
}

/** A span named for the command (`GET`), or `undefined` (no parent while one is required, or no command). */
export function startCommandSpan(client: RedisClientName, data: RedisPayload, requireParentSpan: boolean): Span | undefined {
  if (requireParentSpan && !hasRecordingParent()) return undefined;
  const command = readCommandName(data);
  if (command === undefined) return undefined;
  const attributes = connectionAttributes(data);
  attributes['db.operation.name'] = command;
  attributes['db.query.text'] = readQueryText(client, command, data);
  return startInactiveSpan({ name: command, op: REDIS_OP, attributes });
}

/** One span for a whole MULTI or pipeline, named `MULTI` / `PIPELINE`, with the batch size. */
export function startBatchSpan(data: RedisPayload, requireParentSpan: boolean): Span | undefined {
  if (requireParentSpan && !hasRecordingParent()) return undefined;
  const mode = readBatchMode(data);
  const attributes = connectionAttributes(data);
  attributes['db.operation.name'] = mode;
  const size = readBatchSize(data);
  if (size !== undefined) attributes['db.operation.batch.size'] = size;
  return startInactiveSpan({ name: mode, op: REDIS_OP, attributes });
}

/** A `connect` span, subject to the `connectSpans` policy. */
export function startConnectSpan(data: RedisPayload, policy: RedisConnectSpans): Span | undefined {
  if (policy === 'never' || (policy === 'with-parent' && !hasRecordingParent())) return undefined;
  return startInactiveSpan({ name: REDIS_CONNECT_SPAN_NAME, op: REDIS_CONNECT_OP, attributes: connectionAttributes(data) });
}

/** `beforeSpanEnd` of command spans: the Redis error prefix of a failed command. */
export function annotateCommandOutcome(span: Span, data: RedisPayload): void {
  if (!('error' in data)) return;
  const prefix = readErrorPrefix(data.error);
  if (prefix !== undefined) span.setAttribute('db.response.status_code', prefix);
}

/**
 * `beforeSpanEnd` of batch spans. A failed batch gets its error prefix; a MULTI that completed but
 * whose replies contain an error reply (a command failed inside the transaction) is marked as
 * failed too, with that reply's message: node-redis then rejects `exec()`, ioredis resolves with
 * the error in its `[error, value]` pair.
 */
export function annotateBatchOutcome(span: Span, data: RedisPayload): void {
  if ('error' in data) {
    annotateCommandOutcome(span, data);
    return;
  }
  const replyError = findBatchReplyError(data.result);
  if (replyError === undefined) return;
  markSpanError(span, replyError);
  const prefix = readErrorPrefix(replyError);
  if (prefix !== undefined) span.setAttribute('db.response.status_code', prefix);
}
