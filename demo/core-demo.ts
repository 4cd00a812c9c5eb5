/**
 * The core on its own: a channel of our own, traced sync / promise / callback work, nesting and
 * a failure, drawn as a waterfall.
 */
import { tracingChannel } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import * as Sentry from '@sentry/node';
import { bindTracingChannelToSpan, enrichBoundSpan } from '../src/index';

type Job = { job: string };

/** Runs the core demo inside one root span; the caller draws the collected spans. */
export async function runCoreDemo(): Promise<void> {
  const channel = tracingChannel<Job>('demo:jobs');
  const binding = bindTracingChannelToSpan(channel, (data) => Sentry.startInactiveSpan({ name: `job ${data.job}`, op: 'demo.job' }), {
    captureError: true,
  });
  try {
    await Sentry.startSpan({ name: 'core demo', op: 'demo' }, async () => {
      channel.traceSync(() => {
        let x = 0;
        for (let i = 0; i < 2e5; i++) x += i;
        return x;
      }, { job: 'sum (traceSync)' });

      await channel.tracePromise(async () => {
        await sleep(15);
        // nested: a traced call inside a traced call, and an ordinary child span
        await channel.tracePromise(async () => {
          await sleep(10);
          enrichBoundSpan({ attributes: { 'demo.depth': 2 } });
        }, { job: 'nested (tracePromise)' });
        await Sentry.startSpan({ name: 'plain child span', op: 'demo.child' }, () => sleep(5));
      }, { job: 'fetch (tracePromise)' });

      await new Promise<void>((resolve) =>
        channel.traceCallback((done: (err: Error | null, v?: number) => void) => setTimeout(() => done(null, 1), 12), -1, { job: 'timer (traceCallback)' }, undefined, () =>
          resolve(),
        ),
      );

      await channel
        .tracePromise(async () => {
          await sleep(5);
          throw new Error('the disk is full');
        }, { job: 'save (fails)' })
        .catch(() => undefined);
    });
  } finally {
    binding.unbind();
  }
}
