/** Rule 14: unsampled traces cost almost nothing (scope-pair strategy, a recording client). */
import { tracingChannel, type TracingChannel } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { SentryNonRecordingSpan, getActiveSpan, getCurrentScope, startInactiveSpan, startSpan, withActiveSpan } from '@sentry/core';
import type { Scope, Span } from '@sentry/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bindTracingChannelToSpan, setScopePairAsyncContextStrategy, type BindOptions, type ChannelBinding } from '../../../src/index';
import { installRecordingClient } from '../../helpers/test-client';

type Payload = Record<string, unknown>;
type Kind = 'traceSync' | 'tracePromise' | 'traceCallback' | 'hand-built';
const KINDS: Kind[] = ['traceSync', 'tracePromise', 'traceCallback', 'hand-built'];

let seq = 0;
const bindings: ChannelBinding<Payload>[] = [];

beforeAll(() => {
  setScopePairAsyncContextStrategy();
  installRecordingClient();
});
afterEach(() => {
  for (const binding of bindings.splice(0)) binding.unbind();
});

interface Inside {
  span: Span | undefined;
  scope: Scope;
}

/** Runs one traced call of `kind` and returns what the traced function saw. */
async function tracedCall(channel: TracingChannel<Payload>, kind: Kind): Promise<Inside> {
  const see = (): Inside => ({ span: getActiveSpan(), scope: getCurrentScope() });
  const data: Payload = {};
  if (kind === 'traceSync') return channel.traceSync(see, data);
  if (kind === 'tracePromise') return channel.tracePromise(async () => see(), data);
  if (kind === 'traceCallback') {
    return new Promise((resolve) => {
      let inside: Inside;
      channel.traceCallback(
        (cb: (error: unknown, value?: unknown) => void) => {
          inside = see();
          setTimeout(() => cb(null, 1), 1);
        },
        -1,
        data,
        undefined,
        () => resolve(inside),
      );
    });
  }
  // a hand-built publisher: start (with the stores) and end, as fastify does for a sync handler
  const inside = channel.start.runStores(data, see);
  data.result = 1;
  channel.end.publish(data);
  return inside;
}

function bind(options: BindOptions<Payload>, getSpan: () => Span | undefined): { channel: TracingChannel<Payload>; calls: () => number } {
  const channel = tracingChannel(`test:sampled-only:${++seq}`) as TracingChannel<Payload>;
  let calls = 0;
  bindings.push(
    bindTracingChannelToSpan(channel, () => {
      calls++;
      return getSpan();
    }, options),
  );
  return { channel, calls: () => calls };
}

const unsampledParent = (): Span => new SentryNonRecordingSpan();

describe('sampledOnly (rule 14)', () => {
  for (const kind of KINDS) {
    it(`${kind} under an unsampled trace, sampledOnly: getSpan not called, the caller's context unchanged`, async () => {
      const { channel, calls } = bind({ sampledOnly: true }, () => startInactiveSpan({ name: 'never' }));
      const parent = unsampledParent();
      const { outside, inside } = await withActiveSpan(parent, async () => ({ outside: getCurrentScope(), inside: await tracedCall(channel, kind) }));
      expect(calls()).toBe(0);
      expect(inside.span).toBe(parent);
      expect(inside.scope).toBe(outside);
    });

    it(`${kind} under a sampled trace, sampledOnly: getSpan called once, its span active inside and ended`, async () => {
      let made: Span | undefined;
      const { channel, calls } = bind({ sampledOnly: true }, () => (made = startInactiveSpan({ name: 'sampled' })));
      const inside = await startSpan({ name: 'root' }, () => tracedCall(channel, kind));
      await sleep(2);
      expect(calls()).toBe(1);
      expect(inside.span).toBe(made);
      expect(made!.isRecording()).toBe(false); // ended
    });

    it(`${kind} with no active span, sampledOnly: getSpan still called (a root span is the caller's choice)`, async () => {
      const { channel, calls } = bind({ sampledOnly: true }, () => startInactiveSpan({ name: 'root' }));
      await tracedCall(channel, kind);
      expect(calls()).toBe(1);
    });

    it(`${kind} without sampledOnly, a non-recording span under an unsampled trace: not activated, no store made`, async () => {
      let made: Span | undefined;
      const { channel, calls } = bind({}, () => (made = new SentryNonRecordingSpan()));
      const parent = unsampledParent();
      const { outside, inside } = await withActiveSpan(parent, async () => ({ outside: getCurrentScope(), inside: await tracedCall(channel, kind) }));
      expect(calls()).toBe(1);
      expect(made).toBeDefined();
      expect(inside.span).toBe(parent);
      expect(inside.scope).toBe(outside);
    });

    it(`${kind} without sampledOnly, a non-recording root span (no active span): activated, so the decision propagates`, async () => {
      let made: Span | undefined;
      const { channel } = bind({}, () => (made = new SentryNonRecordingSpan()));
      const inside = await tracedCall(channel, kind);
      expect(inside.span).toBe(made);
    });
  }

  it('a non-boolean sampledOnly throws a TypeError naming it, at bind time', () => {
    expect(() => bindTracingChannelToSpan('test:sampled-only:bad', () => undefined, { sampledOnly: 'yes' as never })).toThrow(
      /`options\.sampledOnly` must be a boolean/,
    );
  });
});
