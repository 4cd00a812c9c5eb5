/**
 * Observes channel creation, which Node offers no API to list: wraps `channel`,
 * `tracingChannel`, `subscribe` and `unsubscribe` of `node:diagnostics_channel` on the module
 * object CommonJS `require` returns, then `module.syncBuiltinESMExports()` so ESM named imports
 * (`import { tracingChannel } from 'node:diagnostics_channel'`) see the same wrappers. Each
 * wrapper calls the original first and returns (or throws) exactly what it did.
 */
import type { Recorder } from './recorder';

type AnyFunction = (...args: unknown[]) => unknown;
type DiagnosticsChannelModule = Record<string, unknown>;
const SUB_CHANNELS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;

type Hook = (args: unknown[], result?: unknown) => void;

function wrap(module: DiagnosticsChannelModule, key: string, after: Hook | undefined, before?: Hook): void {
  const original = module[key];
  if (typeof original !== 'function') return;
  const wrapped = {
    [key](this: unknown, ...args: unknown[]): unknown {
      before?.(args);
      const result = Reflect.apply(original as AnyFunction, this, args);
      after?.(args, result);
      return result;
    },
  }[key]!;
  try {
    module[key] = wrapped;
  } catch {
    // a frozen module object (not Node's): nothing to observe through it
  }
}

/** Wraps the module's channel factories so that every channel the app obtains is recorded. */
export function patchDiagnosticsChannel(module: DiagnosticsChannelModule, recorder: Recorder): void {
  const channelOf = module.channel as AnyFunction | undefined;
  wrap(module, 'channel', (_args, channel) => recorder.see(channel));
  wrap(module, 'tracingChannel', (_args, traced) => {
    if (typeof traced !== 'object' || traced === null) return;
    for (const sub of SUB_CHANNELS) recorder.see((traced as Record<string, unknown>)[sub]);
  });
  // `subscribe(name, fn)` / `unsubscribe(name, fn)` create the channel inside Node, out of sight:
  // look the same channel up first (Node then uses that one) so the subscription is recorded.
  const byName = (args: unknown[]): void => {
    const name = args[0];
    if (typeof name !== 'string' || channelOf === undefined) return;
    try {
      recorder.see(channelOf(name));
    } catch {
      // not a channel name Node accepts: the original call already threw
    }
  };
  wrap(module, 'subscribe', undefined, byName);
  wrap(module, 'unsubscribe', undefined, byName);
}
