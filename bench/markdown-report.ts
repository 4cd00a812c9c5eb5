/** Renders the results as Markdown: targets (met/missed), courier, unsampled, workloads, heap, raw medians. */
import { CASE_NAMES } from './cases';
import { TARGETS, compareVersions, describeWorkloadChecks, isStable } from './results-model';
import type { OverheadRow, Results, Spread } from './results-model';

function ns(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 100_000) return `${(value / 1000).toFixed(0)} µs`;
  if (abs >= 10_000) return `${(value / 1000).toFixed(1)} µs`;
  if (abs >= 1000) return `${(value / 1000).toFixed(2)} µs`;
  return `${value.toFixed(0)} ns`;
}

function nsSpread(s: Spread | null): string {
  if (!s) return '–';
  return s.runs > 1 ? `${ns(s.median)} (${ns(s.min)}–${ns(s.max)})` : ns(s.median);
}

/** `0.62× (0.60–0.65) ✅`; `~` marks a ratio whose runs are not all within 10% of the median. */
function verdict(s: Spread | null, limit: number | undefined, digits = 2): string {
  if (!s) return 'n/a';
  const range = s.runs > 1 ? ` (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})` : '';
  const mark = limit === undefined ? '' : s.median <= limit ? ' ✅' : ' ❌';
  return `${s.median.toFixed(digits)}×${range}${s.runs > 1 && !isStable(s) ? ' ~' : ''}${mark}`;
}

function bytes(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(2)} MiB`;
  if (abs >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${value} B`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i < 3 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** `stable` counts the cells measured in several runs whose ratio held within 10% (`multiRun` of them). */
type Check = { label: string; met: number; measured: number; stable: number; multiRun: number };

function count(label: string, values: Array<{ s: Spread | null; limit: number }>): Check {
  const measured = values.filter((v) => v.s !== null);
  const multi = measured.filter((v) => v.s!.runs > 1);
  return {
    label,
    measured: measured.length,
    met: measured.filter((v) => v.s!.median <= v.limit).length,
    stable: multi.filter((v) => isStable(v.s!)).length,
    multiRun: multi.length,
  };
}

/** Met / measured per target, for the report and the README. */
export function targetChecks(results: Results): Check[] {
  const o = results.overhead;
  const heap = results.heap.filter((h) => h.case === 'ours');
  return [
    count(`courier overhead ≤ ${TARGETS.courierVsAnchor}× the anchor's`, o.map((r) => ({ s: r.courierVsAnchor, limit: TARGETS.courierVsAnchor }))),
    count('courier overhead ≤ 5× the als-floor overhead (traceSync)', o.filter((r) => r.kind === 'traceSync').map((r) => ({ s: r.courierVsAls, limit: 5 }))),
    count('courier overhead ≤ 2× the als-floor overhead (tracePromise, traceCallback)', o.filter((r) => r.kind !== 'traceSync').map((r) => ({ s: r.courierVsAls, limit: 2 }))),
    count(`ours-sampled-only ≤ ${TARGETS.sampledOnlyVsAlsFloor}× als-floor`, o.map((r) => ({ s: r.sampledOnlyVsAlsFloor, limit: TARGETS.sampledOnlyVsAlsFloor }))),
    count(`workload CPU added by ours ≤ ${TARGETS.oursVsSentry}× Sentry's integration's`, results.workloadOverhead.map((w) => ({ s: w.oursVsSentry, limit: TARGETS.oursVsSentry }))),
    { label: 'heap growth < 1 MiB per million calls', measured: heap.length, met: heap.filter((h) => h.bytesPerMillionCalls < TARGETS.heapBytesPerMillion).length, stable: 0, multiRun: 0 },
  ];
}

function groupRows(overhead: readonly OverheadRow[], cells: (o: OverheadRow) => string[]): string[][] {
  return overhead.map((o) => [o.node, o.strategy, o.kind, ...cells(o)]);
}

