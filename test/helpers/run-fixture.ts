import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a finished fixture process left behind. */
export interface FixtureRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The JSON after the first `<prefix> ` line on stdout, or `undefined`. */
  line(prefix: string): any;
  /** The `console.warn` lines of this package (`[tracing-channel-span] …`) on stderr. */
  warnings(): string[];
}

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs `node [nodeArgs] script` to completion with `env` added, from `cwd` (default the repository
 * root). Rejects after `timeoutMs` with the output so far.
 */
export function runFixture(
  script: string,
  env: Record<string, string>,
  options: { nodeArgs?: string[]; cwd?: string; timeoutMs?: number } = {},
): Promise<FixtureRun> {
  const { nodeArgs = ['--import', 'tsx'], cwd = root, timeoutMs = 60_000 } = options;
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fixture ${script} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout,
        stderr,
        line(prefix) {
          const found = stdout.split('\n').find((l) => l.startsWith(`${prefix} `));
          return found === undefined ? undefined : JSON.parse(found.slice(prefix.length + 1));
        },
        warnings: () => stderr.split('\n').filter((l) => l.includes('[tracing-channel-span]')),
      });
    });
  });
}

/** The absolute path of a fixture under test/integration/fixtures/. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../integration/fixtures/${name}`, import.meta.url));
}
