/**
 * Calls that complete at their `end` are kept on a stack beside the payload → call table, not in
 * it (src/core/call-registry.ts). What every rule relies on must hold whichever of the two holds
 * a call: nested calls, `end` arriving in a later tick or after other calls, `end`'s later
 * subscribers, reused payloads, and more pending calls than the stack keeps.
 */
import { tracingChannel, type TracingChannel } from 'node:diagnostics_channel';
import { setImmediate as tick } from 'node:timers/promises';
import { getActiveSpan, startInactiveSpan, startSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bindTracingChannelToSpan, getBoundSpan, setScopePairAsyncContextStrategy, type ChannelBinding } from '../../../src/index';
import { installRecordingClient, type Recorder } from '../../helpers/test-client';

type Payload = Record<string, unknown>;

let seq = 0;
let recorder: Recorder;
const bindings: ChannelBinding<Payload>[] = [];

beforeAll(() => {
  setScopePairAsyncContextStrategy();
  recorder = installRecordingClient();
});
beforeEach(() => recorder.reset());
afterEach(() => {
  for (const binding of bindings.splice(0)) binding.unbind();
});

function bind(name = 'call'): { channel: TracingChannel<Payload>; spans: Span[]; binding: ChannelBinding<Payload> } {
  const channel = tracingChannel(`test:pending-calls:${++seq}`) as TracingChannel<Payload>;
  const spans: Span[] = [];
  const binding = bindTracingChannelToSpan(channel, () => {
    const span = startInactiveSpan({ name });
    spans.push(span);
    return span;
  });
  bindings.push(binding);
  return { channel, spans, binding };
}

const ends = (span: Span | undefined): number => (span ? recorder.endCounts.get(span) ?? 0 : -1);

describe('calls kept beside the payload table', () => {
  it('nested traceSync calls: each finds its own span during the call, every span ends once', () => {
    const { channel, spans, binding } = bind();
    const outer: Payload = {};
    const seen: Array<Span | undefined> = [];
    startSpan({ name: 'root' }, () =>
      channel.traceSync(() => {
        for (let i = 0; i < 3; i++) {
          const inner: Payload = {};
          channel.traceSync(() => seen.push(getBoundSpan(inner), binding.getSpan(outer)), inner);
        }
        seen.push(getBoundSpan(outer));
      }, outer),
    );
    expect(spans).toHaveLength(4);
    expect(seen).toEqual([spans[1], spans[0], spans[2], spans[0], spans[3], spans[0], spans[0]]);
    expect(spans.map(ends)).toEqual([1, 1, 1, 1]);
  });

  it("a subscriber of `end` after the binding's finds the span, also after it starts a traced call of its own", () => {
    const { channel, spans } = bind();
    const other = bind('other');
    const found: Array<Span | undefined> = [];
    const data: Payload = {};
    const subscriber = {
      end: (payload: unknown) => {
        if (payload !== data) return;
        found.push(getBoundSpan(data));
        other.channel.traceSync(() => undefined, {});
        found.push(getBoundSpan(data));
      },
    };
    channel.subscribe(subscriber as never);
    try {
      startSpan({ name: 'root' }, () => channel.traceSync(() => 1, data));
    } finally {
      channel.unsubscribe(subscriber as never);
    }
    expect(found).toEqual([spans[0], spans[0]]);
    expect(ends(spans[0])).toBe(1);
    expect(ends(other.spans[0])).toBe(1);
  });

  it('a hand-built call whose end comes in a later tick, after other calls started and ended: found in between, ended once', async () => {
    const { channel, spans } = bind();
    const data: Payload = {};
    startSpan({ name: 'root' }, () => channel.start.runStores(data, () => undefined));
    for (let i = 0; i < 5; i++) startSpan({ name: 'root' }, () => channel.traceSync(() => i, {}));
    await tick();
    expect(getBoundSpan(data)).toBe(spans[0]);
    expect(ends(spans[0])).toBe(0);
    data.result = 'sent';
    channel.end.publish(data);
    expect(spans).toHaveLength(6);
    expect(spans.map(ends)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('more pending calls than the stack keeps (hand-built starts with no end yet, nested 40 deep): each still ends once', () => {
    const { channel, spans } = bind();
    const payloads: Payload[] = [];
    const open = (depth: number): void => {
      if (depth === 40) return;
      const data: Payload = {};
      payloads.push(data);
      channel.start.runStores(data, () => open(depth + 1));
    };
    startSpan({ name: 'root' }, () => open(0));
    expect(payloads.map((data) => getBoundSpan(data))).toEqual(spans);
    for (const data of payloads.reverse()) {
      data.result = 1;
      channel.end.publish(data);
    }
    expect(spans).toHaveLength(40);
    expect(spans.every((span) => ends(span) === 1)).toBe(true);
  });

  it('a payload reused for a second call while the first waits: the second call owns it, its span is active and ends once', async () => {
    const { channel, spans } = bind();
    const data: Payload = {};
    startSpan({ name: 'root' }, () => channel.start.runStores(data, () => undefined));
    let active: Span | undefined;
    startSpan({ name: 'root' }, () => channel.traceSync(() => (active = getActiveSpan()), data));
    expect(spans).toHaveLength(2);
    expect(active).toBe(spans[1]);
    expect(ends(spans[1])).toBe(1);
    await tick();
    channel.end.publish(data);
    expect(ends(spans[1])).toBe(1);
  });

  it('tracePromise calls that start while others wait: each ends once, on its own settlement', async () => {
    const { channel, spans } = bind();
    const releases: Array<() => void> = [];
    const calls = startSpan({ name: 'root' }, () =>
      [0, 1, 2].map((i) => channel.tracePromise(() => new Promise<number>((resolve) => releases.push(() => resolve(i))), {})),
    );
    expect(spans.map(ends)).toEqual([0, 0, 0]);
    releases[1]!();
    await calls[1];
    expect(spans.map(ends)).toEqual([0, 1, 0]);
    releases[0]!();
    releases[2]!();
    await Promise.all(calls);
    expect(spans.map(ends)).toEqual([1, 1, 1]);
  });

  it('a traceSync call whose span deferSpanEnd keeps open: getSpan(data) answers it after later calls and ticks, until its deferred end', async () => {
    const channel = tracingChannel(`test:pending-calls:${++seq}`) as TracingChannel<Payload>;
    const spans: Span[] = [];
    let endLater: (() => void) | undefined;
    const binding = bindTracingChannelToSpan(channel, () => (spans.push(startInactiveSpan({ name: 'deferred' })), spans.at(-1)), {
      deferSpanEnd: ({ end }) => ((endLater ??= end), true),
    });
    bindings.push(binding);
    const data: Payload = {};
    startSpan({ name: 'root' }, () => channel.traceSync(() => 1, data));
    // other calls from outside its store, then a later tick: the deferred call must not be forgotten
    startSpan({ name: 'root' }, () => channel.traceSync(() => 2, {}));
    await tick();
    startSpan({ name: 'root' }, () => channel.traceSync(() => 3, {}));
    expect(ends(spans[0])).toBe(0);
    expect(binding.getSpan(data)).toBe(spans[0]);
    expect(getBoundSpan(data)).toBe(spans[0]);
    endLater!();
    expect(ends(spans[0])).toBe(1);
    expect(spans.slice(1).map(ends)).toEqual([0, 0]); // deferred as well, never ended here
  });
});

