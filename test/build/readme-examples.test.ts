/**
 * The README's "For library authors" example, verbatim: its two files written to a fresh folder
 * that resolves `tracing-channel-span` to this package's build, then `node --test`, as the README says.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const built = existsSync(join(root, 'dist', 'testing.js')) && existsSync(join(root, 'dist', 'publish.js'));
const ci = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';
if (!built && !ci) console.warn('[skip] README example: no build in dist/ (run npm run build)');
const dir = mkdtempSync(join(tmpdir(), 'tcs-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ```js block whose first line is `// <file>`. */
function block(file: string): string {
  const match = new RegExp('```js\\n// ' + file.replace('.', '\\.') + '\\n([^]*?)```').exec(readme);
  if (!match) throw new Error(`README has no \`// ${file}\` block`);
  return `// ${file}\n${match[1]}`;
}

it.skipIf(!built && !ci)('README "For library authors": mylib.test.mjs passes under node --test', () => {
  writeFileSync(join(dir, 'mylib.mjs'), block('mylib.mjs'));
  writeFileSync(join(dir, 'mylib.test.mjs'), block('mylib.test.mjs'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'tracing-channel-span'), 'dir');
  const command = /```sh\n(node --test mylib\.test\.mjs)\n```/.exec(readme)?.[1];
  expect(command).toBe('node --test mylib.test.mjs');
  const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', 'mylib.test.mjs'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  expect(r.stdout).toMatch(/^# pass 1$/m);
  expect(r.stdout).toMatch(/^# fail 0$/m);
  expect(r.status).toBe(0);
});
