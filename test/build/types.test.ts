/**
 * The built declarations as a TypeScript user sees them: test/build/fixtures/consumer.ts checked
 * with `tsc` under moduleResolution node16, nodenext, bundler and node10 (typesVersions).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

const SETTINGS = [
  { moduleResolution: 'node16', module: 'node16' },
  { moduleResolution: 'nodenext', module: 'nodenext' },
  { moduleResolution: 'bundler', module: 'esnext' },
  { moduleResolution: 'node10', module: 'commonjs' },
];

describe('type declarations in a consumer project', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'index.d.ts'))) execFileSync('npx', ['tsup'], { cwd: root, stdio: 'ignore', timeout: 240_000 });
    dir = mkdtempSync(join(tmpdir(), 'tcs-types-'));
    mkdirSync(join(dir, 'node_modules'));
    // The package as installed (a link: its own @sentry/core types resolve from the repository).
    symlinkSync(root, join(dir, 'node_modules', 'tracing-channel-span'), 'dir');
    symlinkSync(join(root, 'node_modules', '@sentry'), join(dir, 'node_modules', '@sentry'), 'dir');
    copyFileSync(join(__dirname, 'fixtures', 'consumer.ts'), join(dir, 'consumer.ts'));
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const { moduleResolution, module } of SETTINGS) {
    it(`moduleResolution ${moduleResolution}: every entry resolves and getSpan gets data: { sql: string }`, () => {
      const type = module === 'commonjs' ? 'commonjs' : 'module';
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type }));
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true, noEmit: true, skipLibCheck: true, target: 'es2022', lib: ['es2022', 'esnext.disposable'],
            module, moduleResolution, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')],
          },
          files: ['consumer.ts'],
        }),
      );
      const r = spawnSync(process.execPath, [tsc, '-p', dir], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      expect(r.stdout + r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }
});
