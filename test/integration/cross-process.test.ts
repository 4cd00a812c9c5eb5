/**
 * Issue 5: a trace crossing two real Node processes. A client process (real @sentry/node) makes a
 * traced `fetch`; a server process (real @sentry/node, srvx + h3, `instrumentNitro`) answers it.
 * Both send to one local envelope receiver. The server's `http.server` span must share the
 * client's trace id and have the client's request span as its parent.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEnvelopeReceiver } from '../helpers/envelope-receiver';
import type { EnvelopeReceiver } from '../helpers/envelope-receiver';
import { startFixture, type RunningFixture } from '../helpers/spawn-fixture';

type Json = Record<string, any>;
const attr = (span: Json, key: string): unknown => span.attributes?.[key]?.value ?? span.data?.[key];

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function run(script: string, env: Record<string, string>): RunningFixture {
  return startFixture(fixture(script), { env: { NODE_OPTIONS: process.env.NODE_OPTIONS ?? '', ...env } });
}

let receiver: EnvelopeReceiver;
let server: RunningFixture | undefined;

beforeEach(async () => {
  receiver = await startEnvelopeReceiver();
});

afterEach(async () => {
  if (server && server.child.exitCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  server = undefined;
  await receiver.close();
});

async function traceAcrossProcesses(mode: 'own' | 'adopt'): Promise<{ client: Json; serverSpan: Json; spans: Json[]; seen: Json }> {
  server = run('nitro-server.mjs', { SENTRY_DSN: receiver.dsn, NITRO_MODE: mode });
  const url = await server.waitForLine('READY ');
  const client = run('nitro-client.mjs', { SENTRY_DSN: receiver.dsn, TARGET_URL: url });
  const clientCode = await client.exited;
  expect(clientCode, client.stderr()).toBe(0);
  const seen = JSON.parse(client.stdout().trim().split('\n').pop()!) as Json;
  server.child.stdin!.end();
  expect(await server.exited, server.stderr()).toBe(0);

  const spans = await receiver.waitFor(() => {
    const all = receiver.spans() as Json[];
    const hasClient = all.some((s) => attr(s, 'sentry.op') === 'http.client');
    const hasServer = all.some((s) => attr(s, 'sentry.op') === 'http.server');
    return hasClient && hasServer ? all : undefined;
  });
  const clientSpans = spans.filter((s) => attr(s, 'sentry.op') === 'http.client');
  const serverSpans = spans.filter((s) => attr(s, 'sentry.op') === 'http.server');
  expect(clientSpans).toHaveLength(1);
  expect(serverSpans).toHaveLength(1);
  return { client: clientSpans[0]!, serverSpan: serverSpans[0]!, spans, seen };
}

describe('cross-process trace (client process → srvx/h3 server process)', () => {
  it('fetch under @sentry/node → instrumentNitro server span: same trace, parent is the client request span', { timeout: 60_000 }, async () => {
    const { client, serverSpan, spans, seen } = await traceAcrossProcesses('own');
    expect(seen.status).toBe(200);
    expect(client.trace_id).toBe(seen.traceId);
    expect(serverSpan.trace_id).toBe(client.trace_id);
    expect(serverSpan.parent_span_id).toBe(client.span_id);
    expect(serverSpan.is_segment).toBe(true);
    expect(attr(serverSpan, 'sentry.origin')).toBe('auto.http.tracing_channel_span.nitro');
    expect(serverSpan.name).toBe('GET /trace');
    expect(attr(serverSpan, 'http.response.status_code')).toBe(200);
    const route = spans.find((s) => attr(s, 'sentry.op') === 'request_handler.h3')!;
    expect(route.trace_id).toBe(client.trace_id);
    // the handler, in the server process, saw the client's trace as its active context
    expect(String(seen.seenByHandler)).toBe(`${client.trace_id}-${route.span_id}-1`);
  });

  it('fetch under @sentry/node → @sentry/node server span adopted by instrumentNitro: same trace, parent is the client request span', { timeout: 60_000 }, async () => {
    const { client, serverSpan, spans } = await traceAcrossProcesses('adopt');
    expect(serverSpan.trace_id).toBe(client.trace_id);
    expect(serverSpan.parent_span_id).toBe(client.span_id);
    expect(attr(serverSpan, 'sentry.origin')).toBe('auto.http.http_server');
    expect(serverSpan.name).toBe('GET /trace');
    expect(attr(serverSpan, 'http.route')).toBe('/trace');
    const srvxMiddleware = spans.find((s) => attr(s, 'sentry.op') === 'middleware.srvx')!;
    expect(srvxMiddleware.parent_span_id).toBe(serverSpan.span_id);
  });
});
