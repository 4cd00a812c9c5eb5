/**
 * The spans of the graphql integration: names (`query GetUser`, `graphql.parse`, the field path
 * of a resolver), attributes (OpenTelemetry's `graphql.*` conventions), and what a result adds.
 */
import { captureException, getActiveSpan, startInactiveSpan } from '@sentry/core';
import type { Span, SpanAttributes } from '@sentry/core';
import { markSpanError } from '../../core/span-error';
import type { GraphqlResolverSpans, ResolvedGraphqlOptions } from './options';
import {
  originalError,
  readDocumentText,
  readOperationName,
  readOperationType,
  readResolveFields,
  readResultErrors,
  readSourceText,
  type GraphqlDocumentPayload,
  type GraphqlOperationPayload,
  type GraphqlResolvePayload,
} from './payload';

/** `op` of operation, parse and validate spans. */
export const GRAPHQL_OP = 'graphql';
/** `op` of resolver spans. */
export const GRAPHQL_RESOLVE_OP = 'graphql.resolve';
/** `sentry.origin` of every span this integration makes. */
export const GRAPHQL_ORIGIN = 'auto.graphql.tracing_channel';
/** Mechanism of errors reported with `captureErrors: true`. */
export const GRAPHQL_MECHANISM = { type: 'auto.graphql.tracing_channel', handled: false } as const;

/** `query GetUser`; `query` for an anonymous one; `graphql.execute` when no operation matched. */
export function operationSpanName(kind: 'execute' | 'subscribe', type: string | undefined, name: string | undefined): string {
  if (type === undefined) return `graphql.${kind}`;
  return name === undefined ? type : `${type} ${name}`;
}

/** The span of one `execute` or `subscribe` call. */
export function startOperationSpan(kind: 'execute' | 'subscribe', data: GraphqlOperationPayload, options: ResolvedGraphqlOptions): Span | undefined {
  const type = readOperationType(data);
  const name = readOperationName(data);
  const attributes: SpanAttributes = { 'sentry.origin': GRAPHQL_ORIGIN };
  if (type !== undefined) attributes['graphql.operation.type'] = type;
  if (name !== undefined) attributes['graphql.operation.name'] = name;
  if (options.recordDocument) {
    const text = readDocumentText(data.document);
    if (text !== undefined) attributes['graphql.document'] = text;
  }
  return startInactiveSpan({ name: operationSpanName(kind, type, name), op: GRAPHQL_OP, attributes });
}

/**
 * The span of one `parse` (`graphql.document` from the source text) or `validate` call (from the
 * parsed document). Only inside an active span: `buildSchema` at startup parses too, and would
 * otherwise become a transaction of its own.
 */
export function startDocumentSpan(kind: 'parse' | 'validate', data: GraphqlDocumentPayload, options: ResolvedGraphqlOptions): Span | undefined {
  if (getActiveSpan() === undefined) return undefined;
  const attributes: SpanAttributes = { 'sentry.origin': GRAPHQL_ORIGIN };
  if (options.recordDocument) {
    const text = kind === 'parse' ? readSourceText(data.source) : readDocumentText(data.document);
    if (text !== undefined) attributes['graphql.document'] = text;
  }
  return startInactiveSpan({ name: `graphql.${kind}`, op: GRAPHQL_OP, attributes });
}

/** The span of one resolver call, named after the field path (`user.posts.0.title`), per the `resolvers` option. */
export function startResolveSpan(data: GraphqlResolvePayload, policy: GraphqlResolverSpans): Span | undefined {
  if (policy === 'none') return undefined;
  const fields = readResolveFields(data);
  if (policy === 'custom' && fields.isDefaultResolver) return undefined;
  const attributes: SpanAttributes = { 'sentry.origin': GRAPHQL_ORIGIN };
  if (fields.fieldName !== undefined) attributes['graphql.field.name'] = fields.fieldName;
  if (fields.fieldPath !== undefined) attributes['graphql.field.path'] = fields.fieldPath;
  if (fields.fieldType !== undefined) attributes['graphql.field.type'] = fields.fieldType;
  if (fields.parentType !== undefined) attributes['graphql.parent.name'] = fields.parentType;
  return startInactiveSpan({ name: fields.fieldPath ?? fields.fieldName ?? 'graphql.resolve', op: GRAPHQL_RESOLVE_OP, attributes });
}

/** `beforeSpanEnd` of validate spans: a non-empty error list marks the span failed with the first message. */
export function annotateValidateOutcome(span: Span, data: GraphqlDocumentPayload): void {
  const errors = Array.isArray(data.result) ? data.result : [];
  if (errors.length > 0) markSpanError(span, errors[0]);
}

/**
 * `beforeSpanEnd` of operation spans: a result with `errors` marks the span failed (the first
 * error's message); with `captureErrors` each of them is reported once (what a resolver threw,
 * where graphql kept it as `originalError`).
 */
export function annotateOperationOutcome(span: Span, data: GraphqlOperationPayload, captureErrors: boolean): void {
  const errors = readResultErrors(data.result);
  if (errors.length === 0) return;
  markSpanError(span, errors[0]);
  span.setAttribute('graphql.errors.count', errors.length);
  if (!captureErrors) return;
  const seen = new Set<unknown>();
  for (const error of errors) {
    const reported = originalError(error);
    if (seen.has(reported)) continue;
    seen.add(reported);
    captureException(reported, { mechanism: GRAPHQL_MECHANISM });
  }
}
