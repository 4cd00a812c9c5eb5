/**
 * The benchmark's recorder for Sentry's channel work: subscriptions and store bindings made while
 * capturing are not applied until `enable()`, and `disable()` removes exactly them. Own file:
 * it wraps `node:diagnostics_channel`'s `tracingChannel` for the whole process.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { captureChannelWork, installChannelCapture } from '../../bench/sentry-capture';

describe('captureChannelWork', () => {
  it('traceSync: recorded subscribe and bindStore run only between enable() and disable()', async () => {
    installChannelCapture();
    const name = `bench-capture:${process.pid}`;
    const als = new AsyncLocalStorage<string>();
    const seen: string[] = [];
    const { work } = await captureChannelWork(async () => {
      const channel = dc.tracingChannel(name);
      channel.subscribe({ start: () => seen.push('start'), end: () => seen.push('end') } as never);
      channel.start.bindStore(als as never, (() => 'bound') as never);
    });
    expect(work.steps).toBe(2);
    expect(work.channels).toEqual([name]);

    const real = dc.tracingChannel(name);
    const call = () => real.traceSync(() => als.getStore(), {});
    expect(call()).toBeUndefined();
    expect(seen).toEqual([]);

    work.enable();
    expect(call()).toBe('bound');
    expect(seen).toEqual(['start', 'end']);

    work.disable();
    expect(call()).toBeUndefined();
    expect(seen).toEqual(['start', 'end']);
    expect(real.hasSubscribers).toBe(false);
  });

  it('outside a capture, tracingChannel returns the real channel', () => {
    installChannelCapture();
    const channel = dc.tracingChannel(`bench-capture-plain:${process.pid}`);
    const calls: string[] = [];
    channel.subscribe({ start: () => calls.push('start') } as never);
    channel.traceSync(() => 1, {});
    expect(calls).toEqual(['start']);
  });
});
