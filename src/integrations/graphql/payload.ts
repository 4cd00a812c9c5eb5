/**
 * Reads the payloads graphql 17 publishes. Every read is defensive (getters, unknown shapes): the
 * execute payload's `operationName` / `operationType` are getters that walk the document.
 *
 * - `graphql:parse` { source: string | Source } · `graphql:validate` { schema, document, result: errors[] }
 * - `graphql:execute` / `graphql:subscribe` { schema, document, rawVariableValues, operationName, operationType, result? }
 * - `graphql:resolve` { fieldName, alias, parentType, fieldType, args, isDefaultResolver, fieldPath }
 */

/** The fields of an execute or subscribe payload this integration reads. */
export interface GraphqlOperationPayload {
  document?: unknown;
  operationName?: unknown;
  operationType?: unknown;
  result?: unknown;
  error?: unknown;
}

/** The fields of a parse or validate payload this integration reads. */
export interface GraphqlDocumentPayload {
  source?: unknown;
  document?: unknown;
  result?: unknown;
  error?: unknown;
}

/** The fields of a resolve payload this integration reads. */
export interface GraphqlResolvePayload {
  fieldName?: unknown;
  parentType?: unknown;
  fieldType?: unknown;
  fieldPath?: unknown;
  isDefaultResolver?: unknown;
  result?: unknown;
  error?: unknown;
}

/** `graphql.document` longer than this is cut (with a trailing `…`). */
export const MAX_DOCUMENT_LENGTH = 8192;

function read(data: object, key: string): unknown {
  try {
    return (data as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function cut(text: string): string {
  return text.length > MAX_DOCUMENT_LENGTH ? text.slice(0, MAX_DOCUMENT_LENGTH - 1) + '…' : text;
}

/** `query`, `mutation` or `subscription`, or `undefined` (no operation matched). */
export function readOperationType(data: GraphqlOperationPayload): string | undefined {
  return nonEmptyString(read(data, 'operationType'));
}

/** The operation's name, or `undefined` for an anonymous operation. */
export function readOperationName(data: GraphqlOperationPayload): string | undefined {
  return nonEmptyString(read(data, 'operationName'));
}

/** The query text of a parsed document (`document.loc.source.body`), cut to {@link MAX_DOCUMENT_LENGTH}. */
export function readDocumentText(document: unknown): string | undefined {
  try {
    const body = (document as { loc?: { source?: { body?: unknown } } } | undefined)?.loc?.source?.body;
    return typeof body === 'string' ? cut(body) : undefined;
  } catch {
    return undefined;
  }
}

/** The text `parse` was given: a string or a `Source` (`{ body }`). */
export function readSourceText(source: unknown): string | undefined {
  if (typeof source === 'string') return cut(source);
  try {
    const body = (source as { body?: unknown } | undefined)?.body;
    return typeof body === 'string' ? cut(body) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The errors of an operation's result: `{ errors }` (execute, a failed subscribe) or
 * `{ initialResult: { errors } }` (incremental delivery). An async iterator (a subscription) has none.
 */
export function readResultErrors(result: unknown): readonly unknown[] {
  if (typeof result !== 'object' || result === null) return [];
  try {
    const direct = (result as { errors?: unknown }).errors;
    if (Array.isArray(direct)) return direct;
    const initial = (result as { initialResult?: { errors?: unknown } }).initialResult?.errors;
    return Array.isArray(initial) ? initial : [];
  } catch {
    return [];
  }
}

/** The error behind a `GraphQLError` (what a resolver threw), or the error itself. */
export function originalError(error: unknown): unknown {
  try {
    const original = (error as { originalError?: unknown } | undefined)?.originalError;
    return original ?? error;
  } catch {
    return error;
  }
}

/** A resolve payload's fields, as strings where graphql publishes them. */
export function readResolveFields(data: GraphqlResolvePayload): {
  fieldName: string | undefined;
  parentType: string | undefined;
  fieldType: string | undefined;
  fieldPath: string | undefined;
  isDefaultResolver: boolean;
} {
  return {
    fieldName: nonEmptyString(read(data, 'fieldName')),
    parentType: nonEmptyString(read(data, 'parentType')),
    fieldType: nonEmptyString(read(data, 'fieldType')),
    fieldPath: nonEmptyString(read(data, 'fieldPath')),
    isDefaultResolver: read(data, 'isDefaultResolver') === true,
  };
}
