// workerd entry with @sentry/cloudflare's withSentry (the README's Workers snippet), bundled by
// scripts/runtimes.mjs: answers the SDK checks as JSON.
import * as Sentry from '@sentry/cloudflare';
import { offlineOptions } from './offline-client.mjs';
import { runSdkChecks } from './sdk-checks.mjs';

export default Sentry.withSentry(() => offlineOptions, {
  async fetch() {
    return Response.json(await runSdkChecks('@sentry/cloudflare'));
  },
});
