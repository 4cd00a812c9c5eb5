/**
 * The built package as users load it: every subpath from ESM and CommonJS in plain Node, the
 * exports map's shape, and importing `.` without the optional peers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const SUBPATHS = ['.', './otel', './redis', './nitro', './ai', './graphql', './mysql2', './fastify', './pino', './publish', './testing', './inspect'];
const specifier = (sub: string) => (sub === '.' ? 'tracing-channel-span' : `tracing-channel-span/${sub.slice(2)}`);

function node(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What loading a subpath prints to stderr: nothing, except the inspector's report on exit. */
function quietStderr(sub: string): RegExp {
  return sub === './inspect' ? /^tracing-channel-span\/inspect: \d+ tracing channel\(s\)[^]*$/ : /^$/;
}

describe('package', () => {
  beforeAll(() => {
    const outputs = SUBPATHS.flatMap((sub) => ['js', 'cjs'].map((ext) => join(root, 'dist', `${sub === '.' ? 'index' : sub.slice(2)}.${ext}`)));
    if (outputs.some((file) => !existsSync(file))) {
      execFileSync('npx', ['tsup'], { cwd: root, stdio: 'ignore', timeout: 240_000 });
    }
  }, 300_000);

  it('exports every SPEC subpath with types first in each condition', () => {
    expect(Object.keys(pkg.exports).sort()).toEqual([...SUBPATHS, './package.json'].sort());
    for (const sub of SUBPATHS) {
      for (const condition of ['import', 'require']) {
        const entry = pkg.exports[sub][condition];
        expect(Object.keys(entry)[0]).toBe('types');
        expect(existsSync(join(root, entry.default))).toBe(true);
        expect(existsSync(join(root, entry.types))).toBe(true);
      }
    }
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.peerDependencies['@sentry/core']).toBe('>=10.61.0 <12');
    expect(pkg.dependencies?.['@sentry/core']).toBeUndefined();
    expect(pkg.engines.node).toBe('>=20.19');
  });

  for (const sub of SUBPATHS) {
    it(`require('${specifier(sub)}') works in plain Node`, () => {
      const r = node(['-e', `const m = require(${JSON.stringify(specifier(sub))}); console.log(Object.keys(m).length)`]);
      expect(r.stderr).toMatch(quietStderr(sub));
      expect(r.status).toBe(0);
    });
    it(`import '${specifier(sub)}' works in plain Node`, () => {
      const r = node([
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(specifier(sub))}); console.log(Object.keys(m).length)`,
      ]);
      expect(r.stderr).toMatch(quietStderr(sub));
      expect(r.status).toBe(0);
    });
  }

  it("the built core does not bundle @sentry/core (one copy of Sentry's global state)", () => {
    for (const file of ['dist/index.js', 'dist/index.cjs']) {
      const text = readFileSync(join(root, file), 'utf8');
      expect(text).not.toMatch(/function getMainCarrier/);
    }
  });

  it("importing '.' loads neither @opentelemetry/api nor @sentry/opentelemetry", () => {
    const r = node([
      '-e',
      `require('tracing-channel-span'); const loaded = Object.keys(require.cache).filter((p) => /@opentelemetry|@sentry[\\\\/]opentelemetry/.test(p)); console.log(JSON.stringify(loaded))`,
    ]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual([]);
  });

  it('without process.getBuiltinModule, CommonJS loads the builtins through require: binding works at once', () => {
    const script = `
      process.getBuiltinModule = undefined;
      const { bindTracingChannelToSpan, setScopePairAsyncContextStrategy } = require('tracing-channel-span');
      let calls = 0;
      const b = bindTracingChannelToSpan('no-gbm:cjs', () => { calls++; return undefined; });
      require('node:diagnostics_channel').tracingChannel('no-gbm:cjs').traceSync(() => 1, {});
      b.unbind(); b.unbind();
      console.log(JSON.stringify({ calls, strategy: setScopePairAsyncContextStrategy() }));
    `;
    const r = node(['-e', script]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ calls: 1, strategy: true });
  });

  it('without process.getBuiltinModule and require (ESM), importing never throws and binding works once import() arrived', () => {
    const script = `
      process.getBuiltinModule = undefined;
      const { bindTracingChannelToSpan, setScopePairAsyncContextStrategy } = await import('tracing-channel-span');
      const early = bindTracingChannelToSpan('no-gbm:esm', () => undefined);
      early.unbind();
      await new Promise((resolve) => setTimeout(resolve, 50));
      let calls = 0;
      const b = bindTracingChannelToSpan('no-gbm:esm', () => { calls++; return undefined; });
      (await import('node:diagnostics_channel')).tracingChannel('no-gbm:esm').traceSync(() => 1, {});
      b.unbind();
      console.log(JSON.stringify({ calls, strategy: setScopePairAsyncContextStrategy() }));
    `;
    const r = node(['--input-type=module', '-e', script]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ calls: 1, strategy: true });
  });

  it("'./testing' and './inspect' load no @sentry/* module (no Sentry needed)", () => {
    const r = node([
      '-e',
      `require('tracing-channel-span/testing'); require('tracing-channel-span/inspect'); console.log(JSON.stringify(Object.keys(require.cache).filter((p) => /@sentry/.test(p))))`,
    ]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual([]);
  });

  it('node --import tracing-channel-span/inspect: the built preload reports an ESM app', () => {
    const r = node(['--import', 'tracing-channel-span/inspect', join(root, 'test', 'unit', 'inspect', 'fixtures', 'small-app.mjs')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('app stdout line 1');
    expect(r.stderr).toMatch(/^app\.query +2 +2 +2 +2 +1 +yes +no +db, error, result, sql$/m);
  });

  it('node --require tracing-channel-span/inspect: the built preload reports a CommonJS app', () => {
    const r = node(['--require', 'tracing-channel-span/inspect', join(root, 'test', 'unit', 'inspect', 'fixtures', 'small-app.cjs')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('cjs stdout\n');
    expect(r.stderr).toMatch(/^cjs\.job +1 +1 +0 +0 +0 +yes +no +id, queue, result$/m);
  });

  it('bindings from the ESM and the CommonJS build on one channel both run (one shared registry)', () => {
    const r = node([
      '--input-type=module',
      '-e',
      `
      import { createRequire } from 'node:module';
      const require = createRequire(process.cwd() + '/');
      const { tracingChannel } = await import('node:diagnostics_channel');
      const esm = await import('tracing-channel-span');
      const cjs = require('tracing-channel-span');
      esm.setScopePairAsyncContextStrategy();
      const calls = { esm: 0, cjs: 0 };
      esm.bindTracingChannelToSpan('shared', () => { calls.esm++; return undefined; });
      cjs.bindTracingChannelToSpan('shared', () => { calls.cjs++; return undefined; });
      tracingChannel('shared').traceSync(() => undefined, {});
      console.log(JSON.stringify(calls));
      `,
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ esm: 1, cjs: 1 });
  });
});
