/**
 * `npm run demo`: real traced work, drawn in the terminal as a waterfall. With SENTRY_DSN set the
 * same trace is also sent to Sentry.
 */
import * as Sentry from '@sentry/node';
import { collectSpans, renderWaterfall } from './waterfall';
import { runCoreDemo } from './core-demo';

const dsn = process.env.SENTRY_DSN;
Sentry.init({ dsn, tracesSampleRate: 1, defaultIntegrations: false });
const client = Sentry.getClient();
if (!client) throw new Error('Sentry.init did not create a client');
const spans = collectSpans(client);

console.log('tracing-channel-span demo\n');
console.log('1. the core: a channel of our own (sync, promise, callback, nested, one failure)\n');
await runCoreDemo();
await Sentry.flush(2000);
console.log(renderWaterfall(spans, { attributes: ['demo.depth'] }));
spans.length = 0;

if (dsn) console.log('sent to Sentry (SENTRY_DSN is set)');
else console.log('(set SENTRY_DSN to also send these traces to Sentry)');
await Sentry.close(2000);
