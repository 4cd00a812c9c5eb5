/**
 * Section 2 of the demo: starts redis (when installed) and the h3 + srvx app, sends it real HTTP
 * requests with `fetch`, and draws each request's trace as a waterfall. Shuts everything down
 * before returning, also on failure.
 */
import * as Sentry from '@sentry/node';
import { startDemoApp, type DemoServer } from './app';
import { startDemoRedis } from './redis';
import { startDemoMariadb } from './mariadb';
import { renderWaterfall, waitForSpan, type SpanRow } from './waterfall';

interface DemoRequest {
  method: 'GET' | 'POST';
  path: string;
  /** Why this request is in the demo, printed after it. */
  note: string;
  /** The note when there is no redis, if it differs. */
  noteWithoutRedis?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent only when this server is at hand. */
  needs?: 'mysql';
}

/** An upstream caller's trace: the server span must join it, as the child of this span id. */
const INCOMING_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const REQUESTS: DemoRequest[] = [
  {
    method: 'GET',
    path: '/users/42',
    note: 'cache miss: node-redis GET + SET, ioredis INCR',
    noteWithoutRedis: 'redis: not installed, so no cache and no redis spans',
  },
  {
    method: 'GET',
    path: '/users/42',
    note: `cache hit, with an incoming traceparent: ${INCOMING_TRACEPARENT}`,
    noteWithoutRedis: `redis: not installed; with an incoming traceparent: ${INCOMING_TRACEPARENT}`,
    headers: { traceparent: INCOMING_TRACEPARENT },
  },
  {
    method: 'POST',
    path: '/chat',
    note: 'generateText with a tool call (mock model from ai/test); the tool caches in redis (ioredis)',
    noteWithoutRedis: 'generateText with a tool call (mock model from ai/test); redis: not installed',
    body: { message: 'What is the weather in Berlin?' },
  },
  { method: 'GET', path: '/stream', note: 'streamText, read to the end inside the handler' },
  {
    method: 'POST',
    path: '/graphql',
    note: 'graphql 17: parse, validate and the operation span (instrumentGraphql)',
    body: { query: 'query GetUser { user(id: "42") { name } }' },
  },
  { method: 'GET', path: '/orders/42', note: 'mysql2 on a pool: execute() keeps its placeholders, query() has its literals replaced by ?', needs: 'mysql' },
  { method: 'GET', path: '/boom', note: 'the route throws: 500, error captured once' },
  { method: 'GET', path: '/nope', note: 'no such route: 404, not an error' },
];

const SHOWN_ATTRIBUTES = ['http.route', 'http.response.status_code', 'db.query.text', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens'];

/**
 * Runs section 2. `spans` is the list `collectSpans` fills; `capturedErrors` the errors Sentry
 * captured so far (one line each), to show what each request reported.
 */
export async function runHttpDemo(spans: SpanRow[], capturedErrors: string[], capturedLogs: string[]): Promise<void> {
  const [redis, mariadb] = await Promise.all([startDemoRedis(), startDemoMariadb()]);
  console.log(redis.status);
  console.log(mariadb.status);
  let server: DemoServer | undefined;
  try {
    server = await startDemoApp(redis.clients, mariadb.pool);
    console.log(`app: h3 + srvx listening on ${server.url}\n`);
    for (const request of REQUESTS) {
      if (request.path === '/graphql' && Number(process.versions.node.split('.')[0]) < 22) {
        console.log(`POST /graphql  (skipped: graphql 17 needs Node 22+, this is Node ${process.versions.node})\n`);
        continue;
      }
      if (request.needs === 'mysql' && !mariadb.pool) continue;
      const note = redis.clients ? request.note : (request.noteWithoutRedis ?? request.note);
      await sendAndDraw(server.url, request, note, spans, capturedErrors, capturedLogs);
    }
  } finally {
    await server?.close();
    await Promise.all([redis.close(), mariadb.close()]);
  }
}

async function sendAndDraw(
  baseUrl: string,
  request: DemoRequest,
  note: string,
  spans: SpanRow[],
  capturedErrors: string[],
  capturedLogs: string[],
): Promise<void> {
  const errorsBefore = capturedErrors.length;
  const logsBefore = capturedLogs.length;
  const response = await fetch(new URL(request.path, baseUrl), {
    method: request.method,
    headers: { ...request.headers, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
  });
  const body = (await response.text()).replace(/\s+/g, ' ');
  const server = await waitForSpan(spans, (s) => s.op === 'http.server' && s.attributes['url.path'] === request.path);
  await Sentry.flush(2000); // lets error events finish processing, so the count below is complete

  console.log(`${request.method} ${request.path}  → ${response.status} ${body.length > 90 ? `${body.slice(0, 87)}...` : body}`);
  console.log(`  (${note})`);
  for (const error of capturedErrors.slice(errorsBefore)) console.log(`  captured by Sentry: ${error}`);
  for (const line of capturedLogs.slice(logsBefore)) console.log(`  Sentry log from pino: ${line}`);
  const trace = spans.filter((s) => s.traceId === server.traceId);
  console.log(renderWaterfall(trace, { attributes: SHOWN_ATTRIBUTES }));
  spans.splice(0, spans.length, ...spans.filter((s) => s.traceId !== server.traceId));
}
