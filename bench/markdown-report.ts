/** Renders the results as Markdown: targets (met/missed), raw medians, heap, the ioredis workload. */
import { CASE_NAMES } from './cases';
import { TARGETS, compareVersions } from './results-model';
import type { OverheadRow, Results } from './results-model';

function ns(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const abs = Math.abs(value);
  if (abs >= 100_000) return `${(value / 1000).toFixed(0)} µs`;
  if (abs >= 10_000) return `${(value / 1000).toFixed(1)} µs`;
  if (abs >= 1000) return `${(value / 1000).toFixed(2)} µs`;
  return `${value.toFixed(0)} ns`;
}

function verdict(value: number | null, limit: number, digits = 2): string {
  if (value === null) return 'n/a';
  return `${value.toFixed(digits)}× ${value <= limit ? '✅' : '❌'}`;
}

function bytes(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(2)} MiB`;
  if (abs >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${value} B`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

function missedSummary(overhead: readonly OverheadRow[], results: Results): string[] {
  const missed: string[] = [];
  const count = (pred: (o: OverheadRow) => boolean) => overhead.filter(pred).length;
  const measured = (key: 'oursVsAnchor' | 'oursVsAls' | 'skipVsAlsFloor') => count((o) => o[key] !== null);
  const a = count((o) => o.oursVsAnchor !== null && o.oursVsAnchor > TARGETS.oursVsAnchor);
  const b = count((o) => o.oursVsAls !== null && o.oursVsAls > TARGETS.oursVsAls);
  const c = count((o) => o.skipVsAlsFloor !== null && o.skipVsAlsFloor > TARGETS.skipVsAlsFloor);
  const d = results.heap.filter((h) => h.case === 'ours' && h.bytesPerMillionCalls >= TARGETS.heapBytesPerMillion).length;
  missed.push(`- courier overhead ≤ ${TARGETS.oursVsAnchor}× the anchor's: missed in ${a} of ${measured('oursVsAnchor')} (version, strategy, kind) cells`);
  missed.push(`- courier overhead ≤ ${TARGETS.oursVsAls}× the als-floor overhead: missed in ${b} of ${measured('oursVsAls')}`);
  missed.push(`- ours-skip ≤ ${TARGETS.skipVsAlsFloor}× als-floor: missed in ${c} of ${measured('skipVsAlsFloor')}`);
  missed.push(`- heap growth < 1 MiB per million calls: missed in ${d} of ${results.heap.filter((h) => h.case === 'ours').length} runs`);
  return missed;
}

