/**
 * `instrumentRedis()` next to `@sentry/node`'s DEFAULT integrations, whose own `Redis` integration
 * binds the same channels and the same AsyncLocalStorage. Whatever ran first, each command is one
 * span from a known owner, and one `console.warn` says which. Each setup runs in its own process
 * (Sentry.init is process-global), sending real envelopes to a local receiver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEnvelopeReceiver, type EnvelopeReceiver } from '../helpers/envelope-receiver';
import { skipWithoutRedisServer, startRedisServer, type RedisServer } from '../helpers/redis-server';
import { fixturePath, runFixture } from '../helpers/run-fixture';

const attr = (span: any, key: string): unknown => span.attributes?.[key]?.value ?? span.data?.[key];
const skip = skipWithoutRedisServer('redis @sentry/node defaults tests (test/integration/redis-sentry-defaults.test.ts)');

describe.skipIf(skip)("instrumentRedis with @sentry/node's default integrations", () => {
  let server: RedisServer;
  let receiver: EnvelopeReceiver;
  const SETUPS = ['before', 'after', 'stand-down', 'stand-down-before'] as const;
  let runs: Record<string, ReturnType<typeof runFixture>>;

  beforeAll(async () => {
    server = (await startRedisServer())!;
    receiver = await startEnvelopeReceiver();
    // one process per setup, all at once: each one's spans are told apart by its own trace id
    const env = { SENTRY_DSN: receiver.dsn, REDIS_URL: server.url };
    runs = Object.fromEntries(SETUPS.map((setup) => [setup, runFixture(fixturePath('redis-defaults.ts'), { ...env, SETUP: setup })]));
    await Promise.all(Object.values(runs));
  }, 120_000);
  afterAll(async () => {
    await receiver?.close();
    await server?.stop();
  });

  async function run(setup: (typeof SETUPS)[number]) {
    const result = await runs[setup]!;
    expect(result.code, result.stderr).toBe(0);
    const { traceId, requestSpanId, owner } = result.line('RESULT');
    const spans = await receiver.waitFor(() => {
      const found = receiver.spans().filter((s) => s.trace_id === traceId);
      return found.some((s) => s.span_id === requestSpanId) ? found : undefined;
    });
    const commands = spans.filter((s) => s.span_id !== requestSpanId && attr(s, 'db.system.name') === 'redis');
    return { result, owner, requestSpanId, commands };
  }

  it.each(['before', 'after'] as const)(
    'tracePromise ok, instrumentRedis() %s Sentry.init: one span per command, ours, and one warning naming Sentry\'s Redis',
    async (setup) => {
      const { result, owner, requestSpanId, commands } = await run(setup);
      expect(owner).toBe('ours');
      expect(commands.map((s) => s.name).sort()).toEqual(['GET', 'SET']);
      for (const span of commands) {
        expect(span.parent_span_id).toBe(requestSpanId);
        expect(attr(span, 'sentry.op')).toBe('db.redis');
        expect(attr(span, 'sentry.origin')).toBe('auto.db.redis.tracing_channel');
      }
      const warnings = result.warnings();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("Sentry's own `Redis` integration");
      expect(warnings[0]).toContain('instrumentRedis() makes the spans');
      expect(warnings[0]).toContain("onSentryIntegration: 'stand-down'");
    },
  );

  it.each(['stand-down', 'stand-down-before'] as const)("tracePromise ok, { onSentryIntegration: 'stand-down' } (%s): one span per command, Sentry's, and the warning says how to switch", async (setup) => {
    const { result, owner, requestSpanId, commands } = await run(setup);
    expect(owner).toBe('sentry');
    // Sentry's also traces the handshakes outside the request; inside it, one span per command
    const inRequest = commands.filter((s) => s.parent_span_id === requestSpanId);
    expect(inRequest.map((s) => String(attr(s, 'db.operation.name')).toUpperCase()).sort()).toEqual(['GET', 'SET']);
    for (const span of commands) expect(attr(span, 'sentry.origin')).toBe('auto.db.redis.native_channel');
    const warnings = result.warnings();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('instrumentRedis() stands down');
    expect(warnings[0]).toContain("onSentryIntegration: 'take-over'");
  });
});
