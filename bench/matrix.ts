/**
 * `npm run bench:matrix`: bench/run.ts under every supported Node.js version (through
 * scripts/node-matrix.mjs, which installs them into .cache/node), then one report over all of them:
 * bench/results/latest.json, latest.md and latest.svg.
 *
 *   node --import tsx bench/matrix.ts [--versions 20,26] [any bench/run.ts option]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildResults } from './results-model';
import type { NodeRun } from './results-model';
import { RESULTS_DIR, describeMachine, sentryVersions, writeResults } from './run';

function runMatrix(args: string[]): Promise<number> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit' });
    child.on('error', () => done(1));
    child.on('close', (code) => done(code ?? 1));
  });
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const versionsAt = argv.findIndex((a) => a === '--versions' || a.startsWith('--versions='));
  const versionArgs = versionsAt === -1 ? [] : argv[versionsAt]!.includes('=') ? [argv[versionsAt]!] : argv.slice(versionsAt, versionsAt + 2);
  const runArgs = argv.filter((_, i) => versionsAt === -1 || (i !== versionsAt && !(i === versionsAt + 1 && versionArgs.length === 2)));

  const started = process.hrtime.bigint();
  const machine = describeMachine(); // the load average before the run
  const partsDir = join(RESULTS_DIR, 'tmp', 'matrix');
  rmSync(partsDir, { recursive: true, force: true });
  mkdirSync(partsDir, { recursive: true });
  const code = await runMatrix([
    join('scripts', 'node-matrix.mjs'),
    ...versionArgs,
    '--',
    'node',
    '--import',
    'tsx',
    join('bench', 'run.ts'),
    '--json-dir',
    partsDir,
    ...runArgs,
  ]);
  const runs = existsSync(partsDir)
    ? readdirSync(partsDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => JSON.parse(readFileSync(join(partsDir, f), 'utf8')) as NodeRun)
    : [];
  if (runs.length === 0) {
    console.error('bench:matrix: no version produced results');
    process.exitCode = 1;
    return;
  }
  const results = buildResults(runs, machine, sentryVersions());
  writeResults(results);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`\nbench:matrix: wrote bench/results/latest.{json,md,svg} for Node ${runs.map((r) => r.node).join(', ')} in ${seconds.toFixed(0)} s`);
  if (code !== 0) process.exitCode = code;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
