// workerd entry around the README's Workers snippet (readme-snippet.mjs, copied by
// scripts/runtimes.mjs): calls its fetch handler and reports whether the snippet's span was the
// active span inside the traced call (seen by an `end` subscriber, which runs inside the store).
import * as dc from 'node:diagnostics_channel';
import { getActiveSpan, spanToJSON } from '@sentry/core';
import snippet from './readme-snippet.mjs';

let seen;
dc.tracingChannel('mylib.query').end.subscribe(() => {
  const span = getActiveSpan();
  seen = span ? (spanToJSON(span).description ?? spanToJSON(span).name) : undefined;
});

export default {
  async fetch(request, env, ctx) {
    const response = await snippet.fetch(request, env, ctx);
    const body = await response.json();
    const ok = seen === 'SELECT 1' && body[0]?.id === 1;
    return Response.json([{ name: 'README Workers snippet: span active inside the call', ok, detail: `active: ${seen}, body: ${JSON.stringify(body)}` }]);
  },
};
