/**
 * `instrumentMysql2()` with `@sentry/node`'s DEFAULT integrations (its own `Mysql2` among them,
 * binding the same channels) and a real local envelope receiver: one span per statement, ours.
 * Run by two files, one per setup order (`Sentry.init` is process-global, vitest forks per file).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Sentry from '@sentry/node';
import mysql from 'mysql2';
import { instrumentMysql2, type Mysql2Instrumentation } from '../../src/mysql2';
import { startEnvelopeReceiver, type EnvelopeReceiver } from '../helpers/envelope-receiver';
import { skipWithoutMariadbServer, startMariadbServer, type MariadbServer } from '../helpers/mariadb-server';

/** A span-streaming attribute (`{ type, value }`) or a plain value, as its value. */
function attr(span: any, key: string): unknown {
  const raw = span.attributes?.[key] ?? span.data?.[key];
  return raw !== null && typeof raw === 'object' && 'value' in raw ? raw.value : raw;
}

const OURS = 'auto.db.mysql2.tracing_channel_span';

const SENTRY_ORIGIN = 'auto.db.mysql2.native_channel';

/**
 * `order`: whether `instrumentMysql2()` runs after `Sentry.init` or before it; `'stand-down'`:
 * after it, with `onSentryIntegration: 'stand-down'` (Sentry's spans, ours none).
 */
export function mysql2SentryNodeSuite(order: 'after-init' | 'before-init' | 'stand-down'): void {
  const skip = skipWithoutMariadbServer(`mysql2 @sentry/node defaults (${order})`);

  describe.skipIf(skip)(`instrumentMysql2 ${order} Sentry.init with the default integrations`, () => {
    let server: MariadbServer;
    let receiver: EnvelopeReceiver;
    let instrumentation: Mysql2Instrumentation;
    let pool: mysql.Pool;
    const warn = vi.spyOn(console, 'warn');

    beforeAll(async () => {
      server = (await startMariadbServer())!;
      receiver = await startEnvelopeReceiver();
      if (order === 'before-init') instrumentation = instrumentMysql2();
      Sentry.init({ dsn: receiver.dsn, tracesSampleRate: 1 });
      if (order === 'after-init') instrumentation = instrumentMysql2();
      if (order === 'stand-down') instrumentation = instrumentMysql2({ onSentryIntegration: 'stand-down' });
      pool = mysql.createPool({ host: server.host, port: server.port, user: server.user, database: server.database, connectionLimit: 2 });
    });

    afterAll(async () => {
      instrumentation?.unbind();
      await pool?.promise().end();
      await Sentry.close(2_000);
      await receiver?.close();
      await server?.stop();
      warn.mockRestore();
    });

    it("Sentry's Mysql2 integration is on by default in this @sentry/node", () => {
      expect(Sentry.getClient()?.getIntegrationByName('Mysql2')).toBeDefined();
    });

    it('traceCallback ok: one span per statement from the owner in force, without the bound values; one warning', async () => {
      const traceIds: string[] = [];
      const requestIds: string[] = [];
      for (let i = 0; i < 6; i++) {
        await Sentry.startNewTrace(() =>
          Sentry.startSpan({ name: `request ${i}`, op: 'http.server' }, async (request) => {
            traceIds.push(request.spanContext().traceId);
            requestIds.push(request.spanContext().spanId);
            const [rows] = await pool.promise().query('SELECT ? AS v', [`secret-${i}`]);
            expect(rows).toEqual([{ v: `secret-${i}` }]);
          }),
        );
      }
      await Sentry.flush(5_000);
      // Sentry's connect spans carry op `db` too: statements are the spans with a query text
      const statementsOf = (traceId: string) =>
        receiver.spans().filter((s) => s.trace_id === traceId && attr(s, 'sentry.op') === 'db' && attr(s, 'db.query.text') !== undefined);
      await receiver.waitFor(() => traceIds.every((t) => statementsOf(t).length > 0) || undefined);
      const origins: unknown[] = [];
      traceIds.forEach((traceId, i) => {
        const statements = statementsOf(traceId);
        expect(statements).toHaveLength(1);
        expect(statements[0].parent_span_id).toBe(requestIds[i]);
        origins.push(attr(statements[0], 'sentry.origin'));
      });
      expect(origins).toEqual(Array(6).fill(order === 'stand-down' ? SENTRY_ORIGIN : OURS));
      expect(instrumentation.owner).toBe(order === 'stand-down' ? 'sentry' : 'ours');
      if (order === 'stand-down') return;
      const ours = receiver.spans().filter((s) => attr(s, 'sentry.origin') === OURS && attr(s, 'db.query.text') !== undefined);
      expect(ours).toHaveLength(6);
      for (const span of ours) expect(attr(span, 'db.query.text')).toBe('SELECT ? AS v');
      expect(JSON.stringify(ours)).not.toContain('secret-');
      const warnings = warn.mock.calls.filter((c) => String(c[0]).includes("Sentry's own `Mysql2` integration"));
      expect(warnings).toHaveLength(1);
    });
  });
}
