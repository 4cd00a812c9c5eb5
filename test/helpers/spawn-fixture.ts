/**
 * The one way tests run a fixture in a child process: `node [nodeArgs] --import tsx <file> [args]`
 * from the repository root. A fixture reports with {@link reportResult} (one marked JSON line on
 * stdout); {@link runFixture} waits for the exit and parses it. {@link startFixture} is for
 * long-running fixtures (servers) that announce themselves with a line.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Marks the one line of a fixture's stdout that carries its result. */
export const RESULT_MARK = '@@FIXTURE_RESULT@@';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KEPT_STDERR = 20_000;

/** Prints `value` as the fixture's result line (call it once, from the fixture). */
export function reportResult(value: unknown): void {
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(value)}\n`);
}

/** How to run a fixture. */
export interface FixtureOptions {
  /** Arguments after the file. */
  args?: readonly string[];
  /** Node flags before `--import tsx` (e.g. `--expose-gc`). */
  nodeArgs?: readonly string[];
  /** Added to the parent's environment (`NODE_OPTIONS` is cleared unless set here). */
  env?: NodeJS.ProcessEnv;
  /** Kill the process (SIGKILL) after this long. Default: never. */
  timeoutMs?: number;
}

/** What a fixture process left behind. */
export interface FixtureRun<T> {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last 20 000 characters of stderr. */
  stderr: string;
  /** The parsed result line, or `undefined` when the fixture printed none. */
  result: T | undefined;
}

function spawnNode(file: string, options: FixtureOptions, stdin: 'ignore' | 'pipe'): ChildProcess {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', file, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...options.env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
}

/** Runs the fixture at `file` (an absolute path) to its exit and reads its result line. */
export function runFixture<T>(file: string, options: FixtureOptions = {}): Promise<FixtureRun<T>> {
  return new Promise((resolve, reject) => {
    const child = spawnNode(file, options, 'ignore');
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-KEPT_STDERR)));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARK));
      resolve({ code, signal, stdout, stderr, result: line ? (JSON.parse(line.slice(RESULT_MARK.length)) as T) : undefined });
    });
  });
}

/** A fixture process still running. */
export interface RunningFixture {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Resolves with the rest of the first stdout line that starts with `prefix` (trimmed). */
  waitForLine(prefix: string): Promise<string>;
}

/** Starts the fixture at `file` with a piped stdin (end it to ask the fixture to stop). */
export function startFixture(file: string, options: FixtureOptions = {}): RunningFixture {
  const child = spawnNode(file, options, 'pipe');
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-KEPT_STDERR)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitForLine = (prefix: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const line = out.split('\n').find((l) => l.startsWith(prefix));
        if (line === undefined) return;
        child.stdout!.off('data', check);
        resolve(line.slice(prefix.length).trim());
      };
      child.stdout!.on('data', check);
      void exited.then((code) => reject(new Error(`process exited (${code}) before "${prefix}": ${err}`)));
      check();
    });
  return { child, stdout: () => out, stderr: () => err, exited, waitForLine };
}
