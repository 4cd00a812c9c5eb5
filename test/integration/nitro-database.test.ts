/**
 * `instrumentNitro()`'s database layer against the real db0 (`withTracing`): its mysql2
 * connector on a real MariaDB (every Node), and its node-sqlite connector (Node 22.5+), with a
 * real `@sentry/core` client (scope-pair strategy) recording every span that ends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spanToJSON, startSpan, type Span } from '@sentry/core';
import { createDatabase, type Database } from 'db0';
import { withTracing } from 'db0/tracing';
import mysqlConnector from 'db0/connectors/mysql2';
import sqliteConnector from 'db0/connectors/node-sqlite';
import { setScopePairAsyncContextStrategy } from '../../src/index';
import { instrumentNitro } from '../../src/nitro';
import { instrumentEachTest } from '../helpers/instrumentation-per-test';
import { instrumentMysql2 } from '../../src/mysql2';
import { installRecordingClient, type Recorder } from '../helpers/test-client';
import { skipWithoutMariadbServer, startMariadbServer, type MariadbServer } from '../helpers/mariadb-server';

type Json = ReturnType<typeof spanToJSON>;
const ORIGIN = 'auto.db.tracing_channel_span.nitro';

function dbSpans(recorder: Recorder): Json[] {
  return recorder.ended.filter((s) => s.attributes?.['sentry.origin'] === ORIGIN);
}

function sqliteSkip(): boolean {
  const available = Boolean((process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.('node:sqlite'));
  // eslint-disable-next-line no-console
  if (!available) console.warn(`[skip] db0 node-sqlite connector: node:sqlite needs Node 22.5+, this is ${process.version}`);
  return !available;
}

/** The same statements on any db0 database; returns what each gave back. */
async function exercise(db: Database, table: string): Promise<unknown[]> {
  const out: unknown[] = [];
  await db.exec(`CREATE TABLE ${table} (id INTEGER PRIMARY KEY, name VARCHAR(64))`);
  await db.exec(`INSERT INTO ${table} (id, name) VALUES (1, 'ada-secret')`);
  const name = 'grace-secret';
  // a table name passed as a value: the server rejects `INSERT INTO ?`
  await db.sql`INSERT INTO ${table} (id, name) VALUES (${2}, ${name})`.catch(() => undefined);
  await db.prepare(`INSERT INTO ${table} (id, name) VALUES (?, ?)`).run(2, name);
  out.push(await db.prepare(`SELECT name FROM ${table} WHERE id = ?`).get(2));
  out.push(await db.prepare(`SELECT id FROM ${table} ORDER BY id`).all());
  const id = 1;
  out.push((await db.sql`SELECT name FROM {${table}} WHERE id = ${id}`).rows);
  return out;
}

const connectors = [
  { name: 'mysql2', system: 'mysql', skip: skipWithoutMariadbServer('db0 mysql2 connector (test/integration/nitro-database.test.ts)') },
  { name: 'node-sqlite', system: 'sqlite', skip: sqliteSkip() },
] as const;

