// @sentry/deno: Sentry.init as a Deno app does (the README's Deno snippet), then the SDK checks.
import * as Sentry from '@sentry/deno';
import { setScopePairAsyncContextStrategy } from 'tracing-channel-span';
import { report } from './conformance.mjs';
import { offlineOptions } from './offline-client.mjs';
import { runSdkChecks } from './sdk-checks.mjs';

Sentry.init(offlineOptions);
if (process.env.TCS_DENO_STRATEGY !== 'none') setScopePairAsyncContextStrategy();
const results = await runSdkChecks('@sentry/deno');
console.log(report(process.argv[2] ?? 'sdk', results));
if (results.some((r) => !r.ok)) process.exitCode = 1;
