/**
 * MariaDB for the demo: a throwaway server on a free loopback port (the helper the tests use), a
 * mysql2 pool and a seeded `orders` table, plus the `GET /orders/:userId` route that reads it.
 * Without `mariadbd`, or when it will not start, the demo says so in one line and leaves the
 * route out. `DEMO_MARIADBD_BIN=/nonexistent` shows the demo on a machine without MariaDB.
 */
import mysql from 'mysql2';
import type { H3 } from 'h3';
import { startMariadbServer, type MariadbServer } from '../test/helpers/mariadb-server';

/** MariaDB as the demo found it. */
export interface DemoMariadb {
  /** One line for the output: where MariaDB runs, or why it does not. */
  status: string;
  /** The pool, or `undefined` without MariaDB. */
  pool?: mysql.Pool;
  /** Ends the pool and stops the server (idempotent). */
  close(): Promise<void>;
}

/** Starts MariaDB and seeds it, outside any request (so setup makes no spans). Never rejects. */
export async function startDemoMariadb(): Promise<DemoMariadb> {
  if (process.env.DEMO_MARIADBD_BIN) process.env.MARIADBD_BIN = process.env.DEMO_MARIADBD_BIN;
  let server: MariadbServer | undefined;
  try {
    server = await startMariadbServer();
    if (!server) return without('mariadb: mariadbd not installed (apt-get install -y mariadb-server); no /orders route');
    const pool = mysql.createPool({ host: server.host, port: server.port, user: server.user, database: server.database, connectionLimit: 3 });
    await pool.promise().query('CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, item VARCHAR(64))');
    await pool.promise().query("INSERT INTO orders VALUES (1, 42, 'Difference Engine'), (2, 42, 'punched cards'), (3, 7, 'loom')");
    let closed = false;
    const running = server;
    return {
      status: `mariadb: mariadbd started on 127.0.0.1:${server.port}, a mysql2 pool of 3 connections`,
      pool,
      async close() {
        if (closed) return;
        closed = true;
        await pool.promise().end().catch(() => undefined);
        await running.stop();
      },
    };
  } catch (error) {
    await server?.stop();
    return without(`mariadb: mariadbd did not start (${String(error instanceof Error ? error.message : error).split('\n')[0]}); no /orders route`);
  }
}

/** `GET /orders/:userId`: one `execute()` (placeholder text) and one `query()` (literals become `?`). */
export function addOrdersRoute(app: H3, pool: mysql.Pool): void {
  app.get('/orders/:userId', async (event) => {
    const userId = Number(event.context.params?.userId);
    const [orders] = await pool.promise().execute('SELECT id, item FROM orders WHERE user_id = ? ORDER BY id', [userId]);
    const [[count]] = (await pool.promise().query('SELECT COUNT(*) AS n FROM orders WHERE user_id <> ?', [userId])) as unknown as [[{ n: number }]];
    return { userId, orders, others: count?.n };
  });
}

function without(status: string): DemoMariadb {
  return { status, close: async () => undefined };
}
