/**
 * The cases of SPEC §6 that isolate the courier and the unsampled path:
 * - `courier` / `anchor-courier`: `getSpan` returns one pre-made, already ended span, so the span
 *   costs nothing and the row is the binding's own work (store, bookkeeping, end handlers);
 * - `ours-unsampled` / `anchor-unsampled`: `startInactiveSpan` under a non-recording active span
 *   (an unsampled trace);
 * - `ours-sampled-only`: the same with `sampledOnly: true` — only where the core implements the
 *   option (probed by behaviour: `getSpan` must not run under the unsampled root).
 */
import { startInactiveSpan, withActiveSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { benchGetSpan, freshChannel, tracedRunners } from './cases';
import type { BindToSpan, CaseName, CaseRunner, TraceKind } from './cases';
import { UNSAMPLED_ROOT } from './strategy-setup';

/** What the courier cases need. */
export interface CourierInputs {
  ours?: BindToSpan;
  anchor?: BindToSpan;
  /** Reasons for cases left out are appended here. */
  missing: string[];
}

type Runners = Map<CaseName, Record<TraceKind, CaseRunner>>;

function under(root: Span, runners: Record<TraceKind, CaseRunner>): Record<TraceKind, CaseRunner> {
  const wrap = (run: CaseRunner): CaseRunner => (n) => withActiveSpan(root, () => run(n));
  return { traceSync: wrap(runners.traceSync), tracePromise: wrap(runners.tracePromise), traceCallback: wrap(runners.traceCallback) };
}

/** How many times `getSpan` runs for one traced call under `root`, bound with `options`. */
function getSpanCalls(bind: BindToSpan, root: Span, options: { sampledOnly?: boolean }): number {
  const channel = freshChannel('probe');
  let calls = 0;
  const handle = bind(
    channel,
    () => {
      calls++;
      return undefined;
    },
    options,
  );
  try {
    withActiveSpan(root, () => channel.traceSync(() => 0, {}));
  } finally {
    handle.unbind();
  }
  return calls;
}

/** Adds the courier, unsampled and sampled-only cases to `runners`; returns their teardowns. */
export function addCourierCases(runners: Runners, { ours, anchor, missing }: CourierInputs): Array<() => void> {
  const teardown: Array<() => void> = [];
  // a child span, like an integration's (a root span would also fork the isolation scope)
  const premadeRoot = startInactiveSpan({ name: 'bench.premade-root', op: 'bench', forceTransaction: true });
  const premade = withActiveSpan(premadeRoot, () => startInactiveSpan({ name: 'bench.premade', op: 'bench' }));
  premade.end();
  premadeRoot.end();
  const unsampledRoot = startInactiveSpan({ name: UNSAMPLED_ROOT, op: 'bench', forceTransaction: true });
  const unsampledOk = !unsampledRoot.isRecording();
  if (!unsampledOk) missing.push('ours-unsampled, anchor-unsampled, ours-sampled-only: the sampler did not drop the unsampled root');

  const add = (name: CaseName, bind: BindToSpan | undefined, getSpan: () => Span | undefined, options?: { sampledOnly?: boolean }, root?: Span) => {
    if (!bind) return;
    const channel = freshChannel(name);
    const handle = bind(channel, getSpan, options);
    teardown.push(() => handle.unbind());
    const traced = tracedRunners(channel);
    runners.set(name, root ? under(root, traced) : traced);
  };

  add('courier', ours, () => premade);
  add('anchor-courier', anchor, () => premade);
  if (unsampledOk) {
    add('ours-unsampled', ours, benchGetSpan, undefined, unsampledRoot);
    add('anchor-unsampled', anchor, benchGetSpan, undefined, unsampledRoot);
    if (ours) {
      const plain = getSpanCalls(ours, unsampledRoot, {});
      const sampledOnly = getSpanCalls(ours, unsampledRoot, { sampledOnly: true });
      if (plain === 1 && sampledOnly === 0) add('ours-sampled-only', ours, benchGetSpan, { sampledOnly: true }, unsampledRoot);
      else missing.push(`ours-sampled-only: not available (the core ${plain === 1 ? 'ignores sampledOnly: getSpan still runs under an unsampled trace' : `ran getSpan ${plain} times in the probe`})`);
    }
  }
  return teardown;
}
