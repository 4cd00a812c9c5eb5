#!/usr/bin/env node
// `npm run test:runtimes`: the SPEC §2 conformance checks (test/runtimes/) against the BUILT and
// PACKED package on Node (the baseline), Bun, Deno and workerd, plus @sentry/bun, @sentry/deno and
// @sentry/cloudflare each in one check. Runtimes come from npm into .cache/runtimes (see
// runtime-versions.mjs); each app is a fresh folder there with the tarball and one Sentry SDK
// installed, as a user's would be. workerd runs an esbuild bundle on a loopback port with
// `nodejs_compat` (config.capnp written here), on an old and a new compatibility date.
// Prints one `<run>: N passed, M failed` line per run and exits non-zero when any check fails.
//
//   node scripts/runtimes.mjs [--only bun,deno,workerd,node]

import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNTIMES_DIR, ensureRuntime } from './runtime-versions.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CHECKS = join(ROOT, 'test', 'runtimes');
const RUN_TIMEOUT_MS = 120_000;
const ESBUILD = join(ROOT, 'node_modules', '.bin', 'esbuild');

/** Each app folder: the Sentry packages installed next to the tarball (pinned: the tested versions). */
const APPS = {
  core: ['@sentry/core@11.12.0'],
  bun: ['@sentry/bun@11.8.0'],
  deno: ['@sentry/deno@10.75.2'],
  cloudflare: ['@sentry/cloudflare@11.0.0'],
};

/** The bundler setting the README documents for workerd. */
export const WORKERD_ESBUILD_FLAGS = ['--bundle', '--format=esm', '--platform=neutral', '--conditions=workerd,worker,import', '--main-fields=module,main', '--external:node:*'];

function sh(command, args, options = {}) {
  const out = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${out.status}):\n${(out.stderr || out.stdout).trim().slice(-2000)}`);
  return out.stdout;
}

function packTarball() {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) sh('npm', ['run', 'build'], { cwd: ROOT });
  const dir = join(RUNTIMES_DIR, 'pack');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  sh('npm', ['pack', '--pack-destination', dir, '--loglevel=error'], { cwd: ROOT });
  return join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')));
}

/** The README's snippet marked `<!-- test:runtimes <name> -->`, written into `dir` as readme-snippet.mjs. */
function writeReadmeSnippet(name, dir) {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- test:runtimes ${name} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`runtimes: README.md has no snippet marked <!-- test:runtimes ${name} -->`);
  writeFileSync(join(dir, 'readme-snippet.mjs'), match[1]);
}

function prepareApp(name, tarball) {
  const dir = join(RUNTIMES_DIR, 'apps', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `runtime-app-${name}`, private: true, type: 'module' }, null, 2));
  // The tarball's name is fixed, so npm would keep a stale copy: drop it first.
  rmSync(join(dir, 'node_modules', 'tracing-channel-span'), { recursive: true, force: true });
  // As a user adds the package to an app that has its SDK: SDK first, then the package alone
  // (one command naming both lets npm put a newer @sentry/core at the top level: two copies).
  const npmInstall = (...specs) => sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir });
  npmInstall(...APPS[name]);
  npmInstall(tarball);
  for (const file of readdirSync(CHECKS)) if (file.endsWith('.mjs')) copyFileSync(join(CHECKS, file), join(dir, file));
  const copies = sh('npm', ['ls', '@sentry/core', '--all', '--parseable'], { cwd: dir }).trim().split('\n').filter(Boolean);
  if (copies.length !== 1) throw new Error(`runtimes: app ${name} has ${copies.length} copies of @sentry/core:\n${copies.join('\n')}`);
  return dir;
}

function run(command, args, { cwd, env }) {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', (error) => done({ code: 127, output: String(error) }));
    // A runtime that hangs (a check whose call never completes) fails its run instead of CI.
    const timer = setTimeout(() => {
      output += `\nruntimes: killed after ${RUN_TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code: code ?? 1, output });
    });
  });
}

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

