/**
 * Sentry's own integrations (`@sentry/node`'s `Redis`, `Nitro`, `VercelAI`) subscribe to the same
 * tracing channels as ours and cannot be removed once set up. To measure none / ours / Sentry's
 * interleaved in one process, their channel work is recorded while they set up and replayed on
 * demand: `node:diagnostics_channel`'s `tracingChannel` is wrapped (before `@sentry/server-utils`
 * loads, which reads it once) so that, inside {@link captureChannelWork}, it hands out recorders
 * whose `subscribe` / `bindStore` calls are kept instead of applied. `enable()` applies exactly
 * those calls to the real channels, `disable()` undoes them. Everything else (publishing,
 * `runStores`, later calls) goes to the real channels. Benchmark-only: nothing in src/ does this.
 */
import dc from 'node:diagnostics_channel';
import type { Channel, TracingChannel } from 'node:diagnostics_channel';
import { syncBuiltinESMExports } from 'node:module';

interface Step {
  apply(): void;
  undo(): void;
}

/** The recorded channel work of one setup. */
export interface CapturedWork {
  /** How many subscribe / bindStore calls were recorded. */
  steps: number;
  /** The channel names they were made on. */
  channels: string[];
  enable(): void;
  disable(): void;
}

const EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;
const realTracingChannel = dc.tracingChannel;
let recording: { steps: Step[]; channels: Set<string> } | undefined;
let installed = false;

function recorderOf(real: Channel, steps: Step[]): Channel {
  return {
    get name() {
      return real.name;
    },
    get hasSubscribers() {
      return real.hasSubscribers;
    },
    subscribe(fn: (message: unknown, name: string | symbol) => void) {
      steps.push({ apply: () => real.subscribe(fn), undo: () => real.unsubscribe(fn) });
    },
    unsubscribe: (fn: (message: unknown, name: string | symbol) => void) => real.unsubscribe(fn),
    bindStore(store: never, transform?: never) {
      steps.push({ apply: () => real.bindStore(store, transform), undo: () => real.unbindStore(store) });
    },
    unbindStore: (store: never) => real.unbindStore(store),
    publish: (message: unknown) => real.publish(message),
    runStores: (...args: Parameters<Channel['runStores']>) => real.runStores(...args),
  } as unknown as Channel;
}

function tracingRecorder(real: TracingChannel<unknown, object>, steps: Step[]): TracingChannel<unknown, object> {
  const recorder: Record<string, unknown> = {
    get hasSubscribers() {
      return real.hasSubscribers;
    },
    subscribe(handlers: Parameters<typeof real.subscribe>[0]) {
      steps.push({ apply: () => real.subscribe(handlers), undo: () => real.unsubscribe(handlers) });
    },
    unsubscribe: (handlers: Parameters<typeof real.unsubscribe>[0]) => real.unsubscribe(handlers),
    traceSync: (...args: Parameters<typeof real.traceSync>) => real.traceSync(...args),
    tracePromise: (...args: Parameters<typeof real.tracePromise>) => real.tracePromise(...args),
    traceCallback: (...args: Parameters<typeof real.traceCallback>) => real.traceCallback(...args),
  };
  for (const event of EVENTS) recorder[event] = recorderOf(real[event] as unknown as Channel, steps);
  return recorder as unknown as TracingChannel<unknown, object>;
}

/** Wraps `tracingChannel` (idempotent). Must run before `@sentry/node` / `@sentry/server-utils` load. */
export function installChannelCapture(): void {
  if (installed) return;
  installed = true;
  (dc as { tracingChannel: unknown }).tracingChannel = (nameOrChannels: string | object) => {
    const real = realTracingChannel(nameOrChannels as string) as TracingChannel<unknown, object>;
    if (!recording || typeof nameOrChannels !== 'string') return real;
    recording.channels.add(nameOrChannels);
    return tracingRecorder(real, recording.steps);
  };
  syncBuiltinESMExports();
}

type TelemetryHolder = { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] };

/**
 * Runs `setup` (e.g. `Sentry.init` with some integrations) with channel work recorded, waits for
 * deferred subscriptions (`waitForTracingChannelBinding` retries on a timer), and returns the work.
 * Entries `setup` pushed onto the AI SDK's global telemetry-integration list are toggled likewise.
 */
export async function captureChannelWork<T>(setup: () => Promise<T>): Promise<{ value: T; work: CapturedWork }> {
  if (!installed) throw new Error('installChannelCapture() must run before the setup to capture');
  const holder = globalThis as TelemetryHolder;
  const telemetryBefore = holder.AI_SDK_TELEMETRY_INTEGRATIONS?.length ?? 0;
  const session = { steps: [] as Step[], channels: new Set<string>() };
  recording = session;
  let value: T;
  try {
    value = await setup();
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    recording = undefined;
  }
  const telemetry = holder.AI_SDK_TELEMETRY_INTEGRATIONS?.splice(telemetryBefore) ?? [];
  let enabled = false;
  const work: CapturedWork = {
    steps: session.steps.length,
    channels: [...session.channels],
    enable() {
      if (enabled) return;
      enabled = true;
      for (const step of session.steps) step.apply();
      if (telemetry.length > 0) (holder.AI_SDK_TELEMETRY_INTEGRATIONS ??= []).push(...telemetry);
    },
    disable() {
      if (!enabled) return;
      enabled = false;
      for (const step of [...session.steps].reverse()) step.undo();
      const list = holder.AI_SDK_TELEMETRY_INTEGRATIONS;
      if (list) for (const entry of telemetry) list.splice(list.indexOf(entry) >>> 0, 1);
    },
  };
  return { value, work };
}