/** The Markdown report of a results file. */
export function renderMarkdown(results: Results, { svgName = 'latest.svg' }: { svgName?: string } = {}): string {
  const versions = [...new Set(results.rows.map((r) => r.node))].sort(compareVersions);
  const runs = Math.max(1, ...results.rows.map((r) => r.runMediansNs.length));
  const m = results.machine;
  const out: string[] = [];
  out.push('# Lifecycle benchmark', '');
  out.push(
    `Generated ${results.generatedAt} by \`npm run bench${versions.length > 1 ? ':matrix' : ''}\` on ${m.platform}-${m.arch}, ${m.cpus} × ${m.cpuModel}` +
      `${m.loadAverage ? ` (load average at the start ${m.loadAverage.map((l) => l.toFixed(1)).join(' / ')})` : ''}; Node ${versions.join(', ')}; @sentry/* ${results.versions.sentry}. ` +
      `${results.clock === 'cpu' ? 'Process CPU time' : 'Wall time'} per call, median over interleaved rounds (each round runs one batch of every case, in rotating order, under a fresh sampled root span, all in one process); ` +
      `${runs} run${runs > 1 ? 's' : ''} (separate processes) per Node version and strategy. Every ratio is computed within one run; cells show the median over runs and (min–max); ` +
      '`~` marks a ratio whose runs are not all within 10% of the median. The machine is shared with other agents running test suites, so absolute numbers move between runs; the ratios are what holds.',
  );
  out.push('', `![courier overhead per Node version](${svgName})`, '', '## Targets', '');
  for (const c of targetChecks(results)) {
    out.push(`- ${c.label}: met in ${c.met} of ${c.measured}${c.multiRun > 0 ? ` (ratio stable within 10% across runs in ${c.stable} of ${c.multiRun})` : ''}`);
  }
  out.push('', '## Courier', '');
  out.push(
    '`courier` / `anchor-courier`: `getSpan` returns one pre-made, already ended span, so the span costs nothing and the row is the binding alone. ' +
      'Overheads are over `no-subscribers` (the same traced call with nothing bound); `als-floor` is one identity `bindStore` plus no-op end/asyncEnd/error subscribers. ' +
      'Anchor: `bindTracingChannelToSpan` of `@sentry/server-utils` (in otel-mixed loaded through `require`, like `@sentry/node`).',
  );
  out.push('');
  out.push(
    table(
      ['node', 'strategy', 'kind', 'courier overhead', 'anchor-courier overhead', 'als-floor overhead', `courier / anchor (≤ ${TARGETS.courierVsAnchor})`, 'courier / als (≤ 5 sync, ≤ 2 async)'],
      groupRows(results.overhead, (o) => [nsSpread(o.courierNs), nsSpread(o.anchorCourierNs), nsSpread(o.alsNs), verdict(o.courierVsAnchor, TARGETS.courierVsAnchor), verdict(o.courierVsAls, TARGETS.courierVsAls[o.kind], 1)]),
    ),
  );
  out.push('', '## Unsampled traces', '');
  out.push(
    '`ours-unsampled` / `anchor-unsampled`: `getSpan` is `startInactiveSpan` under a non-recording active span (the trace was not sampled). ' +
      '`ours-sampled-only`: the same binding with `sampledOnly: true` (rule 14); its target compares raw medians with `als-floor` (like `ours-skip` before).',
  );
  out.push('');
  out.push(
    table(
      ['node', 'strategy', 'kind', 'ours-unsampled overhead', 'anchor-unsampled overhead', 'ours / anchor', 'ours-sampled-only overhead', `ours-sampled-only / als-floor (≤ ${TARGETS.sampledOnlyVsAlsFloor})`],
      groupRows(results.overhead, (o) => [nsSpread(o.unsampledNs), nsSpread(o.anchorUnsampledNs), verdict(o.unsampledVsAnchor, undefined), nsSpread(o.sampledOnlyNs), verdict(o.sampledOnlyVsAlsFloor, TARGETS.sampledOnlyVsAlsFloor)]),
    ),
  );
  out.push('', '## Real workloads', '');
  if (results.workloads.length === 0) out.push('Not measured (see notes).');
  else {
    out.push(
      'CPU time of this process per operation (the client side, plus the server for h3), median over interleaved rounds: `none` (no instrumentation), `ours` (this package\'s integration), ' +
        "`sentry` (`@sentry/node`'s own integration for the library: `redisIntegration`, `nitroIntegration`, `vercelAIIntegration`, `graphqlIntegration`, `mysql2Integration`; its channel subscriptions are recorded at setup and switched on only for its batches). " +
        'ioredis / node-redis GET against a local redis-server; h3: a GET over real HTTP to an h3 2 app on srvx 1 with both tracing plugins; ai: `generateText` with `MockLanguageModelV4` (ai 7, Node 22+); ' +
        'graphql: `graphql({ schema, source })` of one query with a sync and an async resolver (graphql 17, Node 22+); mysql2: a primary-key `SELECT` against a local MariaDB. ' +
        'Before timing, each case runs two operations while the spans that end are counted: none for `none`, some for `ours` and for `sentry`, of different origins (a workload that fails this is not measured; see notes).',
    );
    out.push('');
    const cpu = (node: string, strategy: string, workload: string, c: string) =>
      ns(results.workloads.find((w) => w.node === node && w.strategy === strategy && w.workload === workload && w.case === c)?.cpuNsPerOp);
    out.push(
      table(
        ['node', 'strategy', 'workload', 'none', 'ours', 'sentry', 'ours adds', 'sentry adds', `ours / sentry (≤ ${TARGETS.oursVsSentry})`],
        results.workloadOverhead.map((w) => [
          w.node,
          w.strategy,
          w.workload,
          cpu(w.node, w.strategy, w.workload, 'none'),
          cpu(w.node, w.strategy, w.workload, 'ours'),
          cpu(w.node, w.strategy, w.workload, 'sentry'),
          nsSpread(w.oursAddsNs),
          nsSpread(w.sentryAddsNs),
          verdict(w.oursVsSentry, TARGETS.oursVsSentry),
        ]),
      ),
    );
    const checks = describeWorkloadChecks(results.workloads);
    if (checks.length > 0) {
      out.push('', 'Spans per two operations in the check before timing (origins in brackets):', '');
      // where a workload's checks all agree, the node · strategy pairs are left out
      const outcomes = (workload: string) => checks.filter((c) => c.workload === workload).length;
      for (const c of checks) out.push(`- ${c.workload}: ${c.seen}${outcomes(c.workload) === 1 ? '' : ` (${c.where.join(', ')})`}`);
    }
  }
  out.push('', '## Heap growth', '');
  out.push('Used heap after GC, before and after the traced calls of `ours` (kinds rotating, a fresh sampled root span per 1000 calls).', '');
  out.push(
    table(
      ['node', 'strategy', 'case', 'calls', 'growth per million calls (< 1 MiB)'],
      results.heap.map((h) => [h.node, h.strategy, h.case, String(h.calls), `${bytes(h.bytesPerMillionCalls)} ${h.bytesPerMillionCalls < TARGETS.heapBytesPerMillion ? '✅' : '❌'}`]),
    ),
  );
  out.push('', '## With a real sampled span', '');
  out.push('`ours` / `anchor`: `getSpan` is `startInactiveSpan` under the sampled round root; `ours-skip`: `getSpan` returns undefined. No targets; for orientation.', '');
  out.push(
    table(
      ['node', 'strategy', 'kind', '(ours − none) / (anchor − none)', 'ours-skip / als-floor'],
      groupRows(results.overhead, (o) => [verdict(o.oursVsAnchor, undefined), verdict(o.skipVsAlsFloor, undefined)]),
    ),
  );
  out.push('', '## Raw medians (ns per call, median over runs)', '');
  const rowKeys = [...new Set(results.rows.map((r) => `${r.node}|${r.strategy}|${r.kind}`))];
  out.push(
    table(
      ['node', 'strategy', 'kind', ...CASE_NAMES],
      rowKeys.map((key) => {
        const [node, strategy, kind] = key.split('|') as [string, string, string];
        return [node, strategy, kind, ...CASE_NAMES.map((c) => ns(results.rows.find((r) => r.node === node && r.strategy === strategy && r.kind === kind && r.case === c)?.medianNs))];
      }),
    ),
  );
  if (results.notes.length > 0) {
    out.push('', '## Notes', '');
    for (const note of results.notes) out.push(`- ${note}`);
  }
  out.push('');
  return out.join('\n');
}
