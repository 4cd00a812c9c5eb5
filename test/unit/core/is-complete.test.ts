/** Rule 15: `isComplete` decides when a call has completed, for publishers that emit events by hand. */
import { tracingChannel, type TracingChannel } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { startInactiveSpan, startSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bindTracingChannelToSpan, setScopePairAsyncContextStrategy, type BindOptions, type ChannelBinding } from '../../../src/index';
import { installRecordingClient, type Recorder } from '../../helpers/test-client';

type Payload = Record<string, unknown>;
type Event = 'end' | 'asyncEnd';

let seq = 0;
let recorder: Recorder;
const bindings: ChannelBinding<Payload>[] = [];
let uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

beforeAll(() => {
  setScopePairAsyncContextStrategy();
  recorder = installRecordingClient();
});
beforeEach(() => {
  recorder.reset();
  uncaught = [];
  process.on('uncaughtException', onUncaught);
});
afterEach(() => {
  process.off('uncaughtException', onUncaught);
  for (const binding of bindings.splice(0)) binding.unbind();
});

function bind(isComplete: BindOptions<Payload>['isComplete']): { channel: TracingChannel<Payload>; span: () => Span | undefined; asked: Event[] } {
  const channel = tracingChannel(`test:is-complete:${++seq}`) as TracingChannel<Payload>;
  let made: Span | undefined;
  const asked: Event[] = [];
  const wrapped: BindOptions<Payload>['isComplete'] = isComplete && ((data, event) => (asked.push(event), isComplete(data, event)));
  bindings.push(bindTracingChannelToSpan(channel, () => (made = startInactiveSpan({ name: 'call' })), { isComplete: wrapped }));
  return { channel, span: () => made, asked };
}

const ends = (span: Span | undefined): number => (span ? recorder.endCounts.get(span) ?? 0 : -1);

describe('isComplete (rule 15)', () => {
  it('hand-built start/end without result (a sync fastify handler): isComplete at end ends the span there, once', () => {
    const { channel, span, asked } = bind((data, event) => event === 'end' && data.replied === true);
    const data: Payload = {};
    startSpan({ name: 'root' }, () => channel.start.runStores(data, () => undefined));
    data.replied = true;
    channel.end.publish(data);
    expect(ends(span())).toBe(1);
    expect(asked).toEqual(['end']);
  });

  it('hand-built start/end without result and no isComplete: the span waits (rule 2 alone sees no outcome)', () => {
    const { channel, span } = bind(undefined);
    const data: Payload = {};
    channel.start.runStores(data, () => undefined);
    channel.end.publish(data);
    expect(ends(span())).toBe(0);
  });

  it('traceSync ok, isComplete false at end: rule 2 is overridden, the span stays open; a later asyncEnd that says true ends it', () => {
    const { channel, span, asked } = bind((_data, event) => event === 'asyncEnd');
    const data: Payload = {};
    expect(channel.traceSync(() => 42, data)).toBe(42);
    expect(ends(span())).toBe(0);
    channel.asyncEnd.publish(data);
    expect(ends(span())).toBe(1);
    expect(asked).toEqual(['end', 'asyncEnd']);
  });

  it('tracePromise ok, isComplete true at end: the span ends at end, before the promise settles, and only once', async () => {
    const { channel, span } = bind(() => true);
    let resolve: (value: number) => void = () => undefined;
    const call = channel.tracePromise(() => new Promise<number>((r) => (resolve = r)), {});
    expect(ends(span())).toBe(1);
    resolve(5);
    expect(await call).toBe(5);
    await sleep(1);
    expect(ends(span())).toBe(1);
  });

  it('traceCallback fail, isComplete true only at asyncEnd: ends when the callback ran, with error status', async () => {
    const { channel, span, asked } = bind((_data, event) => event === 'asyncEnd');
    const error = await new Promise((resolve) => {
      channel.traceCallback((cb: (e: unknown) => void) => setTimeout(() => cb(new Error('nope')), 1), -1, {}, undefined, resolve);
    });
    expect((error as Error).message).toBe('nope');
    expect(ends(span())).toBe(1);
    expect(recorder.ended[0]?.status).toBe('error');
    expect(asked).toEqual(['end', 'asyncEnd']);
  });

  for (const kind of ['traceSync', 'tracePromise', 'traceCallback', 'hand-built'] as const) {
    it(`${kind} ok, isComplete throws: never reaches the call or the process, counts as not complete`, async () => {
      const { channel, span } = bind(() => {
        throw new Error('isComplete broke');
      });
      const data: Payload = {};
      let value: unknown;
      if (kind === 'traceSync') value = channel.traceSync(() => 1, data);
      else if (kind === 'tracePromise') value = await channel.tracePromise(async () => 1, data);
      else if (kind === 'traceCallback') value = await new Promise((resolve) => channel.traceCallback((cb: (e: unknown, v: number) => void) => cb(null, 1), -1, data, undefined, (_e: unknown, v: number) => resolve(v)));
      else {
        value = channel.start.runStores(data, () => 1);
        data.result = 1;
        channel.end.publish(data);
        channel.asyncEnd.publish(data);
      }
      await sleep(1);
      expect(value).toBe(1);
      expect(ends(span())).toBe(0);
      expect(uncaught).toEqual([]);
    });
  }

  it('traceSync ok, a later binding\'s isComplete throws: the earlier binding on the channel still ends its span at end', () => {
    const channel = tracingChannel(`test:is-complete:${++seq}`) as TracingChannel<Payload>;
    let outer: Span | undefined;
    let inner: Span | undefined;
    bindings.push(bindTracingChannelToSpan(channel, () => (outer = startInactiveSpan({ name: 'outer' }))));
    bindings.push(
      bindTracingChannelToSpan(channel, () => (inner = startInactiveSpan({ name: 'inner' })), {
        isComplete: () => {
          throw new Error('isComplete broke');
        },
      }),
    );
    expect(channel.traceSync(() => 3, {})).toBe(3);
    expect(ends(outer)).toBe(1);
    expect(ends(inner)).toBe(0);
  });

  it('a non-function isComplete throws a TypeError naming it, at bind time', () => {
    expect(() => bindTracingChannelToSpan('test:is-complete:bad', () => undefined, { isComplete: true as never })).toThrow(
      /`options\.isComplete` must be a function/,
    );
  });
});
