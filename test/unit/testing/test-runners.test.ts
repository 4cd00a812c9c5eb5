/** checkTracingChannel inside another test runner: node:test, in a child process. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('node:test: a passing and a failing publisher, both tests pass, exit code 0', () => {
  const fixture = join(__dirname, 'fixtures', 'node-test-runner.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test-reporter=tap', fixture], { encoding: 'utf8', timeout: 60_000 });
  const output = r.stdout + r.stderr;
  expect(output).toMatch(/^# pass 2$/m);
  expect(output).toMatch(/^# fail 0$/m);
  expect(r.status).toBe(0);
});
