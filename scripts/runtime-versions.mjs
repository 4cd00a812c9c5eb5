#!/usr/bin/env node
// Installs the non-Node runtimes this package supports from the npm packages that carry their
// official binaries, into the git-ignored cache `.cache/runtimes/<name>` (never globally), and
// reuses them when present:
//   bun     @oven/bun-<os>-<arch>
//   deno    deno (its binary comes in the optional @deno/<os>-<arch>-<libc> package)
//   workerd @cloudflare/workerd-<os>-<arch>
//
//   node scripts/runtime-versions.mjs                 install (or reuse) all three, print them
//   node scripts/runtime-versions.mjs bun deno
//
// Also imported by scripts/runtimes.mjs (`ensureRuntime`).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** One npm prefix per runtime (git-ignored through `.cache/`). */
export const RUNTIMES_DIR = join(ROOT, '.cache', 'runtimes');

/** The versions the package is tested on (the lowest SPEC §1 supports, measured in FIELD-NOTES). */
export const RUNTIME_VERSIONS = { bun: '1.4.5', deno: '2.9.6', workerd: '1.20261117.1' };

const ARCH = { x64: 'x64', arm64: 'aarch64' };

/** The npm package that carries `name`'s binary for this platform, and where the binary is in it. */
export function runtimePackage(name, platform = process.platform, arch = process.arch) {
  if (name === 'bun') return { pkg: `@oven/bun-${platform}-${arch}`, find: (dir) => [join(dir, 'bin', 'bun')] };
  if (name === 'deno') {
    return {
      pkg: 'deno',
      // npm installs the binary package of this platform as an optional dependency of `deno`.
      find: (dir) => {
        const scope = join(dir, '..', '@deno');
        const names = existsSync(scope) ? readdirSync(scope) : [];
        return names.filter((n) => n.startsWith(`${platform}-${ARCH[arch] ?? arch}`) || n.startsWith(`${platform}-${arch}`)).map((n) => join(scope, n, 'deno'));
      },
    };
  }
  if (name === 'workerd') {
    const os = platform === 'win32' ? 'windows' : platform;
    return { pkg: `@cloudflare/workerd-${os}-${arch === 'x64' ? '64' : arch}`, find: (dir) => [join(dir, 'bin', 'workerd')] };
  }
  throw new TypeError(`runtime-versions: unknown runtime ${JSON.stringify(name)} (bun, deno or workerd)`);
}

function versionOf(name, exe) {
  const out = spawnSync(exe, ['--version'], { encoding: 'utf8' });
  if (out.status !== 0) return undefined;
  const match = /(\d+\.\d+\.\d+)/.exec(out.stdout);
  return match ? match[1] : out.stdout.trim();
}

function findInstalled(name) {
  const { pkg, find } = runtimePackage(name);
  const pkgDir = join(RUNTIMES_DIR, name, 'node_modules', ...pkg.split('/'));
  if (!existsSync(pkgDir)) return undefined;
  for (const exe of find(pkgDir)) {
    if (!existsSync(exe)) continue;
    const version = versionOf(name, exe);
    if (version) return { name, version, exe };
  }
  return undefined;
}

/**
 * Makes sure `name` (bun, deno, workerd) is installed in `.cache/runtimes/<name>` and returns
 * `{ name, version, exe }`. Throws with npm's last lines when it cannot be installed.
 */
export function ensureRuntime(name, { log = console.error } = {}) {
  const cached = findInstalled(name);
  if (cached) return cached;
  const { pkg } = runtimePackage(name);
  const prefix = join(RUNTIMES_DIR, name);
  mkdirSync(prefix, { recursive: true });
  log(`runtime-versions: installing ${pkg}@${RUNTIME_VERSIONS[name]} into ${prefix}`);
  const out = spawnSync(
    'npm',
    ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `${pkg}@${RUNTIME_VERSIONS[name]}`],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const found = out.status === 0 ? findInstalled(name) : undefined;
  if (found) return found;
  const why = (out.stderr || out.stdout || `exit ${out.status}`).trim().split('\n').slice(-3).join(' | ');
  throw new Error(`runtime-versions: could not install ${pkg}@${RUNTIME_VERSIONS[name]}: ${why}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(RUNTIME_VERSIONS);
    for (const { name, version, exe } of names.map((n) => ensureRuntime(n))) console.log(`${name} ${version}  ${exe}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
