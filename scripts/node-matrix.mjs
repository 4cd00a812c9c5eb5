#!/usr/bin/env node
// Runs one command under each supported Node.js version (installed by scripts/node-versions.mjs),
// one after another, with that version's bin directory first on PATH so that `node`, `npx` and
// `#!/usr/bin/env node` tools such as `vitest` use it. Prints one summary line per version and
// exits non-zero when any version fails.
//
//   node scripts/node-matrix.mjs [--versions 20,26] [--] <command> [args...]
//   node scripts/node-matrix.mjs -- vitest run          (what `npm run test:matrix` does)
//   node scripts/node-matrix.mjs --versions 20,26 --sentry all -- vitest run test/unit/core
//
// The child sees NODE_MATRIX_VERSION (e.g. 22.23.3) and NODE_MATRIX_MAJOR (e.g. 22). With
// `--sentry`, each Node version runs the command once per Sentry release (installed by
// scripts/sentry-versions.mjs), with SENTRY_MATRIX_VERSION and SENTRY_MATRIX_DIR set (vitest.config.ts
// resolves the Sentry packages there).

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { ensureNodeVersions, envWithNode, parseVersionsOption } from './node-versions.mjs';
import { ensureSentryVersion, parseSentryOption } from './sentry-versions.mjs';

const PROJECT_BIN = join(fileURLToPath(new URL('..', import.meta.url)), 'node_modules', '.bin');

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/**
 * Reads a test count out of a test runner's output: vitest's `Tests  12 passed | 1 skipped (13)`
 * line, or node:test's `# tests 13`. Returns `undefined` when there is none.
 */
export function parseTestCount(output) {
  const text = output.replace(ANSI, '');
  const vitest = [...text.matchAll(/^\s*Tests\s+(.*?)\((\d+)\)\s*$/gm)].pop();
  if (vitest) {
    const failed = /(\d+) failed/.exec(vitest[1]);
    const skipped = /(\d+) skipped/.exec(vitest[1]);
    return { total: Number(vitest[2]), failed: failed ? Number(failed[1]) : 0, skipped: skipped ? Number(skipped[1]) : 0 };
  }
  const nodeTest = [...text.matchAll(/^# tests (\d+)$/gm)].pop();
  if (nodeTest) return { total: Number(nodeTest[1]), failed: 0, skipped: 0 };
  return undefined;
}

function runOne(command, args, env) {
  return new Promise((done) => {
    const started = process.hrtime.bigint();
    let output = '';
    let child;
    try {
      child = spawn(command, args, { env, stdio: ['inherit', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    } catch (error) {
      done({ code: 127, output: String(error), seconds: 0 });
      return;
    }
    const keep = (chunk) => {
      output += chunk.toString();
      if (output.length > 1_000_000) output = output.slice(-200_000);
    };
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      keep(chunk);
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      keep(chunk);
    });
    child.on('error', (error) => {
      const message = error.code === 'ENOENT' ? `${command}: command not found` : String(error);
      process.stderr.write(`node-matrix: ${message}\n`);
      output += message;
    });
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      done({ code: typeof code === 'number' && code >= 0 ? code : signal ? 128 : 127, signal, output, seconds });
    });
  });
}

/** One summary line: `node 22.23.3  PASS  (123 tests, 41 s)` or `... FAIL  (exit 1, 3 failed of 123 tests, 41 s)`. */
export function formatSummary({ version, sentry, code, signal, tests, seconds }) {
  const parts = [];
  if (code !== 0) parts.push(signal ? `signal ${signal}` : `exit ${code}`);
  if (tests) {
    const skipped = tests.skipped ? `, ${tests.skipped} skipped` : '';
    parts.push(code !== 0 && tests.failed ? `${tests.failed} failed of ${tests.total} tests${skipped}` : `${tests.total} tests${skipped}`);
  }
  parts.push(`${Math.round(seconds)} s`);
  const label = sentry ? `node ${version.padEnd(8)} sentry ${sentry.padEnd(8)}` : `node ${version.padEnd(8)}`;
  return `${label} ${code === 0 ? 'PASS' : 'FAIL'}  (${parts.join(', ')})`;
}

/**
 * Runs `command args` under each Node major in turn. Resolves to one result per version:
 * `{ major, version, code, tests, seconds }`.
 */
export async function runMatrix(majors, command, args, { env = process.env, sentry } = {}) {
  const nodes = ensureNodeVersions(majors);
  const sentries = sentry ? sentry.map((version) => ensureSentryVersion(version)) : [undefined];
  // Like `npm run`: the project's own tools (vitest, tsx) are found by name.
  const withTools = envWithNode(PROJECT_BIN, env);
  const results = [];
  for (const node of nodes) {
    for (const release of sentries) {
      const title = release ? `node ${node.version} · sentry ${release.version}` : `node ${node.version}`;
      process.stdout.write(`\n━━ ${title} ━━ ${[command, ...args].join(' ')}\n`);
      const childEnv = { ...envWithNode(node.binDir, withTools), NODE_MATRIX_VERSION: node.version, NODE_MATRIX_MAJOR: String(node.major) };
      if (release) Object.assign(childEnv, { SENTRY_MATRIX_VERSION: release.version, SENTRY_MATRIX_DIR: release.dir });
      const run = await runOne(command, args, childEnv);
      results.push({
        major: node.major,
        version: node.version,
        sentry: release?.version,
        code: run.code,
        signal: run.signal,
        tests: parseTestCount(run.output),
        seconds: run.seconds,
      });
    }
  }
  return results;
}

async function main() {
  const { sentry, rest: afterSentry } = parseSentryOption(process.argv.slice(2));
  const { majors, rest } = parseVersionsOption(afterSentry);
  const commandLine = rest[0] === '--' ? rest.slice(1) : rest;
  if (commandLine.length === 0) {
    console.error('usage: node scripts/node-matrix.mjs [--versions 20,26] [--] <command> [args...]');
    process.exitCode = 2;
    return;
  }
  const [command, ...args] = commandLine;
  const results = await runMatrix(majors, command, args, { sentry });
  process.stdout.write('\n');
  for (const result of results) process.stdout.write(`${formatSummary(result)}\n`);
  if (results.some((r) => r.code !== 0)) process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
