/**
 * Fresh apps under os.tmpdir() with the packed tarball installed the way a user installs it,
 * for the slow package tests (test/package/vitest.config.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
let tarball: string | undefined;

/** Builds (when needed) and packs the package once per test process; returns the .tgz path. */
export function packTarball(): string {
  if (tarball) return tarball;
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore', timeout: 300_000 });
  const dir = mkdtempSync(join(tmpdir(), 'tcs-pack-'));
  execFileSync('npm', ['pack', '--pack-destination', dir, '--loglevel=error'], { cwd: root, stdio: 'ignore', timeout: 120_000 });
  tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  return tarball;
}

export interface App {
  dir: string;
  /** `npm install <specs>` in the app (throws with npm's output when it fails). */
  install(...specs: string[]): void;
  /** Runs `node <args>` in the app. */
  node(args: string[], env?: Record<string, string>): { status: number | null; stdout: string; stderr: string };
  /** The paths of every installed copy of `pkg` with their versions (`npm ls --all`). */
  copies(pkg: string): string[];
  remove(): void;
}

/** A fresh folder under os.tmpdir() with a package.json (`type` as given). */
export function createApp(name: string, type: 'module' | 'commonjs' = 'module'): App {
  const dir = mkdtempSync(join(tmpdir(), `tcs-${name}-`));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `tcs-${name}`, private: true, type }));
  return {
    dir,
    install(...specs) {
      const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
      if (r.status !== 0) throw new Error(`npm install ${specs.join(' ')} failed:\n${r.stderr}${r.stdout}`);
    },
    node(args, env = {}) {
      const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    copies(pkg) {
      const r = spawnSync('npm', ['ls', pkg, '--all', '--parseable', '--long'], { cwd: dir, encoding: 'utf8' });
      return r.stdout.trim().split('\n').filter(Boolean);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
