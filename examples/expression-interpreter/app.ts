/**
 * An app that uses exprlang (./lib, which knows nothing about Sentry) and turns its tracing
 * channels into Sentry spans. A host function it registers, `price`, enriches the span of its own
 * call from five calls deep, across an await on a timer and while a child span is active.
 *
 *   node --import tsx examples/expression-interpreter/app.ts          draws the span tree
 *   node --import tsx examples/expression-interpreter/app.ts --json   prints results and spans as JSON
 *
 * No network: a `@sentry/core` client whose transport sends nothing; spans are collected as they end.
 */
// In a real app: import { bindTracingChannelToSpan, ... } from 'tracing-channel-span';
import {
  bindTracingChannelToSpan,
  enrichBoundSpan,
  setScopePairAsyncContextStrategy,
} from '../../src/index';
import {
  Client,
  createTransport,
  getCurrentScope,
  getIsolationScope,
  resolvedSyncPromise,
  setCurrentClient,
  spanToJSON,
  startInactiveSpan,
  startSpan,
} from '@sentry/core';
import type { ClientOptions, Event, Span } from '@sentry/core';
import {
  CHANNELS,
  createInterpreter,
  type CallPayload,
  type EvaluatePayload,
  type ParsePayload,
  type RunPayload,
  type TokenizePayload,
  type Value,
} from './lib/index';

// ---------------------------------------------------------------------------------------------
// Sentry without a network: a client that keeps nothing but lets us watch spans end.

class OfflineClient extends Client<ClientOptions> {
  constructor(options: ClientOptions) {
    super(options);
  }
  eventFromException(exception: unknown): PromiseLike<Event> {
    return resolvedSyncPromise({ exception: { values: [{ value: String(exception) }] } });
  }
  eventFromMessage(message: unknown): PromiseLike<Event> {
    return resolvedSyncPromise({ message: String(message) });
  }
}

/** One finished span, reduced to what the tree shows (the same shape for @sentry/core 10 and 11). */
export interface FinishedSpan {
  id: string;
  parentId: string | undefined;
  name: string;
  op: string | undefined;
  status: string;
  attributes: Record<string, unknown>;
  start: number;
}

function setUpSentry(): FinishedSpan[] {
  setScopePairAsyncContextStrategy();
  const client = new OfflineClient({
    dsn: 'http://public@127.0.0.1:9/1',
    tracesSampleRate: 1,
    integrations: [],
    stackParser: () => [],
    transport: () => createTransport({ recordDroppedEvent: () => undefined }, () => resolvedSyncPromise({})),
  } as ClientOptions);
  setCurrentClient(client);
  getCurrentScope().setClient(client);
  getIsolationScope().setClient(client);
  client.init();

  const finished: FinishedSpan[] = [];
  client.on('spanEnd', (span: Span) => {
    const json = spanToJSON(span) as ReturnType<typeof spanToJSON> & Record<string, unknown>;
    const attributes = ((json.attributes ?? json.data ?? {}) as Record<string, unknown>) ?? {};
    finished.push({
      id: json.span_id,
      parentId: json.parent_span_id,
      name: String(json.name ?? json.description ?? ''),
      op: (attributes['sentry.op'] as string | undefined) ?? (json.op as string | undefined),
      status: String(json.status ?? 'ok'),
      attributes,
      start: json.start_timestamp,
    });
  });
  return finished;
}

// ---------------------------------------------------------------------------------------------
// Bind exprlang's channels: which span each traced operation gets, and what it records.

