/**
 * `arbitrateSentryOverlap` with a real `@sentry/node` client and a real Sentry integration built
 * the way Sentry's own are (`defineIntegration` + `@sentry/server-utils`' `bindTracingChannelToSpan`
 * in `setupOnce`), on channels of its own. `Sentry.addIntegration` sets one up after ours.
 * traceCallback, because there Sentry's `asyncStart` transform decides where the callback runs.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import * as Sentry from '@sentry/node';
import { defineIntegration } from '@sentry/core';
import { bindTracingChannelToSpan as sentryBind } from '@sentry/server-utils';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bindTracingChannelToSpan } from '../../../src/index';
import type { ChannelBinding } from '../../../src/index';
import { arbitrateSentryOverlap, resolveSentryOverlapPolicy, type SentryOverlapPolicy } from '../../../src/integrations/sentry-overlap';
import { attachRecorder, type Recorder } from '../../helpers/test-client';

let recorder: Recorder;
let counter = 0;
const handles: Array<{ unbind(): void }> = [];

beforeAll(() => {
  Sentry.init({ dsn: 'http://public@127.0.0.1:9/1', tracesSampleRate: 1, defaultIntegrations: false });
  recorder = attachRecorder(Sentry.getClient()!);
});
afterEach(() => {
  for (const h of handles.splice(0)) h.unbind();
  recorder.reset();
  vi.restoreAllMocks();
});

/** A Sentry integration named `name` that binds `channel` as Sentry's own do. */
function sentryIntegration(name: string, channel: string) {
  return defineIntegration(() => ({
    name,
    setupOnce() {
      sentryBind(tracingChannel(channel) as never, () => Sentry.startInactiveSpan({ name: 'sentry span', attributes: { 'sentry.origin': 'sentry' } }));
    },
  }))();
}

function ours(channel: string, policy: SentryOverlapPolicy, name: string, makeSpan = true) {
  let binding: ChannelBinding<object> | undefined;
  const handle = arbitrateSentryOverlap(
    { integration: `instrument${name}`, sentryIntegrations: [name], channels: [channel], policy },
    {
      bind: () =>
        void (binding = bindTracingChannelToSpan(channel, () =>
          makeSpan ? Sentry.startInactiveSpan({ name: 'our span', attributes: { 'sentry.origin': 'ours' } }) : undefined,
        )),
      unbind: () => binding?.unbind(),
    },
  );
  handles.push(handle);
  return handle;
}

const nameOf = (span: Sentry.Span | undefined): string | undefined => (span ? (Sentry.spanToJSON(span) as { name?: string }).name : undefined);

/** One traceCallback under a request span: the span active inside, and the span active in the callback. */
async function call(channel: string) {
  return Sentry.startSpan({ name: 'request' }, (request) => {
    return new Promise<{ inside: string | undefined; inCallback: string | undefined; request: string }>((resolve) => {
      let inside: string | undefined;
      tracingChannel(channel).traceCallback(
        (cb: (err: null, v: number) => void) => {
          inside = nameOf(Sentry.getActiveSpan());
          setTimeout(() => cb(null, 1), 1);
        },
        -1,
        {},
        undefined,
        () => resolve({ inside, inCallback: nameOf(Sentry.getActiveSpan()), request: request.spanContext().spanId }),
      );
    });
  });
}

const ended = () => recorder.ended.map((s: any) => s.name).filter((n) => n !== 'request');

describe.each([
  ['before', (name: string, channel: string) => Sentry.addIntegration(sentryIntegration(name, channel)), () => undefined],
  ['after', () => undefined, (name: string, channel: string) => Sentry.addIntegration(sentryIntegration(name, channel))],
] as const)('Sentry integration set up %s ours', (order, sentryFirst, sentryAfter) => {
  /** Sets up both sides in this order and makes one call; the warning is checked after a microtask. */
  async function arrange(policy: SentryOverlapPolicy) {
    const name = `${policy === 'take-over' ? 'TakeOver' : 'StandDown'}${order}${++counter}`;
    const channel = `overlap-test:${name}`;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    sentryFirst(name, channel);
    const handle = ours(channel, policy, name);
    sentryAfter(name, channel);
    const seen = await call(channel);
    await Promise.resolve();
    return { name, channel, warn, handle, seen };
  }

  it(`traceCallback ok, take-over (${order}): one span, ours, active inside; the callback runs in the caller's context; one warning`, async () => {
    const { name, warn, handle, seen } = await arrange('take-over');
    expect(handle.owner).toBe('ours');
    expect(seen.inside).toBe('our span');
    expect(seen.inCallback).toBe('request');
    expect(ended()).toEqual(['our span']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain(`instrument${name}() makes the spans`);
  });

  it(`traceCallback ok, stand-down (${order}): one span, Sentry's; ours binds nothing and removes nothing of Sentry's`, async () => {
    const { name, channel, warn, handle, seen } = await arrange('stand-down');
    expect(handle.owner).toBe('sentry');
    expect(seen.inside).toBe('sentry span');
    expect(ended()).toEqual(['sentry span']);
    handle.unbind(); // must not unbind Sentry's transform
    recorder.reset();
    await call(channel);
    expect(ended()).toEqual(['sentry span']);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toContain(`instrument${name}() stands down`);
  });
});

it("traceCallback where ours makes no span, take-over with Sentry's set up first: no span, and the callback keeps the caller's context", async () => {
  const name = `NoSpan${++counter}`;
  const channel = `overlap-test:${name}`;
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  Sentry.addIntegration(sentryIntegration(name, channel));
  ours(channel, 'take-over', name, false);
  const seen = await call(channel);
  expect(seen.inside).toBe('request');
  expect(seen.inCallback).toBe('request'); // Sentry's asyncStart transform would hand it no store
  expect(ended()).toEqual([]);
});

describe('without a Sentry integration on the channel', () => {
  it('traceCallback ok: ours makes the span, nothing is printed', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const channel = `overlap-test:alone${++counter}`;
    const handle = ours(channel, 'take-over', `Alone${counter}`);
    const seen = await call(channel);
    expect(handle.owner).toBe('ours');
    expect(seen.inside).toBe('our span');
    expect(ended()).toEqual(['our span']);
    expect(warn).not.toHaveBeenCalled();
  });

  it('unbind: no spans afterwards; a later foreign binding is left alone', async () => {
    const name = `Later${++counter}`;
    const channel = `overlap-test:${name}`;
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    ours(channel, 'take-over', name).unbind();
    Sentry.addIntegration(sentryIntegration(name, channel));
    await call(channel);
    expect(ended()).toEqual(['sentry span']);
  });
});

describe('resolveSentryOverlapPolicy', () => {
  it("defaults to 'take-over' and rejects anything but the two policies with a TypeError naming the option", () => {
    expect(resolveSentryOverlapPolicy('instrumentX', undefined)).toBe('take-over');
    expect(resolveSentryOverlapPolicy('instrumentX', 'stand-down')).toBe('stand-down');
    expect(() => resolveSentryOverlapPolicy('instrumentX', 'yield')).toThrow(TypeError);
    expect(() => resolveSentryOverlapPolicy('instrumentX', 'yield')).toThrow(/instrumentX: `options.onSentryIntegration`/);
  });
});
