/**
 * checkTracingChannel against the database libraries of the mysql2 and Nitro database
 * integrations, on a real MariaDB: mysql2 3 (connections, pools, query, execute, failures) and
 * db0 with its mysql2 connector (`withTracing`). Each test pins what the checker finds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import { createDatabase } from 'db0';
import { withTracing } from 'db0/tracing';
import mysqlConnector from 'db0/connectors/mysql2';
import { checkChannels, summaries } from '../../helpers/checker-summary';
import { skipWithoutMariadbServer, startMariadbServer, type MariadbServer } from '../../helpers/mariadb-server';

const skip = skipWithoutMariadbServer('checkTracingChannel vs mysql2 and db0 (test/integration/testing/libraries-db.test.ts)');

describe.skipIf(skip)('checkTracingChannel vs mysql2 and db0 on MariaDB', () => {
  let server: MariadbServer;
  const config = () => ({ host: server.host, port: server.port, user: server.user, database: server.database });
  beforeAll(async () => {
    server = (await startMariadbServer())!;
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('mysql2:query, :execute, :connect and :pool:connect, callback and promise APIs, with failures', async () => {
    const names = ['mysql2:query', 'mysql2:execute', 'mysql2:connect', 'mysql2:pool:connect'];
    const checks = await checkChannels(names, async () => {
      const conn = mysql.createConnection(config());
      const rows = await new Promise((resolve, reject) => conn.query('SELECT 1 AS one', (err, r) => (err ? reject(err) : resolve(r))));
      expect(rows).toEqual([{ one: 1 }]);
      const failed = await new Promise<unknown>((resolve) => conn.query('SELECT * FROM no_such_table', (err) => resolve(err)));
      expect((failed as { code?: string }).code).toBe('ER_NO_SUCH_TABLE');
      const executed = await new Promise((resolve, reject) => conn.execute('SELECT ? AS v', [7], (err, r) => (err ? reject(err) : resolve(r))));
      expect(executed).toEqual([{ v: 7 }]);
      await new Promise<void>((resolve) => conn.end(() => resolve()));

      const promised = await mysqlPromise.createConnection(config());
      expect((await promised.query('SELECT 2 AS two'))[0]).toEqual([{ two: 2 }]);
      await expect(promised.execute('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: 'ER_NO_SUCH_TABLE' });
      await promised.end();

      const refused = mysql.createConnection({ ...config(), password: 'wrong-password', user: 'nobody' });
      const refusal = await new Promise<unknown>((resolve) => refused.connect((err) => resolve(err)));
      expect(refusal).toBeInstanceOf(Error);

      const pool = mysqlPromise.createPool({ ...config(), connectionLimit: 1 });
      expect((await pool.query('SELECT 3 AS three'))[0]).toEqual([{ three: 3 }]);
      const held = await pool.getConnection();
      expect((await held.execute('SELECT ? AS v', [8]))[0]).toEqual([{ v: 8 }]);
      held.release();
      await pool.end();
    });
    // query: SELECT 1, the failing SELECT, SELECT 2, the pool's SELECT 3; execute: the callback
    // one, the failing promise one, the pooled one; connect: three connections (one refused) and
    // the pool's single connection; pool:connect: pool.query and pool.getConnection.
    expect(summaries(checks)).toEqual([
      { channel: 'mysql2:query', calls: 4, rules: {} },
      { channel: 'mysql2:execute', calls: 3, rules: {} },
      { channel: 'mysql2:connect', calls: 4, rules: {} },
      { channel: 'mysql2:pool:connect', calls: 2, rules: {} },
    ]);
  });

  it('db0.query with the mysql2 connector: exec, sql, prepare, a failing statement', async () => {
    const db = withTracing(createDatabase(mysqlConnector(config())));
    const checks = await checkChannels(['db0.query', 'mysql2:query', 'mysql2:execute', 'mysql2:connect'], async () => {
      await db.exec('CREATE TABLE chk (id INTEGER PRIMARY KEY, name VARCHAR(64))');
      await db.prepare('INSERT INTO chk (id, name) VALUES (?, ?)').run(1, 'ada');
      expect(await db.prepare('SELECT name FROM chk WHERE id = ?').get(1)).toEqual({ name: 'ada' });
      expect(await db.prepare('SELECT id FROM chk').all()).toEqual([{ id: 1 }]);
      const id = 1;
      expect((await db.sql`SELECT name FROM chk WHERE id = ${id}`).rows).toEqual([{ name: 'ada' }]);
      await expect(db.exec('SELECT * FROM no_such_table')).rejects.toThrow();
    });
    await (db.dispose?.() ?? (db.getInstance() as Promise<{ end(): Promise<void> }>).then((c) => c.end()));
    // db0's mysql2 connector sends every statement (prepared ones too) through query(), on one connection
    expect(summaries(checks)).toEqual([
      { channel: 'db0.query', calls: 6, rules: {} },
      { channel: 'mysql2:query', calls: 6, rules: {} },
      { channel: 'mysql2:execute', calls: 0, rules: {} },
      { channel: 'mysql2:connect', calls: 1, rules: {} },
    ]);
  });
});
