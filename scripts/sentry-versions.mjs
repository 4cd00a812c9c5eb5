#!/usr/bin/env node
// Installs the Sentry releases the package is tested on (the lowest and the newest of each major
// in the peer range) into the git-ignored cache `.cache/sentry/<version>/node_modules`:
// @sentry/core, @sentry/node and @sentry/opentelemetry of that one version. `vitest.config.ts`
// resolves those three to the cache when SENTRY_MATRIX_DIR points at such a folder (an alias, as
// NODE_PATH does not apply to ESM), and @sentry/node then loads its own siblings from there.
//
//   node scripts/sentry-versions.mjs                       install (or reuse) every version
//   node scripts/sentry-versions.mjs --sentry 10.61.0,11.12.0
//
// Also imported by scripts/node-matrix.mjs (`--sentry`).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Lowest and newest release of 10.x and 11.x inside the peer range `>=10.61.0 <12`. */
export const SENTRY_VERSIONS = ['10.61.0', '10.78.0', '11.0.0', '11.12.0'];

/** The packages installed per version; vitest.config.ts aliases exactly these. */
export const SENTRY_PACKAGES = ['@sentry/core', '@sentry/node', '@sentry/opentelemetry'];

export const SENTRY_CACHE_DIR = join(ROOT, '.cache', 'sentry');

/** Parses `--sentry 10.61.0,11.12.0` out of `argv`; returns `{ sentry, rest }` (`sentry` undefined when absent). */
export function parseSentryOption(argv) {
  const rest = [];
  let sentry;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let value;
    if (arg === '--sentry') value = argv[++i];
    else if (arg.startsWith('--sentry=')) value = arg.slice('--sentry='.length);
    else {
      rest.push(arg);
      continue;
    }
    sentry = value === 'all' ? SENTRY_VERSIONS : String(value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
    if (sentry.length === 0 || sentry.some((v) => !/^\d+\.\d+\.\d+$/.test(v))) {
      throw new TypeError(`--sentry expects versions such as 10.61.0,11.12.0 (or all), got ${JSON.stringify(value)}`);
    }
  }
  return { sentry, rest };
}

function installedVersion(dir, pkg) {
  try {
    return JSON.parse(readFileSync(join(dir, 'node_modules', ...pkg.split('/'), 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Makes sure `.cache/sentry/<version>` holds SENTRY_PACKAGES at `version`; returns `{ version, dir }`. */
export function ensureSentryVersion(version, { log = console.error } = {}) {
  const dir = join(SENTRY_CACHE_DIR, version);
  if (SENTRY_PACKAGES.every((pkg) => installedVersion(dir, pkg) === version)) return { version, dir };
  mkdirSync(dir, { recursive: true });
  log(`sentry-versions: installing ${SENTRY_PACKAGES.map((p) => `${p}@${version}`).join(' ')} into ${dir}`);
  const out = spawnSync(
    'npm',
    ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', ...SENTRY_PACKAGES.map((p) => `${p}@${version}`)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const wrong = SENTRY_PACKAGES.filter((pkg) => installedVersion(dir, pkg) !== version);
  if (out.status !== 0 || wrong.length > 0 || !existsSync(join(dir, 'node_modules'))) {
    const why = (out.stderr || out.stdout || `exit ${out.status}`).trim().split('\n').slice(-3).join(' | ');
    throw new Error(`sentry-versions: could not install Sentry ${version} (${wrong.join(', ') || 'npm failed'}): ${why}`);
  }
  return { version, dir };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { sentry } = parseSentryOption(process.argv.slice(2));
    for (const { version, dir } of (sentry ?? SENTRY_VERSIONS).map((v) => ensureSentryVersion(v))) console.log(`sentry ${version}  ${dir}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
