/**
 * `instrumentMysql2()` against a real MariaDB (started on a free loopback port with a temp
 * datadir), the real mysql2 driver, and a real `@sentry/core` client (scope-pair strategy)
 * recording every span that ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SentryNonRecordingSpan, getActiveSpan, spanToJSON, startSpan, withActiveSpan, type Span } from '@sentry/core';
import mysql from 'mysql2';
import { setScopePairAsyncContextStrategy } from '../../src/index';
import { instrumentMysql2 } from '../../src/mysql2';
import { instrumentEachTest } from '../helpers/instrumentation-per-test';
import { installRecordingClient, type Recorder } from '../helpers/test-client';
import { skipWithoutMariadbServer, startMariadbServer, type MariadbServer } from '../helpers/mariadb-server';

type Json = ReturnType<typeof spanToJSON>;
const skip = skipWithoutMariadbServer('mysql2 integration tests (test/integration/mysql2.test.ts)');

function ops(recorder: Recorder, op: string): Json[] {
  return recorder.ended.filter((s) => s.attributes?.['sentry.op'] === op);
}

function query(conn: mysql.Connection | mysql.Pool, sql: string, values?: unknown[]): Promise<{ rows: unknown; active: Span | undefined }> {
  return new Promise((resolve, reject) => {
    conn.query(sql, values ?? [], (error, rows) => {
      if (error) reject(Object.assign(error, { active: getActiveSpan() }));
      else resolve({ rows, active: getActiveSpan() });
    });
  });
}

describe.skipIf(skip)('instrumentMysql2 with a real MariaDB', () => {
  let server: MariadbServer;
  let recorder: Recorder;
  const instrumentation = instrumentEachTest(() => instrumentMysql2(), () => recorder);
  let conn: mysql.Connection;
  const config = () => ({ host: server.host, port: server.port, user: server.user, database: server.database });

  beforeAll(async () => {
    server = (await startMariadbServer())!;
    setScopePairAsyncContextStrategy();
    recorder = installRecordingClient();
    conn = mysql.createConnection(config());
    await conn.promise().query('CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(64))');
    await conn.promise().query("INSERT INTO users VALUES (1, 'ada'), (2, 'grace'), (3, 'edsger')");
  });

  afterAll(async () => {
    conn?.destroy();
    await server?.stop();
  });

  const base = () => ({
    'sentry.op': 'db',
    'sentry.origin': 'auto.db.mysql2.tracing_channel_span',
    'db.system.name': 'mysql',
    'db.namespace': 'test',
    'server.address': '127.0.0.1',
    'server.port': server.port,
  });

  it('traceCallback query ok: one span without the bound values, child of the caller; the callback runs in the caller span', async () => {
    let parent!: Span;
    const { rows, active } = await startSpan({ name: 'request' }, (span) => {
      parent = span;
      return query(conn, "SELECT 1 + ? AS n, ? AS s, 'lit' AS l", [41, "ada's secret"]);
    });
    expect(rows).toEqual([{ n: 42, s: "ada's secret", l: 'lit' }]);
    expect(active).toBe(parent);
    const spans = ops(recorder, 'db');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.name).toBe('SELECT ? + ? AS n, ? AS s, ? AS l');
    expect(spans[0]!.attributes!).toEqual({ ...base(), 'db.query.text': 'SELECT ? + ? AS n, ? AS s, ? AS l', 'db.operation.name': 'SELECT' });
    expect(spans[0]!.parent_span_id).toBe(parent.spanContext().spanId);
    expect(spans[0]!.status).toBe('ok');
    expect(JSON.stringify(recorder.ended)).not.toContain('secret');
  });

  it('traceCallback execute ok: the placeholder text as published, values never recorded', async () => {
    const rows = await startSpan({ name: 'request' }, () =>
      new Promise((resolve, reject) => conn.execute('SELECT name FROM users WHERE id = ?', [2], (e, r) => (e ? reject(e) : resolve(r)))),
    );
    expect(rows).toEqual([{ name: 'grace' }]);
    const spans = ops(recorder, 'db');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes!).toEqual({ ...base(), 'db.query.text': 'SELECT name FROM users WHERE id = ?', 'db.operation.name': 'SELECT' });
    expect(spans[0]!.name).toBe('SELECT name FROM users WHERE id = ?');
  });

  it('traceCallback error: the span fails with db.response.status_code, nothing is captured, the caller gets the error', async () => {
    const error = await startSpan({ name: 'request' }, () => query(conn, 'SELECT * FROM nope WHERE id = ?', [7]).catch((e) => e));
    expect(error.code).toBe('ER_NO_SUCH_TABLE');
    const spans = ops(recorder, 'db');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status).toBe('error');
    expect(spans[0]!.attributes!['db.response.status_code']).toBe('1146');
    expect(spans[0]!.attributes!['error.type']).toBe('Error');
    expect(spans[0]!.attributes!['db.query.text']).toBe('SELECT * FROM nope WHERE id = ?');
    expect(recorder.captures).toHaveLength(0);
  });

  it('traceCallback error: values the server echoes in its message (syntax error, duplicate key) stay out of the span', async () => {
    await startSpan({ name: 'request' }, async () => {
      await query(conn, 'SELEC ? AS x', ['syntax-secret']).catch(() => undefined);
      await query(conn, 'INSERT INTO users VALUES (?, ?)', [1, 'dup-secret']).catch(() => undefined);
    });
    const spans = ops(recorder, 'db');
    expect(spans.map((s) => [s.attributes!['db.response.status_code'], s.attributes!['sentry.status.message']])).toEqual([
      ['1064', 'You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near ?'],
      ['1062', 'Duplicate entry ? for key ?'],
    ]);
    expect(JSON.stringify(spans)).not.toContain('secret');
  });

  it('promise API on a connection: one span per statement, results as without tracing', async () => {
    const p = conn.promise();
    const [rows] = await startSpan({ name: 'request' }, () => p.query('SELECT id FROM users WHERE name IN (?) ORDER BY id', [['ada', 'edsger']]));
    const [executed] = await startSpan({ name: 'request' }, () => p.execute('SELECT COUNT(*) AS c FROM users WHERE id > ?', [1]));
    expect(rows).toEqual([{ id: 1 }, { id: 3 }]);
    expect(executed).toEqual([{ c: 2 }]);
    const spans = ops(recorder, 'db');
    expect(spans.map((s) => s.attributes!['db.query.text'])).toEqual([
      'SELECT id FROM users WHERE name IN (?, ?) ORDER BY id',
      'SELECT COUNT(*) AS c FROM users WHERE id > ?',
    ]);
  });

  it('event-emitter query (no callback): the span ends when the rows have streamed', async () => {
    const rows: unknown[] = [];
    await startSpan({ name: 'request' }, () =>
      new Promise<void>((resolve, reject) => {
        const q = conn.query('SELECT id FROM users ORDER BY id');
        q.on('result', (row) => rows.push(row));
        q.on('error', reject);
        q.on('end', () => resolve());
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const spans = ops(recorder, 'db');
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes!['db.query.text']).toBe('SELECT id FROM users ORDER BY id');
  });

  it('pool.query: connect nests in pool connect, the query is a sibling under the caller, the callback runs in the caller span', async () => {
    const pool = mysql.createPool({ ...config(), connectionLimit: 1 });
    try {
      let parent!: Span;
      const { rows, active } = await startSpan({ name: 'request' }, (span) => {
        parent = span;
        return query(pool, 'SELECT ? AS v', ['x']);
      });
      expect(rows).toEqual([{ v: 'x' }]);
      expect(active).toBe(parent);
      const parentId = parent.spanContext().spanId;
      const [poolConnect] = ops(recorder, 'db.pool.connect');
      const [connect] = ops(recorder, 'db.connect');
      const [statement] = ops(recorder, 'db');
      expect(poolConnect!.parent_span_id).toBe(parentId);
      expect(poolConnect!.name).toBe('pool connect');
      expect(connect!.parent_span_id).toBe(poolConnect!.span_id);
      expect(connect!.attributes!).toEqual({ ...base(), 'sentry.op': 'db.connect' });
      expect(statement!.parent_span_id).toBe(parentId);
      expect(statement!.attributes!['db.query.text']).toBe('SELECT ? AS v');
      expect(recorder.ended).toHaveLength(4); // pool connect, connect, query, request
    } finally {
      await pool.promise().end();
    }
  });

  it('10 concurrent requests on a pool of 3: exact counts, each statement under its own request, results as uninstrumented', async () => {
    const runAll = (pool: mysql.Pool) =>
      Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          startSpan({ name: `request ${i}`, forceTransaction: true }, async (span) => {
            const first = await query(pool, 'SELECT ? AS i, SLEEP(0.01) AS z', [i]);
            const second = await pool.promise().execute('SELECT name FROM users WHERE id = ?', [(i % 3) + 1]);
            return { id: span.spanContext().spanId, rows: [first.rows, second[0]], callbackSpan: first.active === span };
          }),
        ),
      );
    instrumentation.stop();
    const plainPool = mysql.createPool({ ...config(), connectionLimit: 3 });
    const plain = await runAll(plainPool);
    await plainPool.promise().end();
    expect(ops(recorder, 'db')).toHaveLength(0);

    instrumentation.replace(() => instrumentMysql2());
    recorder.reset();
    const pool = mysql.createPool({ ...config(), connectionLimit: 3 });
    try {
      const traced = await runAll(pool);
      expect(traced.map((t) => t.rows)).toEqual(plain.map((p) => p.rows));
      expect(traced.every((t) => t.callbackSpan)).toBe(true);
      const requestIds = new Set(traced.map((t) => t.id));
      const statements = ops(recorder, 'db');
      const poolConnects = ops(recorder, 'db.pool.connect');
      const connects = ops(recorder, 'db.connect');
      expect(statements).toHaveLength(20);
      expect(poolConnects).toHaveLength(20);
      expect(connects).toHaveLength(3);
      for (const span of [...statements, ...poolConnects]) expect(requestIds.has(span.parent_span_id!)).toBe(true);
      const poolIds = new Set(poolConnects.map((s) => s.span_id));
      for (const span of connects) expect(poolIds.has(span.parent_span_id!)).toBe(true);
      // each request's two statements are its own: the first carries its index only as `?`
      for (const id of requestIds) {
        const own = statements.filter((s) => s.parent_span_id === id).map((s) => s.attributes!['db.query.text']);
        expect(own).toEqual(['SELECT ? AS i, SLEEP(?) AS z', 'SELECT name FROM users WHERE id = ?']);
      }
      expect(recorder.ended.filter((s) => s.name?.startsWith('request '))).toHaveLength(10);
    } finally {
      await pool.promise().end();
    }
  });

  it('traceCallback outside any span: no span (requireParentSpan), the query still works', async () => {
    const { rows } = await query(conn, 'SELECT 5 AS five');
    expect(rows).toEqual([{ five: 5 }]);
    expect(recorder.ended).toHaveLength(0);
  });

  it('traceCallback under an unsampled trace (sampledOnly): no span, the callback keeps the unsampled span active', async () => {
    const unsampled = new SentryNonRecordingSpan();
    const pool = mysql.createPool({ ...config(), connectionLimit: 1 });
    try {
      const { rows, active } = await withActiveSpan(unsampled, () => query(pool, 'SELECT 6 AS six'));
      expect(rows).toEqual([{ six: 6 }]);
      expect(active).toBe(unsampled);
      expect(recorder.ended).toHaveLength(0);
    } finally {
      await pool.promise().end();
    }
  });

  it('requireParentSpan false and connectSpans false: a root statement span, no connect spans', async () => {
    instrumentation.replace(() => instrumentMysql2({ requireParentSpan: false, connectSpans: false }));
    const pool = mysql.createPool({ ...config(), connectionLimit: 1 });
    try {
      await query(pool, 'SELECT 5 AS five');
      expect(recorder.ended.map((s) => [s.attributes?.['sentry.op'], s.parent_span_id])).toEqual([['db', undefined]]);
    } finally {
      await pool.promise().end();
    }
  });

  it('setup twice: the same handle, one span per statement; bad options throw a TypeError naming them', async () => {
    expect(instrumentMysql2()).toBe(instrumentation.current);
    await startSpan({ name: 'request' }, () => query(conn, 'SELECT 1 AS one'));
    expect(ops(recorder, 'db')).toHaveLength(1);
    expect(() => instrumentMysql2({ connectSpans: 'yes' as never })).toThrow(/options\.connectSpans/);
    expect(() => instrumentMysql2(3 as never)).toThrow(TypeError);
  });

  it('unbind: no spans afterwards', async () => {
    instrumentation.current!.unbind();
    instrumentation.current!.unbind();
    await startSpan({ name: 'request' }, () => query(conn, 'SELECT 1 AS one'));
    expect(ops(recorder, 'db')).toHaveLength(0);
  });
});
