/**
 * The benchmark's workload runner checks each case before timing it: `none` must make no spans,
 * `ours` and `sentry` some, of different origins; a workload that fails is reported, not measured.
 * Workloads here are made-up operations that start spans on a real `@sentry/core` client.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { startInactiveSpan, startSpan } from '@sentry/core';
import { setScopePairAsyncContextStrategy } from '../../src/index';
import type { CapturedWork } from '../../bench/sentry-capture';
import type { WorkloadDef } from '../../bench/workload-defs';
import { measureWorkloads } from '../../bench/workloads';
import { installRecordingClient } from '../helpers/test-client';

type Maker = 'ours' | 'sentry';

/** A workload whose operation makes a span of `origins[maker]` for whichever maker is on (and `always`, if set). */
function fakeWorkload(origins: Partial<Record<Maker | 'always', string>>, on: Set<Maker>): WorkloadDef {
  return {
    name: 'ioredis GET',
    batch: 10,
    sentryIntegration: () => ({ name: 'Fake' }),
    start: async () => ({
      op: async () => {
        for (const maker of ['ours', 'sentry', 'always'] as const) {
          const origin = origins[maker];
          if (origin && (maker === 'always' || on.has(maker))) startInactiveSpan({ name: 'op', attributes: { 'sentry.origin': origin } }).end();
        }
      },
      instrumentOurs: () => {
        on.add('ours');
        return { unbind: () => void on.delete('ours') };
      },
      close: async () => undefined,
    }),
  };
}

function fakeSentry(on: Set<Maker>): CapturedWork {
  return { steps: 1, channels: ['fake'], enable: () => void on.add('sentry'), disable: () => void on.delete('sentry') };
}

const withRootSpan = <T>(fn: () => Promise<T>): Promise<T> => startSpan({ name: 'root', op: 'bench', forceTransaction: true }, fn);

async function run(origins: Partial<Record<Maker | 'always', string>>) {
  const on = new Set<Maker>();
  return measureWorkloads({ rounds: 1, defs: [fakeWorkload(origins, on)], sentry: fakeSentry(on), withRootSpan });
}

describe('measureWorkloads: the span check before timing', () => {
  beforeAll(() => {
    setScopePairAsyncContextStrategy();
    installRecordingClient();
  });

  it('measures a workload whose cases make the spans they name, and records what each made', async () => {
    const outcome = await run({ ours: 'auto.ours', sentry: 'auto.sentry' });
    expect(outcome.skipped).toEqual([]);
    expect(outcome.rows.map((r) => r.case)).toEqual(['none', 'ours', 'sentry']);
    expect(outcome.checks).toEqual([
      { workload: 'ioredis GET', case: 'none', spans: 0, origins: [] },
      { workload: 'ioredis GET', case: 'ours', spans: 2, origins: ['auto.ours'] },
      { workload: 'ioredis GET', case: 'sentry', spans: 2, origins: ['auto.sentry'] },
    ]);
  });

  it('does not measure a workload whose ours makes no spans', async () => {
    const outcome = await run({ sentry: 'auto.sentry' });
    expect(outcome.rows).toEqual([]);
    expect(outcome.skipped).toEqual(['ioredis GET: not measured: case ours made no spans']);
  });

  it('does not measure a workload that makes spans without instrumentation', async () => {
    const outcome = await run({ ours: 'auto.ours', sentry: 'auto.sentry', always: 'auto.library' });
    expect(outcome.rows).toEqual([]);
    expect(outcome.skipped).toEqual(['ioredis GET: not measured: case none made 2 spans (auto.library)']);
  });

  it('does not measure a workload whose ours and sentry make spans of the same origin', async () => {
    const outcome = await run({ ours: 'auto.same', sentry: 'auto.same' });
    expect(outcome.rows).toEqual([]);
    expect(outcome.skipped).toEqual(['ioredis GET: not measured: cases ours and sentry made spans of the same origin (auto.same)']);
  });
});
