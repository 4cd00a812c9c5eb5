/**
 * A throwaway MariaDB server for tests, benchmarks and demos (modelled on `redis-server.ts`).
 *
 * Stable API (other helpers import it):
 * - `findMariadbBinaries()`: `{ server, installDb }` paths, or `undefined` when either is missing.
 * - `startMariadbServer()`: installs a temp datadir with `mariadb-install-db`, starts `mariadbd` on
 *   a free loopback port as the current user (no grant changes: `root` over TCP without a
 *   password), with an init file that creates the database `test`; resolves once the server greets
 *   on its port, as `{ host, port, user, database, stop }`. Resolves `undefined` when the binaries
 *   are missing (never throws for that).
 * - `skipWithoutMariadbServer(suite)`: for `describe.skipIf(...)`: `true` (skip) after printing one
 *   line when the binaries are missing; under `CI` it throws instead, so the suite fails.
 *
 * The binaries are `$MARIADBD_BIN` / `$MARIADB_INSTALL_DB_BIN` when set, otherwise `mariadbd`
 * (also searched in `/usr/sbin`) and `mariadb-install-db` from `PATH`
 * (Debian/Ubuntu: `apt-get install -y mariadb-server`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { createConnection } from 'node:net';
import { promisify } from 'node:util';
import { findFreePort, isExecutable, skipUnlessInstalled, spawnServer, waitUntilReady, withStartupRetries } from './server-process';

/** One running MariaDB server, owned by the caller. */
export interface MariadbServer {
  /** Always `127.0.0.1`. */
  host: string;
  /** The loopback port it listens on. */
  port: number;
  /** `root`: the install's own account, reachable over TCP without a password. */
  user: string;
  /** `test`, created at startup. */
  database: string;
  /** The server's process id. */
  pid: number;
  /** Stops the server by its PID (SIGTERM, SIGKILL after 10 s), then removes its datadir. Idempotent. */
  stop(): Promise<void>;
}

/** Options of {@link startMariadbServer}. */
export interface StartMariadbServerOptions {
  /** How long to wait for the server's greeting, in ms. Default 30000. */
  readyTimeoutMs?: number;
}

const DATABASE = 'test';
const run = promisify(execFile);

function findBinary(envName: string, name: string, extraDirs: string[]): string | undefined {
  const fromEnv = process.env[envName];
  if (fromEnv) return isExecutable(fromEnv) ? fromEnv : undefined;
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), ...extraDirs]) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The server and install binaries, or `undefined` when either is missing. */
export function findMariadbBinaries(): { server: string; installDb: string } | undefined {
  const server = findBinary('MARIADBD_BIN', 'mariadbd', ['/usr/sbin', '/usr/local/sbin']);
  const installDb = findBinary('MARIADB_INSTALL_DB_BIN', 'mariadb-install-db', ['/usr/bin', '/usr/local/bin']);
  return server && installDb ? { server, installDb } : undefined;
}

/**
 * For `describe.skipIf(skipWithoutMariadbServer('mysql2 integration'))(...)`: `false` when MariaDB
 * is installed; otherwise prints one line and returns `true`, or throws under `CI`.
 */
export function skipWithoutMariadbServer(suite: string): boolean {
  const why = 'mariadbd or mariadb-install-db not found (PATH, /usr/sbin or $MARIADBD_BIN); install them with: apt-get install -y mariadb-server';
  return skipUnlessInstalled(suite, findMariadbBinaries() !== undefined, why, 'MariaDB');
}

/**
 * Starts a fresh MariaDB on a free loopback port (a few attempts on fresh ports, in case another
 * process took the port meanwhile). Resolves `undefined` when the binaries are missing; rejects
 * when the server does not come up. Servers still running when the process exits are killed.
 */
export async function startMariadbServer(options: StartMariadbServerOptions = {}): Promise<MariadbServer | undefined> {
  const binaries = findMariadbBinaries();
  if (!binaries) return undefined;
  return withStartupRetries(() => startOnce(binaries, options));
}

async function startOnce(binaries: { server: string; installDb: string }, options: StartMariadbServerOptions): Promise<MariadbServer> {
  const dir = await mkdtemp(join(tmpdir(), 'tcs-mariadb-'));
  const dataDir = join(dir, 'data');
  const user = userInfo().username;
  try {
    await run(binaries.installDb, [
      '--no-defaults', `--datadir=${dataDir}`, `--user=${user}`, '--skip-test-db',
      '--auth-root-authentication-method=normal',
    ], { timeout: 60_000 });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${String((error as { stderr?: unknown }).stderr ?? error)}`);
  }
  const initFile = join(dir, 'init.sql');
  await writeFile(initFile, `CREATE DATABASE IF NOT EXISTS \`${DATABASE}\`;\n`);
  const port = await findFreePort();
  const server = spawnServer(binaries.server, [
    '--no-defaults', `--datadir=${dataDir}`, `--user=${user}`, `--port=${port}`, '--bind-address=127.0.0.1',
    `--socket=${join(dir, 'mysqld.sock')}`, `--pid-file=${join(dir, 'mysqld.pid')}`, `--init-file=${initFile}`,
    '--skip-name-resolve', '--skip-log-bin', '--innodb-buffer-pool-size=16M', '--max-connections=200',
  ], 10_000);
  const stop = async (): Promise<void> => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // the init file runs before the server accepts connections: a greeting means `test` exists
    await waitUntilReady(server, `mariadbd on port ${port}`, () => greets(port), options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { host: '127.0.0.1', port, user: 'root', database: DATABASE, pid: server.child.pid!, stop };
}

/** Whether a MySQL-protocol handshake (protocol version 10) arrives on the port. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => finish(false));
    socket.once('error', () => finish(false));
    // packet header (3 bytes length, 1 byte sequence), then the protocol version
    socket.once('data', (chunk: Buffer) => finish(chunk.length > 4 && chunk[4] === 10));
  });
}
