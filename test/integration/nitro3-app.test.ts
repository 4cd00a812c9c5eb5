/**
 * `instrumentNitro()` in a REAL Nitro 3 app (test/integration/fixtures/nitro3-app, `tracingChannel:
 * true`, built with `nitro build`), run as `node --import ./instrument.mjs .output/server/index.mjs`
 * under `@sentry/node` 11, in the setups users have: the README's snippet (read from README.md),
 * Sentry's defaults with `instrumentNitro()` after and before `Sentry.init`, Sentry's `Http`
 * integration without spans, and standing down. Real envelopes to a local receiver.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEnvelopeReceiver, type EnvelopeReceiver } from '../helpers/envelope-receiver';
import { buildNitro3App, hasNitro3, NITRO3_VERSION, type Nitro3Build } from '../helpers/nitro3-app';

const attr = (span: any, key: string): unknown => span.attributes?.[key]?.value ?? span.data?.[key];
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** The `instrument.mjs` block of the README's Nitro 3 section, verbatim. */
function readmeSnippet(): string {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const match = /```js\n(\/\/ instrument\.mjs[\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README.md has no ```js block starting with `// instrument.mjs`');
  return match[1]!;
}

const IMPORTS = `import * as Sentry from '@sentry/node';\nimport { instrumentNitro } from 'tracing-channel-span/nitro';\n`;
const INIT = 'Sentry.init({ dsn: process.env.SENTRY_DSN, tracesSampleRate: 1 });\n';
const SETUPS: Record<string, { instrument: () => string; warning: RegExp | undefined; origin: string}> = {
  "README's snippet": { instrument: readmeSnippet, warning: undefined, origin: 'auto.http.http_server' },
  "Sentry's defaults, instrumentNitro() after Sentry.init": {
    instrument: () => `${IMPORTS}${INIT}instrumentNitro();\n`,
    warning: /instrumentNitro\(\) makes the spans/,
    origin: 'auto.http.http_server',
  },
  "Sentry's defaults, instrumentNitro() before Sentry.init": {
    instrument: () => `${IMPORTS}instrumentNitro();\n${INIT}`,
    warning: /instrumentNitro\(\) makes the spans/,
    origin: 'auto.http.http_server',
  },
  'httpIntegration({ spans: false }), Nitro filtered out': {
    instrument: () =>
      `${IMPORTS}Sentry.init({ dsn: process.env.SENTRY_DSN, tracesSampleRate: 1, integrations: (d) => [...d.filter((i) => i.name !== 'Nitro' && i.name !== 'Http'), Sentry.httpIntegration({ spans: false })] });\ninstrumentNitro();\n`,
    warning: undefined,
    origin: 'auto.http.tracing_channel_span.nitro',
  },
};

const CI = process.env.CI === 'true' || process.env.CI === '1';
if (!hasNitro3() && !CI) {
  console.warn(`skipping the Nitro 3 app tests: nitro ${NITRO3_VERSION} is not installed (run: node scripts/nitro3.mjs install)`);
}