function bindExprlang(): Array<{ unbind(): void }> {
  return [
    bindTracingChannelToSpan<RunPayload>(
      CHANNELS.run,
      (data) =>
        startInactiveSpan({
          name: 'exprlang.run',
          op: 'exprlang.run',
          attributes: { 'exprlang.source': data.source, 'exprlang.api': data.api },
        }),
      { beforeSpanEnd: (span, data) => data.result !== undefined && span.setAttribute('exprlang.result', data.result) },
    ),
    bindTracingChannelToSpan<TokenizePayload>(
      CHANNELS.tokenize,
      () => startInactiveSpan({ name: 'exprlang.tokenize', op: 'exprlang.tokenize' }),
      { beforeSpanEnd: (span, data) => data.result && span.setAttribute('exprlang.token_count', data.result.length) },
    ),
    bindTracingChannelToSpan<ParsePayload>(CHANNELS.parse, () =>
      startInactiveSpan({ name: 'exprlang.parse', op: 'exprlang.parse' }),
    ),
    bindTracingChannelToSpan<EvaluatePayload>(CHANNELS.evaluate, (data) =>
      startInactiveSpan({
        name: 'exprlang.evaluate',
        op: 'exprlang.evaluate',
        attributes: { 'exprlang.node_count': data.nodeCount, 'exprlang.root_kind': data.rootKind },
      }),
    ),
    bindTracingChannelToSpan<CallPayload>(
      CHANNELS.call,
      (data) =>
        startInactiveSpan({
          name: `call ${data.function}`,
          op: 'exprlang.call',
          attributes: {
            'exprlang.function': data.function,
            'exprlang.call.depth': data.depth,
            'exprlang.call.argument_count': data.argumentCount,
            'exprlang.builtin': data.builtin,
          },
        }),
      { beforeSpanEnd: (span, data) => data.result !== undefined && span.setAttribute('exprlang.result', data.result) },
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// The host function. `price` → quotePrice → applyDiscount → recordQuote → annotateQuote: five
// calls deep, after awaiting a timer, inside a child span of its own, annotateQuote renames and
// tags the span of the `price(...)` call that exprlang published. No span is passed around.

const CATALOG: Record<string, number> = { widget: 1250, gadget: 200 };

function annotateQuote(sku: string, listCents: number, finalCents: number): number {
  enrichBoundSpan({
    name: `price ${sku}`,
    attributes: {
      'pricing.sku': sku,
      'pricing.list_cents': listCents,
      'pricing.final_cents': finalCents,
      'pricing.discounted': finalCents < listCents,
    },
  });
  return finalCents;
}

function recordQuote(sku: string, listCents: number, finalCents: number): number {
  return startSpan({ name: 'pricing rules', op: 'app.pricing' }, () => annotateQuote(sku, listCents, finalCents));
}

function applyDiscount(sku: string, listCents: number): number {
  const finalCents = listCents >= 1000 ? Math.round(listCents * 0.9) : listCents;
  return recordQuote(sku, listCents, finalCents);
}

async function quotePrice(sku: string): Promise<number> {
  const listCents = await new Promise<number | undefined>((resolve) => setTimeout(() => resolve(CATALOG[sku]), 2));
  if (listCents === undefined) throw new Error(`no price for ${sku}`);
  return applyDiscount(sku, listCents);
}

async function price(sku: Value): Promise<Value> {
  return (await quotePrice(String(sku))) / 100;
}

// ---------------------------------------------------------------------------------------------

/** What the app computed, and every span that ended, in end order. */
export interface AppOutput {
  results: Array<{ source: string; value?: Value; error?: string }>;
  spans: FinishedSpan[];
}

const PROGRAMS = {
  promise: 'sum(square(2), wait(1, avg(3, max(4, price("widget") * 2))))',
  callback: '1 / (2 - price("gadget"))',
};

async function main(): Promise<AppOutput> {
  const spans = setUpSentry();
  const bindings = bindExprlang();
  const interpreter = createInterpreter({ functions: { price } });
  const results: AppOutput['results'] = [];

  await startSpan({ name: 'price report', op: 'app.report', forceTransaction: true }, async () => {
    results.push({ source: PROGRAMS.promise, value: await interpreter.run(PROGRAMS.promise) });
    await new Promise<void>((resolve) => {
      interpreter.runWithCallback(PROGRAMS.callback, (error, value) => {
        results.push(error ? { source: PROGRAMS.callback, error: String(error) } : { source: PROGRAMS.callback, value });
        resolve();
      });
    });
  });

  for (const binding of bindings) binding.unbind();
  return { results, spans };
}

const SHOWN_ATTRIBUTES = /^(exprlang\.(function|call\.depth|result|source)|pricing\.)/;

function drawTree(spans: FinishedSpan[]): string {
  const ids = new Set(spans.map((s) => s.id));
  const children = new Map<string | undefined, FinishedSpan[]>();
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const parent = span.parentId && ids.has(span.parentId) ? span.parentId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const lines: string[] = [];
  const walk = (span: FinishedSpan, prefix: string, last: boolean, root: boolean) => {
    const attrs = Object.entries(span.attributes)
      .filter(([key]) => SHOWN_ATTRIBUTES.test(key))
      .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
      .join(' ');
    const status = span.status === 'ok' ? '' : ` [${span.status}${span.attributes['sentry.status.message'] ? `: ${String(span.attributes['sentry.status.message'])}` : ''}]`;
    lines.push(`${prefix}${root ? '' : last ? '└─ ' : '├─ '}${span.name} (${span.op ?? '-'})${status}${attrs ? `  ${attrs}` : ''}`);
    const kids = children.get(span.id) ?? [];
    kids.forEach((kid, i) => walk(kid, root ? prefix : `${prefix}${last ? '   ' : '│  '}`, i === kids.length - 1, false));
  };
  for (const root of children.get(undefined) ?? []) walk(root, '', true, true);
  return lines.join('\n');
}

main().then(
  (output) => {
    if (process.argv.includes('--json')) {
      process.stdout.write(`${JSON.stringify(output)}\n`);
      return;
    }
    for (const r of output.results) console.log(r.error ? `${r.source}  →  ${r.error}` : `${r.source}  =  ${r.value}`);
    console.log(`\n${drawTree(output.spans)}`);
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