describe('instrumentNitro database spans with the real db0', () => {
  let recorder: Recorder;
  const instrumentation = instrumentEachTest(() => instrumentNitro(), () => recorder);
  let mariadb: MariadbServer | undefined;
  let tables = 0;
  const open = (name: (typeof connectors)[number]['name']): Database =>
    name === 'mysql2'
      ? createDatabase(mysqlConnector({ host: mariadb!.host, port: mariadb!.port, user: mariadb!.user, database: mariadb!.database }))
      : createDatabase(sqliteConnector({ name: ':memory:' }));

  beforeAll(async () => {
    setScopePairAsyncContextStrategy();
    recorder = installRecordingClient();
    if (!connectors[0].skip) mariadb = await startMariadbServer();
  });
  afterAll(async () => {
    await mariadb?.stop();
  });

  describe.each(connectors)('$name connector', (connector) => {
    it.skipIf(connector.skip)('tracePromise: one db span per query, placeholders never values, results as uninstrumented', async () => {
      instrumentation.stop();
      const plainDb = open(connector.name);
      const plain = await exercise(withTracing(plainDb), `plain_${tables++}`);
      await plainDb.dispose();
      expect(recorder.ended).toHaveLength(0);
      instrumentation.replace(() => instrumentNitro());

      const db = withTracing(open(connector.name));
      const table = `t_${tables++}`;
      let parent!: Span;
      const traced = await startSpan({ name: 'request' }, (span) => {
        parent = span;
        return exercise(db, table);
      });
      await db.dispose();
      expect(traced).toEqual(plain);
      const spans = dbSpans(recorder);
      expect(spans.map((s) => [s.attributes!['db.operation.name'], s.attributes!['db.query.text']])).toEqual([
        ['CREATE', `CREATE TABLE ${table} (id INTEGER PRIMARY KEY, name VARCHAR(?))`],
        ['INSERT', `INSERT INTO ${table} (id, name) VALUES (?, ?)`],
        ['INSERT', 'INSERT INTO ? (id, name) VALUES (?, ?)'],
        ['INSERT', `INSERT INTO ${table} (id, name) VALUES (?, ?)`],
        ['SELECT', `SELECT name FROM ${table} WHERE id = ?`],
        ['SELECT', `SELECT id FROM ${table} ORDER BY id`],
        ['SELECT', `SELECT name FROM ${table} WHERE id = ?`],
      ]);
      for (const span of spans) {
        expect(span.parent_span_id).toBe(parent.spanContext().spanId);
        expect(span.attributes!['sentry.op']).toBe('db');
        expect(span.attributes!['db.system.name']).toBe(connector.system);
      }
      // the `sql` insert into a table name passed as a value fails on both servers
      expect(spans[2]!.status).toBe('error');
      expect(spans[2]!.attributes!['db.response.status_code']).toBeDefined();
      expect(spans.filter((s) => s.status === 'error')).toHaveLength(1);
      expect(JSON.stringify(spans)).not.toContain('secret');
      expect(recorder.captures).toHaveLength(0);
    });
  });

  it.skipIf(connectors[0].skip)('db0 over mysql2 with instrumentMysql2 too: the statement span nests in the db0 span', async () => {
    const mysql2 = instrumentMysql2();
    try {
      const db = withTracing(open('mysql2'));
      const rows = await startSpan({ name: 'request' }, async () => (await db.sql`SELECT ${41} + 1 AS n`).rows);
      await db.dispose();
      expect(rows).toEqual([{ n: 42 }]);
      const [query] = dbSpans(recorder);
      const statement = recorder.ended.find((s) => s.attributes?.['sentry.origin'] === 'auto.db.mysql2.tracing_channel_span' && s.attributes?.['sentry.op'] === 'db');
      expect(query!.attributes!['db.query.text']).toBe('SELECT ? + 1 AS n');
      expect(statement!.parent_span_id).toBe(query!.span_id);
      expect(statement!.attributes!['db.query.text']).toBe('SELECT ? + ? AS n');
    } finally {
      mysql2.unbind();
    }
  });

  it('outside any span, and with database: false: no db spans; a bad option throws', async () => {
    // a connector that needs no server: the channel is db0's own `withTracing`
    const connector = { name: 'none', dialect: 'sqlite', getInstance: () => undefined, exec: () => ({ success: true }), prepare: () => undefined, dispose: () => undefined };
    const db = withTracing(createDatabase(connector as never));
    await db.exec('SELECT 1');
    expect(dbSpans(recorder)).toHaveLength(0);
    await startSpan({ name: 'request' }, () => db.exec('SELECT 1'));
    expect(dbSpans(recorder)).toHaveLength(1);
    instrumentation.replace(() => instrumentNitro({ database: false }));
    await startSpan({ name: 'request' }, () => db.exec('SELECT 1'));
    expect(dbSpans(recorder)).toHaveLength(1);
    expect(() => instrumentNitro({ database: 1 as never })).toThrow(/options\.database/);
  });
});
