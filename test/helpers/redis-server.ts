/**
 * A throwaway `redis-server` for tests, benchmarks and load scripts.
 *
 * Stable API (other helpers import it):
 * - `findRedisServerBinary()`: the binary's path, or `undefined` when it is not installed.
 * - `startRedisServer()`: starts one server on a free loopback port with persistence off, waits until
 *   it answers `PING`, and resolves `{ port, url, stop }`; resolves `undefined` when the binary is
 *   missing (never throws for that).
 * - `skipWithoutRedisServer(suite)`: for `describe.skipIf(...)`. `true` (skip) when the binary is
 *   missing, after printing one line that says why; under `CI` it throws instead, so the suite fails
 *   rather than silently skipping.
 *
 * The binary is `$REDIS_SERVER_BIN` when set, otherwise `redis-server` from `PATH`
 * (Debian/Ubuntu: `apt-get install -y redis-server`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';

/** One running `redis-server`, owned by the caller. */
export interface RedisServer {
  /** The loopback port it listens on (host is always `127.0.0.1`). */
  port: number;
  /** `redis://127.0.0.1:<port>`, usable by both `redis` (node-redis) and `ioredis`. */
  url: string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisServer}. */
export interface StartRedisServerOptions {
  /** How long to wait for the first `PONG`, in ms. Default 10000. */
  readyTimeoutMs?: number;
  /** Extra `redis-server` arguments, appended after the defaults. */
  extraArgs?: string[];
}

const STARTUP_ATTEMPTS = 3;
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Absolute path of the `redis-server` binary, or `undefined` when none is installed. */
export function findRedisServerBinary(): string | undefined {
  const fromEnv = process.env.REDIS_SERVER_BIN;
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'redis-server');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * For `describe.skipIf(skipWithoutRedisServer('redis integration'))(...)`.
 * Returns `false` when `redis-server` is installed. When it is missing: prints one line naming the
 * suite and the install command and returns `true`; under `CI` (any non-empty value but `false`/`0`)
 * throws, so a CI run without Redis fails instead of passing with skipped tests.
 */
export function skipWithoutRedisServer(suite: string): boolean {
  if (findRedisServerBinary()) return false;
  const why = `redis-server not found (PATH or $REDIS_SERVER_BIN); install it with: apt-get install -y redis-server`;
  if (isCi()) throw new Error(`${suite}: ${why}. Under CI the Redis tests must run, not skip.`);
  // eslint-disable-next-line no-console
  console.warn(`[skip] ${suite}: ${why}`);
  return true;
}

/**
 * Starts `redis-server --port <free> --bind 127.0.0.1 --save '' --appendonly no` and resolves once it
 * answers `PING`. Resolves `undefined` when the binary is missing. Rejects when the server does not
 * come up (after a few attempts on fresh ports, in case another process took the port meanwhile).
 * Servers still running when the process exits are killed.
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServer | undefined> {
  const binary = findRedisServerBinary();
  if (!binary) return undefined;
  let lastError: unknown;
  for (let attempt = 0; attempt < STARTUP_ATTEMPTS; attempt++) {
    try {
      return await startOnce(binary, options);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startOnce(binary: string, options: StartRedisServerOptions): Promise<RedisServer> {
  const port = await findFreePort();
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    ...(options.extraArgs ?? []),
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  child.once('error', (error) => collect(Buffer.from(String(error))));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 10_000);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(child);
    }
    await exited;
  };

  while (true) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`redis-server on port ${port} exited before answering (code ${child.exitCode}): ${output.trim()}`);
    }
    if (await answersPing(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server on port ${port} did not answer PING in time: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { port, url: `redis://127.0.0.1:${port}`, stop };
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('error', () => finish(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) finish(reply.startsWith('+PONG'));
    });
  });
}

function findFreePort(): Promise<number> {
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

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const proc of running) proc.kill('SIGKILL');
    });
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}
