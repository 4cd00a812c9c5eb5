/**
 * A real Nitro 3 app (test/integration/fixtures/nitro3-app), built with Nitro's own CLI
 * (`nitro build`, `tracingChannel: true`) and run the way its users run it:
 * `node --import ./instrument.mjs .output/server/index.mjs`. The app folder gets a node_modules of
 * its own: Nitro's (from `scripts/nitro3.mjs install`, under .cache), the repository's, and
 * `tracing-channel-span` built from the current sources (JS only), so `instrument.mjs` imports the
 * package by name as a user's would.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NITRO3_VERSION = '3.0.260903-beta';
const root = fileURLToPath(new URL('../../', import.meta.url));
const nitroModules = join(root, '.cache', 'nitro3', NITRO3_VERSION, 'node_modules');
const source = join(root, 'test', 'integration', 'fixtures', 'nitro3-app');

/** A built app folder; `start` runs it with one `instrument.mjs`. */
export interface Nitro3Build {
  dir: string;
  start(instrument: string, env: Record<string, string>): Promise<Nitro3Server>;
  remove(): void;
}

/** A running app. */
export interface Nitro3Server {
  url: string;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  /** Ends stdin (the fixture's `flush.mjs` then closes Sentry and exits); resolves with stderr. */
  stop(): Promise<{ code: number | null; stderr: string; stdout: string }>;
}

/** Whether Nitro is installed under .cache (`node scripts/nitro3.mjs install`). */
export function hasNitro3(): boolean {
  return existsSync(join(nitroModules, 'nitro', 'dist', 'cli', 'index.mjs'));
}

function linkModules(target: string): void {
  mkdirSync(target, { recursive: true });
  for (const from of [nitroModules, join(root, 'node_modules')]) {
    for (const entry of readdirSync(from)) {
      if (entry.startsWith('.') || existsSync(join(target, entry))) continue;
      symlinkSync(join(from, entry), join(target, entry));
    }
  }
  const pkg = join(target, 'tracing-channel-span');
  mkdirSync(pkg);
  writeFileSync(join(pkg, 'package.json'), readFileSync(join(root, 'package.json')));
  execFileSync(process.execPath, [join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--no-dts', '--silent', '--out-dir', join(pkg, 'dist')], {
    cwd: root,
    stdio: 'pipe',
    timeout: 120_000,
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the Nitro app exited (${child.exitCode}): ${output()}`);
    try {
      await fetch(new URL('/__up', url));
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`the Nitro app did not listen on ${url}: ${output()}`);
}

/** A hash of the fixture's files and the Nitro version: the key of a cached `.output`. */
function fixtureHash(): string {
  const hash = createHash('sha256').update(NITRO3_VERSION);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(path.slice(source.length)).update(readFileSync(path));
    }
  };
  walk(source);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Copies the fixture to a temp folder, links its modules and runs `nitro build` there (or copies
 * the `.output` of an earlier build of the same fixture from .cache/nitro3/builds).
 */
export function buildNitro3App(): Nitro3Build {
  const dir = mkdtempSync(join(tmpdir(), 'tcs-nitro3-'));
  cpSync(source, dir, { recursive: true });
  linkModules(join(dir, 'node_modules'));
  const cached = join(root, '.cache', 'nitro3', 'builds', fixtureHash());
  if (existsSync(join(cached, 'server', 'index.mjs'))) {
    cpSync(cached, join(dir, '.output'), { recursive: true });
  } else {
    // the CLI loads nitro.config.ts; tsx lets it do so on Node 20 too
    execFileSync(process.execPath, ['--import', 'tsx', join(nitroModules, 'nitro', 'dist', 'cli', 'index.mjs'), 'build'], {
      cwd: dir,
      stdio: 'pipe',
      timeout: 120_000,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const staging = `${cached}.${process.pid}`;
    cpSync(join(dir, '.output'), staging, { recursive: true });
    try {
      renameSync(staging, cached);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another run cached it first
    }
  }
  return {
    dir,
    async start(instrument, env) {
      writeFileSync(join(dir, 'instrument.mjs'), instrument);
      const port = await freePort();
      const child = spawn(
        process.execPath,
        ['--import', './instrument.mjs', '--import', './flush.mjs', '.output/server/index.mjs'],
        { cwd: dir, env: { ...process.env, ...env, NODE_OPTIONS: '', PORT: String(port), HOST: '127.0.0.1' }, stdio: ['pipe', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const url = `http://127.0.0.1:${port}`;
      await waitUntilUp(url, child, () => stdout + stderr);
      return {
        url,
        async get(path, headers) {
          const response = await fetch(new URL(path, url), { headers });
          return { status: response.status, body: await response.text() };
        },
        async stop() {
          child.stdin!.end();
          const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
          const code = await exited;
          clearTimeout(timer);
          return { code, stderr, stdout };
        },
      };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
