/**
 * Draws finished spans as a terminal waterfall: one row per span, indented under its parent,
 * with a bar placed on the trace's timeline, its duration and its status.
 */
import type { Client, Span } from '@sentry/core';
import { spanToJSON } from '@sentry/core';

export interface SpanRow {
  spanId: string;
  parentId?: string;
  traceId: string;
  name: string;
  op?: string;
  start: number;
  end: number;
  status: string;
  message?: string;
  attributes: Record<string, unknown>;
}

/** Collects every span the client ends. */
export function collectSpans(client: Client): SpanRow[] {
  const rows: SpanRow[] = [];
  client.on('spanEnd', (span: Span) => {
    const j = spanToJSON(span) as any;
    const attributes = j.attributes ?? j.data ?? {};
    rows.push({
      spanId: j.span_id,
      parentId: j.parent_span_id,
      traceId: j.trace_id,
      name: j.name ?? j.description ?? '(unnamed)',
      op: j.op ?? attributes['sentry.op'],
      start: j.start_timestamp,
      end: j.end_timestamp ?? j.timestamp ?? j.start_timestamp,
      status: j.status ?? 'ok',
      message: attributes['sentry.status.message'],
      attributes,
    });
  });
  return rows;
}

/**
 * Resolves the first collected span that matches, once it has ended (spans end slightly after a
 * response reaches the client); rejects after `timeoutMs`.
 */
export async function waitForSpan(rows: SpanRow[], matches: (row: SpanRow) => boolean, timeoutMs = 5000): Promise<SpanRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = rows.find(matches);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no matching span ended within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: string, text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

/**
 * Renders the spans as one waterfall per trace, traces in start order. A trace whose root span has
 * a parent outside the collected spans (an incoming `traceparent` / `sentry-trace`) says so.
 */
export function renderWaterfall(rows: SpanRow[], options: { width?: number; attributes?: string[] } = {}): string {
  const width = options.width ?? 40;
  const shownAttributes = options.attributes ?? [];
  const out: string[] = [];
  const traces = new Map<string, SpanRow[]>();
  for (const row of rows) traces.set(row.traceId, [...(traces.get(row.traceId) ?? []), row]);
  const ordered = [...traces].sort(([, a], [, b]) => Math.min(...a.map((s) => s.start)) - Math.min(...b.map((s) => s.start)));
  for (const [traceId, spans] of ordered) {
    const ids = new Set(spans.map((s) => s.spanId));
    const children = new Map<string | undefined, SpanRow[]>();
    for (const s of spans) {
      const key = s.parentId && ids.has(s.parentId) ? s.parentId : undefined;
      children.set(key, [...(children.get(key) ?? []), s]);
    }
    for (const list of children.values()) list.sort((a, b) => a.start - b.start);
    const t0 = Math.min(...spans.map((s) => s.start));
    const t1 = Math.max(...spans.map((s) => s.end));
    const total = Math.max(t1 - t0, 1e-6);
    const remoteParent = spans.find((s) => s.parentId && !ids.has(s.parentId))?.parentId;
    const continued = remoteParent ? `, continues remote parent span ${remoteParent}` : '';
    out.push(paint('1', `trace ${traceId}`) + paint('2', `  ${(total * 1000).toFixed(1)} ms, ${spans.length} span${spans.length === 1 ? '' : 's'}${continued}`));
    const walk = (parent: string | undefined, depth: number) => {
      for (const s of children.get(parent) ?? []) {
        const from = Math.floor(((s.start - t0) / total) * width);
        const len = Math.max(1, Math.round(((s.end - s.start) / total) * width));
        const bar = ' '.repeat(from) + '█'.repeat(Math.min(len, width - from)) + ' '.repeat(Math.max(0, width - from - len));
        const label = `${'  '.repeat(depth)}${s.name}`.padEnd(44).slice(0, 44);
        const ms = `${((s.end - s.start) * 1000).toFixed(1)} ms`.padStart(10);
        const failed = s.status === 'error';
        const status = failed ? paint('31', ` ✗ ${s.message ?? 'error'}`) : '';
        const extra = shownAttributes
          .filter((k) => s.attributes[k] !== undefined)
          .map((k) => `${k}=${JSON.stringify(s.attributes[k])}`)
          .join(' ');
        out.push(`${label} ${paint(failed ? '31' : '36', bar)} ${ms}${status}${extra ? paint('2', `  ${extra}`) : ''}`);
        walk(s.spanId, depth + 1);
      }
    };
    walk(undefined, 0);
    out.push('');
  }
  return out.join('\n');
}
