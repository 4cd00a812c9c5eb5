import { tracingChannel, type TracingChannel } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { startInactiveSpan, startSpan } from '@sentry/core';
import { spanAttributes, spanName } from '../../helpers/span-view';
import type { Span } from '@sentry/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bindTracingChannelToSpan, enrichBoundSpan, setScopePairAsyncContextStrategy, type ChannelBinding } from '../../../src/index';
import { installRecordingClient, type Recorder } from '../../helpers/test-client';

type Payload = { id?: number };
let seq = 0;
const attrs = spanAttributes;
const nameOf = spanName;

describe('enrichBoundSpan', () => {
  let rec: Recorder;
  let channel: TracingChannel<Payload>;
  let binding: ChannelBinding<Payload>;
  const made: Span[] = [];

  beforeAll(() => {
    setScopePairAsyncContextStrategy();
    rec = installRecordingClient();
  });
  function bindFresh(): void {
    channel = tracingChannel(`test:enrich:${++seq}`) as TracingChannel<Payload>;
    made.length = 0;
    rec.reset();
    binding = bindTracingChannelToSpan(channel, () => {
      const span = startInactiveSpan({ name: 'bound' });
      made.push(span);
      return span;
    });
  }
  afterEach(() => binding?.unbind());

  async function level(n: number, fn: () => boolean): Promise<boolean> {
    if (n === 0) return fn();
    await sleep(1);
    return new Promise((resolve) => setTimeout(() => resolve(level(n - 1, fn)), 0));
  }

  it('tracePromise ok: from 5 levels deep across awaits and timers, the bound span is renamed and tagged', async () => {
    bindFresh();
    let applied = false;
    await channel.tracePromise(async () => {
      applied = await level(5, () => enrichBoundSpan({ name: 'deep', attributes: { depth: 5, ok: true } }));
    }, {});
    expect(applied).toBe(true);
    expect(nameOf(made[0]!)).toBe('deep');
    expect(attrs(made[0]!)).toMatchObject({ depth: 5, ok: true });
  });

  it('traceSync ok: while a nested startSpan child is active, the bound span is enriched, not the child', () => {
    bindFresh();
    let child: Span | undefined;
    let grandchild: Span | undefined;
    channel.traceSync(() => {
      startSpan({ name: 'child' }, (c) => {
        child = c;
        startSpan({ name: 'grandchild' }, (g) => {
          grandchild = g;
          expect(enrichBoundSpan({ name: 'renamed', attributes: { k: 'v' } })).toBe(true);
        });
      });
    }, {});
    expect(nameOf(made[0]!)).toBe('renamed');
    expect(attrs(made[0]!).k).toBe('v');
    expect(nameOf(child!)).toBe('child');
    expect(attrs(child!).k).toBeUndefined();
    expect(attrs(grandchild!).k).toBeUndefined();
  });

  it('traceSync ok: calls merge, the latest name wins and attributes upsert by key', () => {
    bindFresh();
    channel.traceSync(() => {
      enrichBoundSpan({ name: 'first', attributes: { a: 1, b: 'x' } });
      enrichBoundSpan({ attributes: { b: 'y', c: [1, 2] } });
      enrichBoundSpan({ name: 'second' });
    }, {});
    expect(nameOf(made[0]!)).toBe('second');
    expect(attrs(made[0]!)).toMatchObject({ a: 1, b: 'y', c: [1, 2] });
  });

  it('traceSync ok: caps drop oversize keys, oversize strings and the 257th attribute; NaN and ±Infinity become strings', () => {
    bindFresh();
    channel.traceSync(() => {
      const many: Record<string, number> = {};
      for (let i = 0; i < 300; i++) many[`k${i}`] = i;
      enrichBoundSpan({ attributes: many });
      enrichBoundSpan({ attributes: { k0: 'updated' } }); // an existing key may still be updated
      enrichBoundSpan({ attributes: { overflow: 1 } });
    }, {});
    const a = attrs(made[0]!);
    const enriched = Object.keys(a).filter((k) => /^k\d+$/.test(k));
    expect(enriched).toHaveLength(256);
    expect(a.k0).toBe('updated');
    expect(a.k255).toBe(255);
    expect(a.k256).toBeUndefined();
    expect(a.overflow).toBeUndefined();

    bindFresh();
    channel.traceSync(() => {
      enrichBoundSpan({
        attributes: {
          ['x'.repeat(256)]: 'key at the cap',
          ['y'.repeat(257)]: 'key over the cap',
          ['é'.repeat(129)]: 'multi-byte key over the cap (258 bytes)',
          atCap: 'v'.repeat(128 * 1024),
          overCap: 'v'.repeat(128 * 1024 + 1),
          multiByteOver: 'é'.repeat(64 * 1024 + 1),
          nan: Number.NaN,
          inf: Number.POSITIVE_INFINITY,
          ninf: Number.NEGATIVE_INFINITY,
          obj: { nested: true },
          nothing: undefined,
        },
      });
    }, {});
    const b = attrs(made[0]!);
    expect(b['x'.repeat(256)]).toBe('key at the cap');
    expect(b['y'.repeat(257)]).toBeUndefined();
    expect(b['é'.repeat(129)]).toBeUndefined();
    expect((b.atCap as string).length).toBe(128 * 1024);
    expect(b.overCap).toBeUndefined();
    expect(b.multiByteOver).toBeUndefined();
    expect([b.nan, b.inf, b.ninf]).toEqual(['NaN', 'Infinity', '-Infinity']);
    expect(b.obj).toBeUndefined();
    expect('nothing' in b).toBe(false);
  });

  it('outside any traced call: returns false and throws nothing', () => {
    bindFresh();
    expect(enrichBoundSpan({ name: 'x' })).toBe(false);
    startSpan({ name: 'not bound' }, (span) => {
      expect(enrichBoundSpan({ name: 'x', attributes: { a: 1 } })).toBe(false);
      expect(nameOf(span)).toBe('not bound');
    });
    expect(enrichBoundSpan(null as never)).toBe(false);
  });

  it('tracePromise ok: after the call ended, work it scheduled no longer enriches the span', async () => {
    bindFresh();
    let late: Promise<boolean> | undefined;
    await channel.tracePromise(async () => {
      late = new Promise((resolve) => setTimeout(() => resolve(enrichBoundSpan({ name: 'late' })), 20));
    }, {});
    expect(await late).toBe(false);
    expect(nameOf(made[0]!)).toBe('bound');
  });

  it('tracePromise x20 concurrent: each call enriches only its own span', async () => {
    bindFresh();
    await Promise.all(
      Array.from({ length: 20 }, (_, id) =>
        channel.tracePromise(async () => {
          await sleep(Math.random() * 5);
          startSpan({ name: 'child' }, () => enrichBoundSpan({ attributes: { id } }));
        }, { id }),
      ),
    );
    expect(made).toHaveLength(20);
    const ids = made.map((s) => attrs(s).id).sort((x, y) => Number(x) - Number(y));
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(rec.ended.filter((s: any) => s.name === 'bound')).toHaveLength(20);
  });
});
