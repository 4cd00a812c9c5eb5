/** Runs a soak fixture in a child process and returns its one marked JSON line. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What a fixture process left behind. */
export interface FixtureOutput<T> {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  result: T | undefined;
}

/** Spawns `node [nodeArgs] --import tsx test/soak/fixtures/<file>` and parses its `<mark>{json}` line. */
export function runSoakFixture<T>(file: string, mark: string, nodeArgs: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<FixtureOutput<T>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url))], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((l) => l.startsWith(mark));
      resolve({ code, signal, stderr, result: line ? (JSON.parse(line.slice(mark.length)) as T) : undefined });
    });
  });
}
