/** `enrichBoundSpan`: rename and tag the innermost bound span from any depth inside a traced call. */
import { getActiveSpan, getRootSpan, getSpanDescendants, spanToJSON } from '@sentry/core';
import type { Span, SpanAttributeValue } from '@sentry/core';
import { entryOfSpan } from './call-registry';
import type { CallEntry } from './span-end';

/** At most this many attributes per span are set through `enrichBoundSpan`. */
export const MAX_ENRICHED_ATTRIBUTES = 256;
/** Attribute keys longer than this many UTF-8 bytes are dropped. */
export const MAX_ATTRIBUTE_KEY_BYTES = 256;
/** String values (and each string in an array) longer than this many UTF-8 bytes are dropped. */
export const MAX_ATTRIBUTE_VALUE_BYTES = 128 * 1024;

/** What `enrichBoundSpan` applies. */
export interface BoundSpanEnrichment {
  /** New span name; the latest call wins. */
  name?: string;
  /** Attributes upserted by key. Non-finite numbers are kept as `'NaN'`, `'Infinity'`, `'-Infinity'`. */
  attributes?: Record<string, unknown>;
}

const enrichedKeys = new WeakMap<Span, Set<string>>();

function utf8Bytes(value: string): number {
  // every UTF-16 unit is at most 3 UTF-8 bytes: skip the exact count when it cannot matter
  if (value.length * 3 <= MAX_ATTRIBUTE_VALUE_BYTES) return value.length;
  return Buffer.byteLength(value, 'utf8');
}

function keyFits(key: string): boolean {
  return key.length > 0 && (key.length * 3 <= MAX_ATTRIBUTE_KEY_BYTES || Buffer.byteLength(key, 'utf8') <= MAX_ATTRIBUTE_KEY_BYTES);
}

const DROP = Symbol('drop');

function normalizeScalar(value: unknown): string | number | boolean | typeof DROP {
  switch (typeof value) {
    case 'string':
      return utf8Bytes(value) <= MAX_ATTRIBUTE_VALUE_BYTES ? value : DROP;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    default:
      return DROP;
  }
}

function normalizeValue(value: unknown): SpanAttributeValue | typeof DROP {
  if (!Array.isArray(value)) return normalizeScalar(value);
  const out: Array<string | number | boolean> = [];
  let bytes = 0;
  for (const item of value) {
    const normalized = normalizeScalar(item);
    if (normalized === DROP) return DROP;
    if (typeof normalized === 'string') {
      bytes += utf8Bytes(normalized);
      if (bytes > MAX_ATTRIBUTE_VALUE_BYTES) return DROP;
    }
    out.push(normalized);
  }
  return out as SpanAttributeValue;
}

function parentIdOf(span: Span): string | undefined {
  return spanToJSON(span).parent_span_id;
}

/** The innermost open span a binding made, seen from the active span (which may be a child). */
function findBoundEntry(): CallEntry | undefined {
  const active = getActiveSpan();
  if (!active) return undefined;
  const direct = entryOfSpan(active);
  if (direct) return direct.isOpen ? direct : undefined;
  // A child span is active: walk up its ancestry through the root's descendants.
  const root = getRootSpan(active);
  if (root === active) return undefined;
  const byId = new Map<string, Span>();
  for (const span of getSpanDescendants(root)) byId.set(span.spanContext().spanId, span);
  let parentId = parentIdOf(active);
  for (let hops = 0; parentId && hops < 1000; hops++) {
    const parent = byId.get(parentId);
    if (!parent) return undefined;
    const entry = entryOfSpan(parent);
    if (entry) return entry.isOpen ? entry : undefined;
    parentId = parentIdOf(parent);
  }
  return undefined;
}

/**
 * Renames and tags the innermost span made by a binding, from any depth inside a traced call,
 * even while another (child) span is active. Calls merge: the latest name wins, attributes upsert
 * by key. Caps: 256 attributes per span through this function, keys up to 256 bytes, string
 * values up to 128 KiB; an entry over a cap (or of an unsupported type) is dropped.
 *
 * @returns `true` when a bound span was enriched, `false` outside a traced call. Never throws.
 */
export function enrichBoundSpan(enrichment: BoundSpanEnrichment): boolean {
  try {
    if (typeof enrichment !== 'object' || enrichment === null) return false;
    const entry = findBoundEntry();
    if (!entry) return false;
    const span = entry.span;
    const { name, attributes } = enrichment;
    if (typeof name === 'string' && name.length > 0) span.updateName(name);
    if (typeof attributes === 'object' && attributes !== null) {
      let keys = enrichedKeys.get(span);
      if (!keys) {
        keys = new Set();
        enrichedKeys.set(span, keys);
      }
      for (const key of Object.keys(attributes)) {
        if (!keyFits(key)) continue;
        const value = normalizeValue(attributes[key]);
        if (value === DROP) continue;
        if (!keys.has(key)) {
          if (keys.size >= MAX_ENRICHED_ATTRIBUTES) continue;
          keys.add(key);
        }
        span.setAttribute(key, value);
      }
    }
    return true;
  } catch {
    return false;
  }
}
