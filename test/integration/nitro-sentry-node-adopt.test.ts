/**
 * instrumentNitro under `@sentry/node` with its default HTTP integration (which makes the
 * `http.server` span itself; only Sentry's own Nitro integration is removed): that span is adopted,
 * renamed after the h3 route, and our middleware and route spans nest under it; no second
 * `http.server` span appears.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Sentry from '@sentry/node';
import { instrumentNitro } from '../../src/nitro';
import { startEnvelopeReceiver } from '../helpers/envelope-receiver';
import type { EnvelopeReceiver } from '../helpers/envelope-receiver';
import { startNitroApp } from '../helpers/nitro-app';
import type { NitroApp } from '../helpers/nitro-app';

type Json = Record<string, any>;
const attr = (span: Json, key: string): unknown => span.attributes?.[key]?.value ?? span.data?.[key];

let receiver: EnvelopeReceiver;
let app: NitroApp;
let handle: ReturnType<typeof instrumentNitro>;

beforeAll(async () => {
  receiver = await startEnvelopeReceiver();
  Sentry.init({
    dsn: receiver.dsn,
    tracesSampleRate: 1,
    integrations: (defaults) => defaults.filter((i) => i.name !== 'Nitro'),
  });
  handle = instrumentNitro();
  app = await startNitroApp();
});

afterAll(async () => {
  handle.unbind();
  await app.close();
  await Sentry.close(2000);
  await receiver.close();
});

describe('instrumentNitro adopting @sentry/node server spans', () => {
  it('srvx.request under the HTTP integration: one http.server span, renamed after the route, with our spans under it; the 500 sent once', async () => {
    expect((await app.get('/users/42')).status).toBe(200);
    expect((await app.get('/boom')).status).toBe(500);
    await Sentry.flush(5000);
    const spans = await receiver.waitFor(() => {
      const all = receiver.spans() as Json[];
      return all.filter((s) => attr(s, 'sentry.op') === 'request_handler.h3').length === 2 ? all : undefined;
    });
    const servers = spans.filter((s) => attr(s, 'sentry.op') === 'http.server');
    expect(servers).toHaveLength(2);
    expect(servers.every((s) => attr(s, 'sentry.origin') === 'auto.http.http_server')).toBe(true);

    const users = servers.find((s) => attr(s, 'url.path') === '/users/42')!;
    expect(users.name).toBe('GET /users/:id');
    expect(attr(users, 'http.route')).toBe('/users/:id');
    expect(attr(users, 'sentry.segment.name.source')).toBe('route');
    const srvxMiddleware = spans.find((s) => attr(s, 'sentry.op') === 'middleware.srvx' && s.trace_id === users.trace_id)!;
    expect(srvxMiddleware.parent_span_id).toBe(users.span_id);
    // found by its name, not by the trace it should be in: that is what is checked
    const route = spans.find((s) => attr(s, 'sentry.op') === 'request_handler.h3' && s.name === 'request handler - /users/:id');
    expect(route?.trace_id).toBe(users.trace_id);
    expect(route?.span_id).not.toBe(users.span_id);

    const boom = servers.find((s) => attr(s, 'url.path') === '/boom')!;
    expect(boom.name).toBe('GET /boom');
    expect(boom.status).toBe('error');

    const kaboom = await receiver.waitFor(() => {
      const events = receiver.items('event').map((i) => i.payload as Json).filter((e) => e.exception?.values?.[0]?.value === 'kaboom');
      return events.length > 0 ? events : undefined;
    });
    await Sentry.flush(2000);
    expect(receiver.items('event').filter((i) => (i.payload as Json).exception?.values?.[0]?.value === 'kaboom')).toHaveLength(1);
    expect(kaboom[0]!.contexts.trace.trace_id).toBe(boom.trace_id);
    expect(kaboom[0]!.transaction).toBe('GET /boom');
  });
});
