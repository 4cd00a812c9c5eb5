/**
 * A one-process A/B of what `instrumentAiSdk()` adds to `generateText` (bench/profile-notes.md):
 * `none`, `channel-floor` (no-op subscribers on `ai:telemetry`: what the SDK itself does once anyone
 * listens, which every channel-based integration pays), `ours`, `ours-no-hooks` (ours with its entry taken off the AI SDK's global
 * telemetry-integration list for the batch, so the SDK no longer dispatches
 * `onLanguageModelCallEnd` per model call; streamed calls then lose their usage, so this is for
 * sizing only) and `sentry` (`vercelAIIntegration`, replayed as in the workloads), interleaved.
 * Node 22+.
 *
 *   node --expose-gc --import tsx bench/ai-hook-ab.ts [--strategy scope-pair] [--rounds 40]
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { parseArgs } from 'node:util';
import { quantile } from './rounds';
import { captureChannelWork, installChannelCapture } from './sentry-capture';
import { isStrategyName, setupStrategy } from './strategy-setup';
import { WORKLOADS } from './workload-defs';
import { timed } from './workloads';

const { values } = parseArgs({ options: { strategy: { type: 'string', default: 'scope-pair' }, rounds: { type: 'string', default: '40' } } });
if (!isStrategyName(values.strategy)) throw new TypeError('--strategy must be scope-pair, otel or otel-mixed');
installChannelCapture(); // before @sentry/node loads
const def = WORKLOADS.find((w) => w.name === 'ai generateText')!;
const { value: strategy, work } = await captureChannelWork(() => setupStrategy(values.strategy as 'scope-pair', { integrations: (s) => [def.sentryIntegration(s)] }));
const ready = await def.start();
if ('skipped' in ready) throw new Error(ready.skipped);
const holder = globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] };

/** Each case switches its instrumentation on and returns how to switch it off. */
const CASES: Record<string, () => () => void> = {
  none: () => () => undefined,
  'channel-floor': () => {
    const channel = tracingChannel('ai:telemetry');
    const handlers = { start() {}, end() {}, asyncStart() {}, asyncEnd() {}, error() {} };
    channel.subscribe(handlers);
    return () => channel.unsubscribe(handlers);
  },
  ours: () => {
    const handle = ready.instrumentOurs();
    return () => handle.unbind();
  },
  'ours-no-hooks': () => {
    const before = holder.AI_SDK_TELEMETRY_INTEGRATIONS?.length ?? 0;
    const handle = ready.instrumentOurs();
    const hooks = holder.AI_SDK_TELEMETRY_INTEGRATIONS?.splice(before) ?? [];
    return () => {
      holder.AI_SDK_TELEMETRY_INTEGRATIONS?.push(...hooks);
      handle.unbind();
    };
  },
  sentry: () => {
    work.enable();
    return () => work.disable();
  },
};
const names = Object.keys(CASES);
const samples = new Map<string, number[]>(names.map((n) => [n, []]));
const batch = async (name: string) => {
  const off = CASES[name]!();
  try {
    return (await timed(ready.op, def.batch, strategy.withRootSpan)).cpu;
  } finally {
    off();
  }
};
for (const name of names) await batch(name); // warm-up
for (let round = 0; round < Number(values.rounds); round++) {
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + round) % names.length]!;
    samples.get(name)!.push(await batch(name));
  }
}
const median = (name: string) => quantile([...samples.get(name)!].sort((a, b) => a - b), 0.5);
const adds = (name: string) => median(name) - median('none');
const us = (ns: number) => `${(ns / 1000).toFixed(1)} µs`;
console.log(`node ${process.versions.node} ${values.strategy}, ${values.rounds} rounds of ${def.batch}: none ${us(median('none'))}`);
for (const name of names.slice(1)) console.log(`  ${name}: adds ${us(adds(name))}, / sentry's ${(adds(name) / adds('sentry')).toFixed(2)}`);
await strategy.close();
process.exit(0);
