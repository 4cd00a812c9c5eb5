/**
 * `npm run bench:profile`: a CPU profile (V8 `--cpu-prof`) of one benchmark case or workload, and
 * the functions with the most self time (and, with `--focus`, the total time under each function
 * whose name matches), printed as a table. Used to find where the courier spends its time.
 *
 *   node --import tsx bench/profile.ts [--strategy scope-pair] [--case courier] [--kind traceSync]
 *        [--workload "ioredis GET" --workload-case ours] [--seconds 5] [--top 25] [--focus regex]
 *
 * The profile file is kept in bench/results/tmp/ (git-ignored) for a closer look in DevTools.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));

function where(node: ProfileNode): string {
  const url = node.callFrame.url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, '').replace(/.*\/(src|bench)\//, '$1/');
  return `${node.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${node.callFrame.lineNumber + 1}` : ''}`.trim();
}

/** Self and total sample time per function (by name and location), in percent of all samples. */
export function summarize(profile: CpuProfile): { self: Map<string, number>; total: Map<string, number> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  profile.samples.forEach((id, i) => hits.set(id, (hits.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const all = [...hits.values()].reduce((a, b) => a + b, 0) || 1;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  for (const [id, t] of hits) {
    const node = byId.get(id)!;
    self.set(where(node), (self.get(where(node)) ?? 0) + (100 * t) / all);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = where(byId.get(cur)!);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + (100 * t) / all);
    }
  }
  return { self, total };
}

function main(): void {
  // the target's own options (--strategy, --case, --kind, --workload, …) pass through unparsed
  const { values } = parseArgs({ options: { top: { type: 'string', default: '25' }, focus: { type: 'string' } }, strict: false });
  const dir = join(BENCH_DIR, 'results', 'tmp', `profile-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const child = spawnSync(
    process.execPath,
    ['--cpu-prof', '--cpu-prof-dir', dir, '--import', 'tsx', join(BENCH_DIR, 'profile-target.ts'), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  if (child.status !== 0) throw new Error(`profile target exited with ${child.status}`);
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  const { self, total } = summarize(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
  const top = Number(values.top);
  const print = (title: string, map: Map<string, number>, filter?: RegExp) => {
    console.log(`\n${title}`);
    for (const [name, pct] of [...map].filter(([k]) => !filter || filter.test(k)).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct.toFixed(1).padStart(6)}%  ${name}`);
  };
  print('self time', self);
  if (typeof values.focus === 'string') print(`total time (${values.focus})`, total, new RegExp(values.focus));
  console.log(`\nprofile: ${join(dir, file)}`);
  for (const f of readdirSync(dir)) if (f !== file) rmSync(join(dir, f), { force: true });
}

main();
