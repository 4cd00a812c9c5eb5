/**
 * The demo's web app: h3 2 served by srvx 1 on a free loopback port, both with their own
 * `tracingPlugin()` on, so they publish the TracingChannels `instrumentNitro()` listens to.
 * Routes:
 * - `GET /users/:id`: a user from a redis cache (node-redis GET, SET on a miss) and a view
 *   counter (ioredis INCR); without redis, the user straight from the "database"; logs one pino line
 * - `POST /chat`: `generateText` with a tool whose forecast is cached in redis (ioredis)
 * - `GET /stream`: `streamText`, read to the end before answering
 * - `POST /graphql`: a graphql 17 query (Node 22+; graphql 17 needs it)
 * - `GET /orders/:userId`: mysql2 `execute()` and `query()` on a pool (only with MariaDB at hand)
 * - `GET /boom`: throws (500)
 * - anything else: h3's 404
 */
import { setTimeout as sleep } from 'node:timers/promises';
import * as Sentry from '@sentry/node';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { H3 } from 'h3';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { tracingPlugin as h3TracingPlugin } from 'h3/tracing';
import { serve } from 'srvx';
import { tracingPlugin as srvxTracingPlugin } from 'srvx/tracing';
import { streamingModel, weatherChatModel } from './mock-models';
import type { DemoRedisClients } from './redis';
import { addOrdersRoute } from './mariadb';
import type mysql from 'mysql2';

/** The running app. */
export interface DemoServer {
  /** Base URL, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

interface User {
  id: string;
  name: string;
}

/** Builds the app and serves it on `127.0.0.1`, port chosen by the OS. */
export async function startDemoApp(redis: DemoRedisClients | undefined, mysqlPool?: mysql.Pool): Promise<DemoServer> {
  const app = new H3({ plugins: [h3TracingPlugin()], silent: true });
  // pino writes its lines nowhere here; instrumentPino() sends them to Sentry as logs
  const log = pino({}, new Writable({ write: (_chunk, _encoding, done) => done() }));
  const graphqlHandler = await makeGraphqlHandler();
  if (mysqlPool) addOrdersRoute(app, mysqlPool);

  app.get('/users/:id', async (event) => {
    const id = event.context.params?.id ?? '';
    if (!redis) {
      log.info({ userId: id, cache: 'none' }, 'user served');
      return { ...(await loadUser(id)), redis: 'not installed' };
    }
    const cached = await redis.nodeRedis.get(`user:${id}`);
    const user: User = cached ? (JSON.parse(cached) as User) : await loadUser(id);
    if (!cached) await redis.nodeRedis.set(`user:${id}`, JSON.stringify(user), { expiration: { type: 'EX', value: 60 } });
    const views = await redis.ioredis.incr(`user:${id}:views`);
    log.info({ userId: id, cache: cached ? 'hit' : 'miss' }, 'user served');
    return { ...user, cache: cached ? 'hit' : 'miss', views };
  });

  if (graphqlHandler) app.post('/graphql', async (event) => graphqlHandler((await event.req.json()) as { query: string }));

  app.post('/chat', async (event) => {
    const { message } = (await event.req.json()) as { message?: string };
    const result = await generateText({
      model: weatherChatModel(),
      prompt: message ?? '',
      tools: { weather: weatherTool(redis) },
      stopWhen: stepCountIs(3),
      telemetry: { functionId: 'weather-agent' },
    });
    return { answer: result.text, steps: result.steps.length, tokens: result.totalUsage.totalTokens };
  });

  app.get('/stream', async () => {
    const result = streamText({ model: streamingModel('Spans end when the stream has been read.'), prompt: 'When do spans end?' });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    return text;
  });

  app.get('/boom', () => {
    throw new Error('the database is on fire');
  });

  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0, silent: true, plugins: [srvxTracingPlugin()] });
  await server.ready();
  return { url: server.url!, close: () => server.close(true) };
}

/** The slow path a cache saves: an ordinary child span around a pretend database query. */
function loadUser(id: string): Promise<User> {
  return Sentry.startSpan({ name: 'load user from database', op: 'function' }, async () => {
    await sleep(8);
    return { id, name: id === '42' ? 'Ada Lovelace' : `user ${id}` };
  });
}

function weatherTool(redis: DemoRedisClients | undefined) {
  return tool({
    description: 'The weather forecast of a city',
    inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
    execute: async ({ city }) => {
      const key = `forecast:${city.toLowerCase()}`;
      const cached = await redis?.ioredis.get(key);
      const forecast = cached ?? 'sunny, 21 °C';
      if (redis && !cached) await redis.ioredis.set(key, forecast, 'EX', 300);
      return { city, forecast };
    },
  });
}

/** A graphql 17 endpoint (`{ query }` in, the execution result out), or `undefined` before Node 22. */
async function makeGraphqlHandler(): Promise<((body: { query: string }) => Promise<unknown>) | undefined> {
  if (Number(process.versions.node.split('.')[0]) < 22) return undefined;
  const { buildSchema, graphql } = await import('graphql');
  const schema = buildSchema('type User { id: ID, name: String } type Query { user(id: ID!): User }');
  const rootValue = { user: ({ id }: { id: string }) => loadUser(id) };
  return ({ query }) => graphql({ schema, source: query, rootValue });
}