function capnp(port, compatibilityDate) {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "${compatibilityDate}",
  compatibilityFlags = ["nodejs_compat"],
);
`;
}

/** Bundles `entry` in `appDir`, serves it with workerd, requests it once; resolves to the checks. */
async function runInWorkerd(workerd, appDir, entry, compatibilityDate) {
  const dir = join(appDir, `workerd-${entry.replace(/\W/g, '-')}-${compatibilityDate}`);
  mkdirSync(dir, { recursive: true });
  sh(ESBUILD, [join(appDir, entry), ...WORKERD_ESBUILD_FLAGS, `--outfile=${join(dir, 'worker.js')}`, '--log-level=error'], { cwd: appDir });
  const port = await freePort();
  writeFileSync(join(dir, 'config.capnp'), capnp(port, compatibilityDate));
  const child = spawn(workerd.exe, ['serve', join(dir, 'config.capnp')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (c) => (log += c));
  child.stderr.on('data', (c) => (log += c));
  try {
    for (let attempt = 0; attempt < 100; attempt++) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        const text = await response.text();
        try {
          return JSON.parse(text);
        } catch {
          return [{ name: `workerd ${entry}`, ok: false, detail: `HTTP ${response.status}: ${text.slice(0, 500)} ${log.slice(-1500)}` }];
        }
      } catch {
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return [{ name: `workerd ${entry}`, ok: false, detail: `workerd did not answer: ${log.slice(-1500)}` }];
  } finally {
    child.kill();
  }
}

function summarize(label, results) {
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) console.log(`  FAIL ${r.name}: ${r.detail}`);
  console.log(`${label}: ${results.length - failed.length} passed, ${failed.length} failed`);
  return { label, passed: results.length - failed.length, failed: failed.length };
}

function parseReport(label, { code, output }) {
  const match = [...output.matchAll(/^\S+: (\d+) passed, (\d+) failed$/gm)].pop();
  process.stdout.write(output.split('\n').filter((l) => l.startsWith('  FAIL')).map((l) => `${l}\n`).join(''));
  if (!match) {
    console.log(`  FAIL ${label}: no report (exit ${code})\n${output.trim().slice(-2000)}`);
    console.log(`${label}: 0 passed, 1 failed`);
    return { label, passed: 0, failed: 1 };
  }
  const failed = Number(match[2]) + (code !== 0 && match[2] === '0' ? 1 : 0);
  console.log(`${label}: ${match[1]} passed, ${failed} failed`);
  return { label, passed: Number(match[1]), failed };
}

async function main() {
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? process.argv[onlyAt + 1].split(',') : ['node', 'bun', 'deno', 'workerd'];
  const runtimes = Object.fromEntries(only.filter((n) => n !== 'node').map((n) => [n, ensureRuntime(n)]));
  for (const [name, rt] of Object.entries(runtimes)) console.log(`${name} ${rt.version}  ${rt.exe}`);
  const tarball = packTarball();
  const core = prepareApp('core', tarball);
  const rows = [];
  if (only.includes('node')) rows.push(parseReport(`node-${process.versions.node}`, await run(process.execPath, ['core-main.mjs', 'node'], { cwd: core })));
  if (runtimes.bun) {
    rows.push(parseReport(`bun-${runtimes.bun.version}`, await run(runtimes.bun.exe, ['core-main.mjs', 'bun'], { cwd: core })));
    const app = prepareApp('bun', tarball);
    rows.push(parseReport('@sentry/bun', await run(runtimes.bun.exe, ['sdk-bun.mjs', 'sdk'], { cwd: app })));
    writeReadmeSnippet('bun', app);
    rows.push(parseReport('README Bun', await run(runtimes.bun.exe, ['readme-check.mjs'], { cwd: app })));
  }
  if (runtimes.deno) {
    const deno = (args, cwd) => run(runtimes.deno.exe, ['run', '-A', ...args], { cwd, env: { DENO_NO_UPDATE_CHECK: '1' } });
    rows.push(parseReport(`deno-${runtimes.deno.version}`, await deno(['core-main.mjs', 'deno'], core)));
    const app = prepareApp('deno', tarball);
    rows.push(parseReport('@sentry/deno', await deno(['sdk-deno.mjs', 'sdk'], app)));
    writeReadmeSnippet('deno', app);
    rows.push(parseReport('README Deno', await deno(['readme-check.mjs'], app)));
  }
  if (runtimes.workerd) {
    for (const date of ['2024-09-23', '2026-11-17']) rows.push(summarize(`workerd-${date}`, await runInWorkerd(runtimes.workerd, core, 'core-worker.mjs', date)));
    const app = prepareApp('cloudflare', tarball);
    rows.push(summarize('@sentry/cloudflare', await runInWorkerd(runtimes.workerd, app, 'sdk-cloudflare-worker.mjs', '2026-11-17')));
    writeReadmeSnippet('cloudflare', app);
    rows.push(summarize('README Workers', await runInWorkerd(runtimes.workerd, app, 'readme-worker.mjs', '2024-09-23')));
  }
  const passed = rows.reduce((n, r) => n + r.passed, 0);
  const failed = rows.reduce((n, r) => n + r.failed, 0);
  console.log(`\nruntimes: ${passed} passed, ${failed} failed`);
  if (failed > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
