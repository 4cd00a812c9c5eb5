// The one check every runtime's own Sentry SDK must pass: a span bound to a channel is active
// inside the traced call and parents a child, under the SDK's own root span.
import * as dc from 'node:diagnostics_channel';
import { getActiveSpan, spanToJSON, startInactiveSpan, startSpan } from '@sentry/core';
import { bindTracingChannelToSpan } from 'tracing-channel-span';

/** Resolves to `[{ name, ok, detail }]` for `sdk` (a label), one entry per trace kind. */
export async function runSdkChecks(sdk) {
  const results = [];
  for (const kind of ['traceSync', 'tracePromise', 'traceCallback']) {
    const channel = dc.tracingChannel(`sdk-check:${kind}`);
    let made;
    const binding = bindTracingChannelToSpan(channel, () => (made = startInactiveSpan({ name: `${sdk} ${kind}` })));
    const seen = {};
    const inside = () => {
      seen.active = getActiveSpan();
      seen.child = startSpan({ name: 'child' }, (span) => span);
    };
    try {
      await startSpan({ name: `${sdk} root` }, async (root) => {
        seen.root = root;
        if (kind === 'traceSync') channel.traceSync(inside, {});
        else if (kind === 'tracePromise') await channel.tracePromise(async () => inside(), {});
        else await new Promise((resolve) => channel.traceCallback((cb) => (inside(), cb(null)), 0, {}, undefined, resolve));
      });
      const problems = [];
      if (!made) problems.push('getSpan never ran');
      else {
        if (seen.active !== made) problems.push('bound span not active inside the call');
        const span = spanToJSON(made);
        if (span.parent_span_id !== seen.root.spanContext().spanId) problems.push(`span parent ${span.parent_span_id} is not the root`);
        if (spanToJSON(seen.child).parent_span_id !== made.spanContext().spanId) problems.push('child not parented to the bound span');
      }
      results.push({ name: `${sdk} ${kind}: active, parent/child ids`, ok: problems.length === 0, detail: problems.join('; ') });
    } catch (error) {
      results.push({ name: `${sdk} ${kind}`, ok: false, detail: `threw ${error?.stack ?? error}` });
    } finally {
      binding.unbind();
    }
  }
  return results;
}
