/**
 * `npm run demo`: real traced work, drawn in the terminal as one waterfall per trace. With
 * SENTRY_DSN set the same traces (and the one captured error) are also sent to Sentry.
 *
 * 1. the core on its own: a TracingChannel of our own
 * 2. a web app: h3 + srvx with redis, the AI SDK, graphql and pino, traced by the ready integrations
 */
import * as Sentry from '@sentry/node';
import { instrumentAiSdk } from '../src/ai';
import { instrumentGraphql } from '../src/graphql';
import { instrumentPino } from '../src/pino';
import { instrumentMysql2 } from '../src/mysql2';
import { instrumentNitro } from '../src/nitro';
import { instrumentRedis } from '../src/redis';
import { runCoreDemo } from './core-demo';
import { runHttpDemo } from './http-demo';
import { collectSpans, renderWaterfall } from './waterfall';

const dsn = process.env.SENTRY_DSN;
const capturedErrors: string[] = [];
const capturedLogs: string[] = [];
Sentry.init({
  dsn,
  tracesSampleRate: 1,
  integrations: (defaults) => [
    // @sentry/node 11 has its own Nitro, Redis and Mysql2 integrations on the same channels (spans would
    // double), and NodeFetch is off because the demo's own fetch calls play an outside client.
    ...defaults.filter((i) => !['Nitro', 'Redis', 'Mysql2', 'Http', 'NodeFetch'].includes(i.name)),
    // Per-request isolation from the HTTP integration, but the server span is made by
    // instrumentNitro(), which also continues a W3C `traceparent`.
    Sentry.httpIntegration({ spans: false }),
  ],
  beforeSendLog(log) {
    const fields = Object.entries(log.attributes ?? {}).filter(([key]) => ['userId', 'cache'].includes(key));
    capturedLogs.push(`${log.level} "${log.message}" ${fields.map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
    return log;
  },
  beforeSend(event) {
    const exception = event.exception?.values?.[0];
    capturedErrors.push(`${exception?.type ?? 'event'}: ${exception?.value ?? event.message ?? ''} (mechanism ${exception?.mechanism?.type})`);
    return event;
  },
});
const client = Sentry.getClient();
if (!client) throw new Error('Sentry.init did not create a client');
const spans = collectSpans(client);
const integrations = [
  instrumentNitro(),
  instrumentRedis(),
  instrumentMysql2(),
  instrumentAiSdk(),
  instrumentGraphql(),
  instrumentPino(),
];

console.log('tracing-channel-span demo\n');
console.log('1. the core: a channel of our own (sync, promise, callback, nested, one failure)\n');
await runCoreDemo();
await Sentry.flush(2000);
console.log(renderWaterfall(spans, { attributes: ['demo.depth'] }));
spans.length = 0;

console.log('2. a web app: h3 + srvx with redis, the AI SDK, graphql and pino (instrumentNitro, instrumentRedis, instrumentAiSdk, instrumentGraphql, instrumentPino)\n');
try {
  await runHttpDemo(spans, capturedErrors, capturedLogs);
} finally {
  for (const integration of integrations) integration.unbind();
}

if (dsn) console.log('sent to Sentry (SENTRY_DSN is set)');
else console.log('(set SENTRY_DSN to also send these traces to Sentry)');
await Sentry.close(2000);