describe.skipIf(!hasNitro3() && !CI)(`a real Nitro ${NITRO3_VERSION} app under @sentry/node`, () => {
  let build: Nitro3Build;
  let receiver: EnvelopeReceiver;

  beforeAll(async () => {
    build = buildNitro3App();
    receiver = await startEnvelopeReceiver();
  }, 240_000);
  afterAll(async () => {
    await receiver?.close();
    build?.remove();
  });

  describe.each(Object.keys(SETUPS))('%s', (setupName) => {
    const setup = SETUPS[setupName]!;
    const traces = { route: hex(16), sentryTrace: hex(16), unmatched: hex(16), boom: hex(16), teapot: hex(16) };
    const parent = hex(8);
    let stderr = '';
    let statuses: Record<string, number> = {};

    beforeAll(async () => {
      const app = await build.start(setup.instrument(), { SENTRY_DSN: receiver.dsn });
      const tp = (traceId: string) => ({ traceparent: `00-${traceId}-${parent}-01` });
      statuses = {
        route: (await app.get('/users/7', tp(traces.route))).status,
        sentryTrace: (await app.get('/users/8', { 'sentry-trace': `${traces.sentryTrace}-${parent}-1` })).status,
        unmatched: (await app.get('/nope', tp(traces.unmatched))).status,
        boom: (await app.get('/boom', tp(traces.boom))).status,
        teapot: (await app.get('/teapot', tp(traces.teapot))).status,
      };
      const stopped = await app.stop();
      expect(stopped.code, stopped.stderr).toBe(0);
      stderr = stopped.stderr;
      await receiver.waitFor(() => Object.values(traces).every((t) => serverSpans(t).length > 0) || undefined, 15_000);
    }, 60_000);

    const ofTrace = (traceId: string) => receiver.spans().filter((s) => s.trace_id === traceId);
    const serverSpans = (traceId: string) => ofTrace(traceId).filter((s) => attr(s, 'sentry.op') === 'http.server');
    const errorEvents = (traceId: string) =>
      receiver.items('event').filter((e) => e.payload?.contexts?.trace?.trace_id === traceId && e.payload?.exception);

    it('a matched route: one server span, continuing traceparent, named after the route', () => {
      expect(statuses.route).toBe(200);
      const spans = serverSpans(traces.route);
      expect(spans).toHaveLength(1);
      expect(spans[0].parent_span_id).toBe(parent);
      expect(spans[0].name).toBe('GET /users/:id');
      expect(attr(spans[0], 'http.route')).toBe('/users/:id');
      expect(attr(spans[0], 'sentry.origin')).toBe(setup.origin);
      expect(spans[0].status).toBe('ok');
    });

    it('sentry-trace: the trace is continued', () => {
      const spans = serverSpans(traces.sentryTrace);
      expect(spans).toHaveLength(1);
      expect(spans[0].parent_span_id).toBe(parent);
    });

    it('an unmatched route: `GET /nope`, 404 not an error', () => {
      expect(statuses.unmatched).toBe(404);
      const spans = serverSpans(traces.unmatched);
      expect(spans).toHaveLength(1);
      expect(spans[0].name).toBe('GET /nope');
      expect(spans[0].status).toBe('ok');
      expect(errorEvents(traces.unmatched)).toHaveLength(0);
    });

    it('a thrown HTTPError 418: not an error, nothing captured', () => {
      expect(statuses.teapot).toBe(418);
      expect(serverSpans(traces.teapot)[0].status).toBe('ok');
      expect(errorEvents(traces.teapot)).toHaveLength(0);
    });

    it('a thrown Error: 500, the server span failed, the error captured once', () => {
      expect(statuses.boom).toBe(500);
      const spans = serverSpans(traces.boom);
      expect(spans).toHaveLength(1);
      expect(spans[0].status).toBe('error');
      const events = errorEvents(traces.boom);
      expect(events).toHaveLength(1);
      expect(events[0]!.payload.exception.values.at(-1).value).toBe('kaboom from nitro');
    });

    it("middleware spans: under the server span, each named apart", () => {
      const [server] = serverSpans(traces.route);
      const middleware = ofTrace(traces.route).filter((s) => String(attr(s, 'sentry.op')).startsWith('middleware'));
      expect(middleware.length).toBeGreaterThanOrEqual(2); // Nitro's static-assets middleware and the app's own
      for (const span of middleware) expect(span.parent_span_id).toBe(server.span_id);
      expect(new Set(middleware.map((s) => s.name)).size).toBe(middleware.length);
    });

    it(setup.warning ? 'one console.warn says which integration makes the spans' : 'no warning', () => {
      const warnings = stderr.split('\n').filter((l) => l.includes('[tracing-channel-span]'));
      if (!setup.warning) {
        expect(warnings).toEqual([]);
        return;
      }
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(setup.warning);
      expect(warnings[0]).toContain("Sentry's own `Nitro` integration");
    });
  });
});
