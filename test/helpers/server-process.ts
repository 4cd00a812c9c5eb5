/**
 * What the throwaway-server helpers (`redis-server.ts`, `mariadb-server.ts`) share: a free loopback
 * port, the `CI` check, an executable check, and killing servers still running at process exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A loopback port that was free a moment ago. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Kills `child` with SIGKILL if it is still running when this process exits. */
export function trackChild(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const proc of running) proc.kill('SIGKILL');
    });
  }
}

/** Whether `path` is an executable file. */
export function isExecutable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `CI` set to anything but empty, `false` or `0`. */
export function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * For `describe.skipIf(...)`: `false` when the server is installed; otherwise prints one line naming
 * the suite and why, and returns `true`, or under `CI` throws, so a CI run without the server fails
 * instead of passing with skipped tests.
 */
export function skipUnlessInstalled(suite: string, installed: boolean, why: string, server: string): boolean {
  if (installed) return false;
  if (isCi()) throw new Error(`${suite}: ${why}. Under CI the ${server} tests must run, not skip.`);
  // eslint-disable-next-line no-console
  console.warn(`[skip] ${suite}: ${why}`);
  return true;
}

/** Runs `start` up to three times (a fresh port each time, in case another process took one). */
export async function withStartupRetries<T>(start: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await start();
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** A server process started by {@link spawnServer}. */
export interface SpawnedServer {
  child: ChildProcess;
  /** The last 4000 characters the process wrote to stdout and stderr. */
  output(): string;
  /** Stops it by its PID (SIGTERM, SIGKILL after `graceMs`) and resolves once it exited. Idempotent. */
  stop(): Promise<void>;
}

/** Spawns `binary` with `args`, collecting its output; killed at process exit if still running. */
export function spawnServer(binary: string, args: string[], graceMs: number): SpawnedServer {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('error', (error) => collect(Buffer.from(String(error))));
  const exited = new Promise<void>((resolve) => {
    if (hasExited(child)) resolve();
    else child.once('exit', () => resolve());
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (!hasExited(child) && child.pid !== undefined) {
        process.kill(child.pid, 'SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await exited;
    })());
  return { child, output: () => output.trim(), stop };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Polls `ready()` until it answers `true`; stops the server and rejects when it exits first or
 * `timeoutMs` passes. `what` names the server in the error (`redis-server on port 6379`).
 */
export async function waitUntilReady(server: SpawnedServer, what: string, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    if (hasExited(server.child)) {
      await server.stop();
      throw new Error(`${what} exited before it was ready (code ${server.child.exitCode}): ${server.output()}`);
    }
    if (await ready()) return;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${what} was not ready in time: ${server.output()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
