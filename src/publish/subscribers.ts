/**
 * The no-subscriber shortcut of the `trace*` functions, on every runtime. Node and Deno report
 * `TracingChannel#hasSubscribers` including bound stores. Bun has no `TracingChannel#hasSubscribers`
 * (its sub-channels' `hasSubscribers` do count stores). workerd's ignores bound stores everywhere
 * (and before about 2026-06 `hasSubscribers` is a method): there a store binding is invisible, so
 * the call is always traced. Which of the three holds is probed once, on a channel of our own.
 */
import { getAsyncHooks, getDiagnosticsChannel } from '../core/node-builtins';
import type { PublishSubChannel, PublishTracingChannel } from './types';

type Mode = 'tracing-channel' | 'sub-channels' | 'always';
let mode: Mode | undefined;

function flag(owner: { hasSubscribers: unknown }): boolean {
  const value = owner.hasSubscribers;
  return typeof value === 'function' ? Boolean((value as () => unknown).call(owner)) : value === true;
}

function anySubChannel(channel: PublishTracingChannel): boolean {
  const subs: PublishSubChannel[] = [channel.start, channel.end, channel.asyncStart, channel.asyncEnd, channel.error];
  return subs.some((sub) => sub !== undefined && flag(sub));
}

/** What this runtime's `hasSubscribers` sees of a bound store. Never throws. */
function probe(): Mode {
  try {
    const dc = getDiagnosticsChannel();
    const hooks = getAsyncHooks();
    if (!dc || !hooks) return 'sub-channels';
    const channel = dc.tracingChannel('tracing-channel-span:subscriber-probe') as unknown as PublishTracingChannel & {
      start: { bindStore(store: unknown): void; unbindStore(store: unknown): void };
    };
    const storage = new hooks.AsyncLocalStorage();
    channel.start.bindStore(storage);
    try {
      if (typeof (channel as { hasSubscribers: unknown }).hasSubscribers === 'boolean' && channel.hasSubscribers) return 'tracing-channel';
      return anySubChannel(channel) ? 'sub-channels' : 'always';
    } finally {
      channel.start.unbindStore(storage);
    }
  } catch {
    return 'always';
  }
}

/** Whether a call on `channel` must be traced (anything subscribes or binds a store). */
export function hasSubscribers(channel: PublishTracingChannel): boolean {
  const m = mode ?? (mode = probe());
  if (m === 'tracing-channel') return channel.hasSubscribers;
  return m === 'always' || anySubChannel(channel);
}
