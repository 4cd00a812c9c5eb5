// @sentry/bun: Sentry.init as a Bun app does, then the SDK checks. Prints `bun-sdk: N passed, M failed`.
import * as Sentry from '@sentry/bun';
import { report } from './conformance.mjs';
import { offlineOptions } from './offline-client.mjs';
import { runSdkChecks } from './sdk-checks.mjs';

Sentry.init(offlineOptions);
const results = await runSdkChecks('@sentry/bun');
console.log(report(process.argv[2] ?? 'sdk', results));
if (results.some((r) => !r.ok)) process.exitCode = 1;
