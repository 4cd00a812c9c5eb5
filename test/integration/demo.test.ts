/**
 * `npm run demo` as a user runs it: a child process (the same Node as the tests, no SENTRY_DSN)
 * that starts its own redis-server and h3 + srvx app, sends itself real requests and prints one
 * waterfall per trace. Run twice: with redis-server, and with `DEMO_REDIS_SERVER_BIN=/nonexistent`
 * standing in for a machine without it. The waterfalls are parsed back into rows (indent = depth)
 * so the assertions check the span tree, not just that some words appear.
 */
import { execFile } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { skipWithoutRedisServer } from '../helpers/redis-server';
import { findMariadbBinaries } from '../helpers/mariadb-server';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TIMEOUT_MS = 120_000;
const INCOMING_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING_PARENT_SPAN_ID = '00f067aa0ba902b7';

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One row of a drawn waterfall. */
interface Row {
  depth: number;
  name: string;
  line: string;
}

/** One drawn trace: its header line and rows. */
interface Trace {
  header: string;
  rows: Row[];
}

/** Runs `npm run demo` with the test's own Node first on PATH; never rejects on a non-zero exit. */
function runDemo(extraEnv: Record<string, string>): Promise<DemoRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '', NO_COLOR: '1', ...extraEnv };
  delete env.SENTRY_DSN;
  if (!('DEMO_REDIS_SERVER_BIN' in extraEnv)) delete env.DEMO_REDIS_SERVER_BIN;
  if (!('DEMO_MARIADBD_BIN' in extraEnv)) delete env.DEMO_MARIADBD_BIN;
  env.PATH = `${dirname(process.execPath)}:${env.PATH ?? ''}`;
  return new Promise((done) => {
    execFile('npm', ['run', 'demo'], { cwd: ROOT, env, timeout: TIMEOUT_MS - 10_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** Splits the output into drawn traces (a `trace <id>` header followed by rows with a bar). */
function parseTraces(stdout: string): Trace[] {
  const traces: Trace[] = [];
  let current: Trace | undefined;
  for (const line of stdout.split('\n')) {
    if (/^trace [0-9a-f]{32} /.test(line)) {
      current = { header: line, rows: [] };
      traces.push(current);
    } else if (current && line.includes('█')) {
      const label = line.slice(0, 44);
      const indent = label.length - label.trimStart().length;
      current.rows.push({ depth: indent / 2, name: label.trim(), line });
    } else {
      current = undefined;
    }
  }
  return traces;
}

/** The trace whose root row has this name (the `n`th such trace). */
function traceRootedAt(traces: Trace[], rootName: string, n = 0): Trace {
  const found = traces.filter((t) => t.rows[0]?.name === rootName);
  expect(found.length, `traces rooted at ${rootName}`).toBeGreaterThan(n);
  return found[n]!;
}

/** The rows directly under `rows[index]`. */
function childrenOf(rows: Row[], index: number): Row[] {
  const children: Row[] = [];
  for (let i = index + 1; i < rows.length && rows[i]!.depth > rows[index]!.depth; i++) {
    if (rows[i]!.depth === rows[index]!.depth + 1) children.push(rows[i]!);
  }
  return children;
}

function expectSharedRoutes(stdout: string, traces: Trace[]): void {
  // the core section still comes first
  expect(traces[0]!.rows[0]!.name).toBe('core demo');
  expect(traces[0]!.rows.find((r) => r.name === 'job save (fails)')!.line).toContain('✗ the disk is full');

  const chat = traceRootedAt(traces, 'POST /chat');
  const handler = chat.rows.findIndex((r) => r.name === 'request handler - /chat');
  const agentIndex = chat.rows.findIndex((r) => r.name === 'invoke_agent weather-agent');
  expect(childrenOf(chat.rows, handler).map((r) => r.name)).toEqual(['invoke_agent weather-agent']);
  expect(childrenOf(chat.rows, agentIndex).map((r) => r.name)).toEqual(['chat gpt-demo', 'execute_tool weather', 'chat gpt-demo']);
  expect(chat.rows[agentIndex]!.line).toContain('gen_ai.usage.input_tokens=113');
  expect(chat.rows[0]!.line).toContain('http.response.status_code=200');

  const stream = traceRootedAt(traces, 'GET /stream');
  expect(stream.rows.map((r) => [r.depth, r.name])).toEqual([
    [0, 'GET /stream'],
    [1, 'request handler - /stream'],
    [2, 'invoke_agent'],
    [3, 'chat gpt-demo'],
  ]);
  expect(stream.rows[2]!.line).toContain('gen_ai.usage.output_tokens=7');

  const boom = traceRootedAt(traces, 'GET /boom');
  expect(boom.rows[0]!.line).toContain('✗');
  expect(boom.rows[0]!.line).toContain('http.response.status_code=500');
  expect(boom.rows[1]!.line).toContain('✗ the database is on fire');
  expect(stdout.match(/captured by Sentry: Error: the database is on fire/g)).toHaveLength(1);

  const notFound = traceRootedAt(traces, 'GET /nope');
  expect(notFound.rows).toHaveLength(1);
  expect(notFound.rows[0]!.line).toContain('http.response.status_code=404');
  expect(notFound.rows[0]!.line).not.toContain('✗');

  const continued = traces.filter((t) => t.header.startsWith(`trace ${INCOMING_TRACE_ID} `));
  expect(continued).toHaveLength(1);
  expect(continued[0]!.header).toContain(`continues remote parent span ${INCOMING_PARENT_SPAN_ID}`);
  expect(continued[0]!.rows[0]!.name).toBe('GET /users/:id');

  expect(stdout.match(/^  Sentry log from pino: info "user served" userId=42 cache=\w+$/gm)).toHaveLength(2);
  if (Number(process.versions.node.split('.')[0]) >= 22) {
    const graphql = traceRootedAt(traces, 'POST /graphql');
    expect(graphql.rows.map((r) => [r.depth, r.name])).toEqual([
      [0, 'POST /graphql'],
      [1, 'request handler - /graphql'],
      [2, 'graphql.parse'],
      [2, 'graphql.validate'],
      [2, 'query GetUser'],
      [3, 'load user from database'],
    ]);
  } else {
    expect(stdout).toContain('POST /graphql  (skipped: graphql 17 needs Node 22+');
  }

  expect(stdout).toContain('(set SENTRY_DSN to also send these traces to Sentry)');
}

const skipRedis = skipWithoutRedisServer('npm run demo with redis-server (test/integration/demo.test.ts)');

describe('npm run demo', () => {
  it.skipIf(skipRedis)(
    'demo run with redis-server exits 0: redis command spans under the routes and the AI tool, the continued trace, one captured 500',
    async () => {
      const { code, stdout, stderr } = await runDemo({});
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/^redis: redis-server started on 127\.0\.0\.1:\d+, node-redis and ioredis connected$/m);
      const traces = parseTraces(stdout);
      expectSharedRoutes(stdout, traces);

      const miss = traceRootedAt(traces, 'GET /users/:id', 0);
      expect(miss.rows[0]!.line).toContain('http.route="/users/:id"');
      const handler = miss.rows.findIndex((r) => r.name === 'request handler - /users/:id');
      expect(childrenOf(miss.rows, handler).map((r) => r.name)).toEqual(['GET', 'load user from database', 'SET', 'INCR']);
      expect(miss.rows.find((r) => r.name === 'GET')!.line).toContain('db.query.text="GET user:42"');
      expect(miss.rows.find((r) => r.name === 'INCR')!.line).toContain('db.query.text="INCR user:42:views"');

      const hit = traceRootedAt(traces, 'GET /users/:id', 1);
      expect(hit.header.startsWith(`trace ${INCOMING_TRACE_ID} `)).toBe(true);
      expect(hit.rows.map((r) => [r.depth, r.name])).toEqual([
        [0, 'GET /users/:id'],
        [1, 'request handler - /users/:id'],
        [2, 'GET'],
        [2, 'INCR'],
      ]);

      const chat = traceRootedAt(traces, 'POST /chat');
      const tool = chat.rows.findIndex((r) => r.name === 'execute_tool weather');
      const toolChildren = childrenOf(chat.rows, tool);
      expect(toolChildren.map((r) => r.name)).toEqual(['GET', 'SET']);
      expect(toolChildren[0]!.line).toContain('db.query.text="GET forecast:berlin"');

      // MariaDB is optional for the demo: with it, the /orders route runs mysql2 on a pool
      if (findMariadbBinaries()) {
        expect(stdout).toMatch(/^mariadb: mariadbd started on 127\.0\.0\.1:\d+, a mysql2 pool of 3 connections$/m);
        const orders = traceRootedAt(traces, 'GET /orders/:userId');
        const ordersHandler = orders.rows.findIndex((r) => r.name === 'request handler - /orders/:userId');
        const statements = childrenOf(orders.rows, ordersHandler).filter((r) => r.line.includes('db.query.text'));
        expect(statements.map((r) => r.line.match(/db\.query\.text="([^"]*)"/)![1])).toEqual([
          'SELECT id, item FROM orders WHERE user_id = ? ORDER BY id',
          'SELECT COUNT(*) AS n FROM orders WHERE user_id <> ?',
        ]);
      }
    },
    TIMEOUT_MS,
  );

  it(
    'demo run without redis-server and MariaDB exits 0: one clear "not installed" line each, no db spans, every other route traced',
    async () => {
      const { code, stdout, stderr } = await runDemo({ DEMO_REDIS_SERVER_BIN: '/nonexistent', DEMO_MARIADBD_BIN: '/nonexistent' });
      expect(code, stderr).toBe(0);
      expect(stdout).toMatch(/^mariadb: mariadbd not installed \(apt-get install -y mariadb-server\); no \/orders route$/m);
      expect(stdout).not.toContain('GET /orders');
      expect(stdout.match(/redis-server not installed/g)).toHaveLength(1);
      expect(stdout).toMatch(/^redis: redis-server not installed \(apt-get install -y redis-server\); the routes run without redis$/m);
      expect(stdout).toContain('{"id":"42","name":"Ada Lovelace","redis":"not installed"}');
      expect(stdout).not.toContain('db.query.text');
      const traces = parseTraces(stdout);
      expectSharedRoutes(stdout, traces);

      for (const n of [0, 1]) {
        const users = traceRootedAt(traces, 'GET /users/:id', n);
        expect(users.rows.map((r) => r.name)).toEqual(['GET /users/:id', 'request handler - /users/:id', 'load user from database']);
      }
      const chat = traceRootedAt(traces, 'POST /chat');
      const tool = chat.rows.findIndex((r) => r.name === 'execute_tool weather');
      expect(childrenOf(chat.rows, tool)).toHaveLength(0);
    },
    TIMEOUT_MS,
  );
});
