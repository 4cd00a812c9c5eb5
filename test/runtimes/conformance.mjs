// SPEC §2 conformance checks against the BUILT package, written in plain JavaScript so that Bun,
// Deno and workerd (bundled with esbuild) run them as they are. Each check is one behaviour on one
// trace kind; `runConformance()` resolves to `[{ name, ok, detail }]`. The caller installs the
// async-context strategy and a recording client first (see offline-client.mjs).

import * as dc from 'node:diagnostics_channel';
import { getActiveSpan, spanToJSON, startInactiveSpan, startSpan } from '@sentry/core';
import { bindTracingChannelToSpan, getBoundSpan } from 'tracing-channel-span';
import { traceCallback, tracePromise, traceSync } from 'tracing-channel-span/publish';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
let channelCount = 0;
const fresh = () => dc.tracingChannel(`conformance:${++channelCount}`);

function statusOf(span) {
  const json = spanToJSON(span);
  // v11: status 'ok' | 'error' + attribute; v10: status is the message itself.
  const message = json.data?.['sentry.status.message'] ?? json.attributes?.['sentry.status.message'] ?? json.status;
  return { status: json.status, message, errorType: (json.data ?? json.attributes ?? {})['error.type'] };
}

/** Runs `fn(resolveCall)` through `kind` on `channel`; resolves when the call completed. */
function callThrough(kind, channel, fn, data, via = 'channel') {
  const kit = { traceSync, tracePromise, traceCallback };
  const target = via === 'publish' ? null : channel;
  if (kind === 'traceSync') {
    try {
      return Promise.resolve(target ? channel.traceSync(fn, data) : kit.traceSync(channel, fn, data));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  if (kind === 'tracePromise') return target ? channel.tracePromise(fn, data) : kit.tracePromise(channel, fn, data);
  return new Promise((resolve, reject) => {
    const done = (error, value) => (error ? reject(error) : resolve(value));
    const run = (cb) => setTimeout(() => fn(cb), 1);
    // position 0 (not -1: workerd reads args[position])
    if (target) channel.traceCallback(run, 0, data, undefined, done);
    else kit.traceCallback(channel, run, 0, data, undefined, done);
  });
}

/** The body each kind traces: ok (value 42) or failing (Error 'boom'). */
function body(kind, outcome, inside) {
  const error = Object.assign(new Error('boom'), { name: 'BoomError' });
  if (kind === 'traceSync') {
    return () => {
      inside();
      if (outcome === 'throw') throw error;
      return 42;
    };
  }
  if (kind === 'tracePromise') {
    return async () => {
      inside();
      await tick();
      inside('after await');
      if (outcome === 'throw') throw error;
      return 42;
    };
  }
  return (cb) => {
    inside();
    if (outcome === 'throw') cb(error);
    else cb(null, 42);
  };
}

async function check(results, name, fn) {
  try {
    const detail = await fn();
    results.push({ name, ok: detail === true, detail: detail === true ? '' : String(detail) });
  } catch (error) {
    results.push({ name, ok: false, detail: `threw ${error?.stack ?? error}` });
  }
}

/** The recording hooks: `ended` counts span ends (the client's `spanEnd` hook). */
export function recordEnds(client) {
  const ends = new Map();
  client.on('spanEnd', (span) => ends.set(span, (ends.get(span) ?? 0) + 1));
  return ends;
}

/**
 * Runs every check. `ends` is the Map from `recordEnds(client)`.
 * Resolves to `[{ name, ok, detail }]`.
 */
export async function runConformance(ends) {
  const results = [];
  for (const kind of ['traceSync', 'tracePromise', 'traceCallback']) {
    for (const via of ['channel', 'publish']) {
      const label = via === 'publish' ? `publish.${kind}` : kind;
      await check(results, `${label} ok: span active inside, child parented, ended once`, async () => {
        const channel = fresh();
        let made;
        const seen = [];
        const binding = bindTracingChannelToSpan(channel, () => (made = startInactiveSpan({ name: `${label} ok` })));
        const value = await startSpan({ name: 'root' }, () =>
          callThrough(kind, channel, body(kind, 'ok', () => seen.push([getActiveSpan(), startSpan({ name: 'child' }, (c) => c)])), { q: 1 }, via),
        );
        binding.unbind();
        await tick();
        if (value !== 42) return `returned ${value}`;
        if (!made) return 'getSpan never ran';
        if (seen.some(([active]) => active !== made)) return 'bound span not active inside the call';
        const child = spanToJSON(seen[0][1]);
        if (child.parent_span_id !== made.spanContext().spanId) return `child parent ${child.parent_span_id} != ${made.spanContext().spanId}`;
        if (ends.get(made) !== 1) return `ended ${ends.get(made) ?? 0} times`;
        return true;
      });
      await check(results, `${label} error: error status, message and error.type, ended once`, async () => {
        const channel = fresh();
        let made;
        const binding = bindTracingChannelToSpan(channel, () => (made = startInactiveSpan({ name: `${label} error` })));
        const outcome = await callThrough(kind, channel, body(kind, 'throw', () => {}), {}, via).then(
          () => 'resolved',
          (error) => error.message,
        );
        binding.unbind();
        await tick();
        if (outcome !== 'boom') return `caller saw ${outcome}`;
        if (!made) return 'getSpan never ran';
        const { status, message, errorType } = statusOf(made);
        if (status !== 'error' && status !== 'boom') return `status ${status}`;
        if (message !== 'boom') return `message ${message}`;
        if (errorType !== 'BoomError') return `error.type ${errorType}`;
        if (ends.get(made) !== 1) return `ended ${ends.get(made) ?? 0} times`;
        return true;
      });
    }
    await check(results, `${kind} getSpan undefined: caller context untouched`, async () => {
      const channel = fresh();
      const seen = [];
      const binding = bindTracingChannelToSpan(channel, () => undefined);
      let root;
      await startSpan({ name: 'root' }, (span) => {
        root = span;
        return callThrough(kind, channel, body(kind, 'ok', () => seen.push(getActiveSpan())), {});
      });
      binding.unbind();
      return seen.length > 0 && seen.every((s) => s === root) ? true : 'active span changed';
    });
    await check(results, `${kind} getSpan throws: the call returns as without tracing`, async () => {
      const channel = fresh();
      const binding = bindTracingChannelToSpan(channel, () => {
        throw new Error('user bug');
      });
      const value = await callThrough(kind, channel, body(kind, 'ok', () => {}), {});
      binding.unbind();
      await tick();
      return value === 42 ? true : `returned ${value}`;
    });
    await check(results, `${kind} payload: not modified, getBoundSpan answers inside`, async () => {
      const channel = fresh();
      const data = { q: 1 };
      let made;
      let bound;
      const binding = bindTracingChannelToSpan(channel, () => (made = startInactiveSpan({ name: 'p' })));
      await callThrough(kind, channel, body(kind, 'ok', () => (bound = getBoundSpan(data))), data);
      binding.unbind();
      // Node itself writes `result` / `error`; nothing else may appear (no symbol either).
      const extra = Reflect.ownKeys(data).filter((k) => !['q', 'result', 'error'].includes(k));
      if (extra.length > 0) return `payload got keys ${extra.map(String)}`;
      return bound === made ? true : 'getBoundSpan did not answer the span';
    });
  }
  await check(results, 'traceCallback: the user callback runs in the caller context', async () => {
    const channel = fresh();
    let root;
    let inCallback;
    const binding = bindTracingChannelToSpan(channel, () => startInactiveSpan({ name: 'cb' }));
    await startSpan({ name: 'root' }, (span) => {
      root = span;
      return new Promise((resolve) => channel.traceCallback((cb) => setTimeout(() => cb(null, 1), 1), 0, {}, undefined, () => {
        inCallback = getActiveSpan();
        resolve();
      }));
    });
    binding.unbind();
    return inCallback === root ? true : 'callback ran inside the bound span';
  });
  await check(results, 'publish without subscribers: same value, no span', async () => {
    const channel = fresh();
    const promise = Promise.resolve(7);
    const back = tracePromise(channel, () => promise, {});
    const sync = traceSync(channel, () => 8, {});
    return back === promise && sync === 8 ? true : 'publish kit changed the return value';
  });
  await check(results, 'unbind: no getSpan afterwards, idempotent', async () => {
    const channel = fresh();
    let calls = 0;
    const binding = bindTracingChannelToSpan(channel, () => (calls++, startInactiveSpan({ name: 'u' })));
    channel.traceSync(() => 1, {});
    binding.unbind();
    binding.unbind();
    channel.traceSync(() => 1, {});
    return calls === 1 ? true : `getSpan ran ${calls} times`;
  });
  return results;
}

/** `name: N passed, M failed` plus one line per failure. */
export function report(name, results) {
  const failed = results.filter((r) => !r.ok);
  const lines = failed.map((r) => `  FAIL ${r.name}: ${r.detail}`);
  lines.push(`${name}: ${results.length - failed.length} passed, ${failed.length} failed`);
  return lines.join('\n');
}
