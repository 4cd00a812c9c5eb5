#!/usr/bin/env node
// `node scripts/nitro3.mjs install`: installs Nitro 3 (the version test/helpers/nitro3-app.ts
// builds its app with) into .cache/nitro3/<version>, once. Used by .ci/run and by developers.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '3.0.260903-beta';
const dir = join(fileURLToPath(new URL('..', import.meta.url)), '.cache', 'nitro3', VERSION);
if (existsSync(join(dir, 'node_modules', 'nitro', 'dist', 'cli', 'index.mjs'))) {
  console.log(`nitro ${VERSION}: already in ${dir}`);
} else {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', `nitro@${VERSION}`], { cwd: dir, stdio: 'inherit' });
  console.log(`nitro ${VERSION}: installed in ${dir}`);
}
