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
import { createConnection } from 'node:net';
import { delimiter, join } from 'node:path';
import { findFreePort, isExecutable, skipUnlessInstalled, spawnServer, waitUntilReady, withStartupRetries } from './server-process';

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
  const why = `redis-server not found (PATH or $REDIS_SERVER_BIN); install it with: apt-get install -y redis-server`;
  return skipUnlessInstalled(suite, findRedisServerBinary() !== undefined, why, 'Redis');
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
  return withStartupRetries(() => startOnce(binary, options));
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
  const server = spawnServer(binary, args, 5_000);
  await waitUntilReady(server, `redis-server on port ${port}`, () => answersPing(port), options.readyTimeoutMs ?? 10_000);
  return { port, url: `redis://127.0.0.1:${port}`, stop: server.stop };
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