/** The Markdown report of a results file. */
export function renderMarkdown(results: Results, { svgName = 'latest.svg' }: { svgName?: string } = {}): string {
  const versions = [...new Set(results.rows.map((r) => r.node))].sort(compareVersions);
  const out: string[] = [];
  out.push('# Lifecycle benchmark');
  out.push('');
  out.push(
    `Generated ${results.generatedAt} by \`npm run bench${versions.length > 1 ? ':matrix' : ''}\` on ${results.machine.platform}-${results.machine.arch}, ` +
      `${results.machine.cpus} × ${results.machine.cpuModel}; Node ${versions.join(', ')}. ` +
      'Medians over interleaved rounds (each round runs one batch of every case, in rotating order, under a fresh sampled root span), ' +
      `${results.clock === 'cpu' ? 'process CPU time' : results.clock === 'wall' ? 'wall time' : results.clock} in ns per call. ` +
      'Other processes shared the machine, so single numbers are noisy; compare within a row.',
  );
  out.push('');
  out.push(`![courier overhead per Node version](${svgName})`);
  out.push('');
  out.push('## Targets');
  out.push('');
  out.push(
    '*Courier overhead* = `ours − span-floor − no-subscribers` (the anchor: the same with `anchor`); ' +
      '*als overhead* = `als-floor − no-subscribers`. Targets: ours ≤ 0.5× the anchor, ≤ 2× als, ' +
      '`ours-skip` ≤ 1.2× `als-floor`, heap < 1 MiB per million calls. `n/a`: the denominator was not above noise.',
  );
  out.push('');
  out.push(...missedSummary(results.overhead, results));
  out.push('');
  out.push(
    table(
      ['node', 'strategy', 'kind', 'ours courier', 'anchor courier', 'als overhead', 'ours / anchor (≤ 0.5)', 'ours / als (≤ 2)', 'ours-skip / als-floor (≤ 1.2)'],
      results.overhead.map((o) => [
        o.node,
        o.strategy,
        o.kind,
        ns(o.oursCourierNs),
        ns(o.anchorCourierNs),
        ns(o.alsOverheadNs),
        verdict(o.oursVsAnchor, TARGETS.oursVsAnchor),
        verdict(o.oursVsAls, TARGETS.oursVsAls, 1),
        verdict(o.skipVsAlsFloor, TARGETS.skipVsAlsFloor),
      ]),
    ),
  );
  out.push('');
  out.push('## Heap growth');
  out.push('');
  out.push('Used heap after GC, before and after the traced calls (kinds rotating, a fresh sampled root span per 1000 calls).');
  out.push('');
  out.push(
    table(
      ['node', 'strategy', 'case', 'calls', 'growth per million calls (< 1 MiB)'],
      results.heap.map((h) => [
        h.node,
        h.strategy,
        h.case,
        String(h.calls),
        `${bytes(h.bytesPerMillionCalls)} ${h.bytesPerMillionCalls < TARGETS.heapBytesPerMillion ? '✅' : '❌'}`,
      ]),
    ),
  );
  out.push('');
  out.push('## Real workload: ioredis GET against a local redis-server');
  out.push('');
  if (results.workload.length === 0) {
    out.push('Not measured (see notes).');
  } else {
    out.push(
      'Sequential GETs, one batch of each case per round (interleaved). Wall time is latency and moves with the machine\'s load; ' +
        'CPU is this process\'s CPU time per GET. span-floor: a bare `startInactiveSpan` + `end()` around each GET, no channel.',
    );
    out.push('');
    const keys = [...new Set(results.workload.map((w) => `${w.node}|${w.strategy}|${w.workload}`))];
    out.push(
      table(
        ['node', 'strategy', 'workload', 'uninstrumented wall / CPU', 'span-floor wall / CPU', 'instrumentRedis() wall / CPU', 'CPU added by instrumentRedis()', 'of which beyond span-floor'],
        keys.map((key) => {
          const [node, strategy, workload] = key.split('|') as [string, string, string];
          const find = (c: string) => results.workload.find((w) => w.node === node && w.strategy === strategy && w.workload === workload && w.case === c);
          const plain = find('uninstrumented');
          const floor = find('span-floor');
          const traced = find('instrumented');
          const pair = (w: typeof plain) => (w ? `${ns(w.medianNs)} / ${ns(w.cpuMedianNs)}` : '–');
          return [
            node,
            strategy,
            workload,
            pair(plain),
            pair(floor),
            pair(traced),
            plain && traced ? ns(traced.cpuMedianNs - plain.cpuMedianNs) : '–',
            floor && traced ? ns(traced.cpuMedianNs - floor.cpuMedianNs) : '–',
          ];
        }),
      ),
    );
  }
  out.push('');
  out.push('## Raw medians (ns per call)');
  out.push('');
  out.push(
    'baseline: the function alone · no-subscribers: traced, nothing bound · als-floor: one identity `bindStore` + no-op end/asyncEnd/error · ' +
      'span-floor: `startInactiveSpan` + `end()`, no channel · ours / anchor: `bindTracingChannelToSpan` of this package / of `@sentry/server-utils` · ours-skip: `getSpan` returns undefined.',
  );
  out.push('');
  const rowKeys = [...new Set(results.rows.map((r) => `${r.node}|${r.strategy}|${r.kind}`))];
  out.push(
    table(
      ['node', 'strategy', 'kind', ...CASE_NAMES],
      rowKeys
        .map((key) => {
          const [node, strategy, kind] = key.split('|') as [string, string, string];
          return [
            node,
            strategy,
            kind,
            ...CASE_NAMES.map((c) => ns(results.rows.find((r) => r.node === node && r.strategy === strategy && r.kind === kind && r.case === c)?.medianNs)),
          ];
        }),
    ),
  );
  if (results.notes.length > 0) {
    out.push('');
    out.push('## Notes');
    out.push('');
    for (const note of results.notes) out.push(`- ${note}`);
  }
  out.push('');
  return out.join('\n');
}
