/**
 * Nitro's storage layer: spans for unstorage 2's `withTracing(storage)` channels
 * (`unstorage.<method>`), one per call, with the op Sentry's cache insights read.
 *
 * Payload (unstorage 2.0.0-beta): { keys: string[], meta?: boolean, base?: string,
 * driver?: { name, options } }; `getMeta` publishes on `unstorage.getItem` with `meta: true`.
 * The resolved value arrives as `result` (read only for `cache.hit`).
 */
import { startInactiveSpan } from '@sentry/core';
import type { Span, SpanAttributes } from '@sentry/core';
import { bindTracingChannelToSpan } from '../../core/bind';
import type { ChannelBinding } from '../../core/types';
import { hasRecordingParent } from '../recording-parent';

/** `sentry.origin` of storage spans. */
export const NITRO_STORAGE_ORIGIN = 'auto.cache.tracing_channel_span.nitro';

/** The unstorage methods that publish, and the op of their spans. */
export const STORAGE_METHOD_OPS = {
  getItem: 'cache.get',
  getItemRaw: 'cache.get',
  getItems: 'cache.get',
  hasItem: 'cache.get',
  setItem: 'cache.put',
  setItemRaw: 'cache.put',
  setItems: 'cache.put',
  removeItem: 'cache.remove',
  clear: 'cache.remove',
  // listing keys is no cache read or write
  getKeys: 'db',
} as const;

type StorageMethod = keyof typeof STORAGE_METHOD_OPS;

interface StoragePayload {
  keys?: unknown;
  meta?: unknown;
  base?: unknown;
  driver?: { name?: unknown } | null;
  result?: unknown;
}

const READS: ReadonlySet<StorageMethod> = new Set(['getItem', 'getItemRaw', 'getItems', 'hasItem']);

function keysOf(data: StoragePayload): string[] {
  return Array.isArray(data.keys) ? data.keys.filter((k): k is string => typeof k === 'string') : [];
}

function startStorageSpan(method: StorageMethod, data: StoragePayload): Span | undefined {
  if (!hasRecordingParent()) return undefined;
  const operation = method === 'getItem' && data.meta === true ? 'getMeta' : method;
  const op = STORAGE_METHOD_OPS[method];
  const attributes: SpanAttributes = { 'sentry.origin': NITRO_STORAGE_ORIGIN, 'db.operation.name': operation };
  const driver = data.driver?.name;
  if (typeof driver === 'string' && driver !== '') attributes['db.system.name'] = driver;
  const base = typeof data.base === 'string' ? data.base.replace(/:$/, '') : '';
  if (base !== '') attributes['db.collection.name'] = base;
  const keys = keysOf(data);
  if (keys.length === 1) attributes['cache.key'] = keys[0];
  else if (keys.length > 1) attributes['cache.key'] = keys;
  return startInactiveSpan({ name: base === '' ? operation : `${operation} ${base}`, op, attributes });
}

/** `cache.hit` of a read: a value came back (for `hasItem`: `true`; for `getItems`: any value). */
function annotateStorageOutcome(method: StorageMethod, span: Span, data: StoragePayload): void {
  if (!READS.has(method) || 'error' in data) return;
  const result = data.result;
  const hit =
    method === 'hasItem'
      ? result === true
      : method === 'getItems'
        ? Array.isArray(result) && result.some((item) => (item as { value?: unknown } | null)?.value != null)
        : result != null;
  span.setAttribute('cache.hit', hit);
}

/** The `unstorage.<method>` channels, one per traced method. */
export const STORAGE_TRACING_CHANNELS: readonly string[] = Object.keys(STORAGE_METHOD_OPS).map((method) => `unstorage.${method}`);

/**
 * Binds every `unstorage.<method>` channel; spans only inside a recording span. Sentry's own
 * `Nitro` integration binds the same channels: `instrumentNitro()` arbitrates them with its own.
 */
export function traceNitroStorage(): ChannelBinding<StoragePayload>[] {
  return (Object.keys(STORAGE_METHOD_OPS) as StorageMethod[]).map((method) =>
    bindTracingChannelToSpan<StoragePayload>(`unstorage.${method}`, (data) => startStorageSpan(method, data), {
      beforeSpanEnd: (span, data) => annotateStorageOutcome(method, span, data),
      sampledOnly: true,
    }),
  );
}
