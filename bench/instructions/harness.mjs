// The traced calls bench/instructions.sh counts: node harness.mjs <bundle.mjs> <case> <kind> <N>.
// Scope-pair strategy and a bare client from the bundle; 30 000 warm-up calls (WARM=), then N,
// all under a sampled root span (the unsampled cases under an unsampled one). With TIME=<rounds>
// it prints the median CPU time per call instead (for a quick look, not for decisions).
// GCEVERY=<n> forces a full GC every n tracePromise calls.
import { tracingChannel } from 'node:diagnostics_channel';
import { Client, createTransport, initAndBind, startInactiveSpan, withActiveSpan, getAsyncContextStrategy, getMainCarrier } from '@sentry/core';
const [bundle, kase, kind, nStr] = process.argv.slice(2);
const N = Number(nStr);
const GCE = Number(process.env.GCEVERY ?? 0);
const WARM = Number(process.env.WARM ?? 30000);
const lib = await import(bundle);
lib.setScopePairAsyncContextStrategy();
class C extends Client { constructor(o) { super(o); } eventFromException() { return Promise.resolve({}); } eventFromMessage() { return Promise.resolve({}); } }
const UNS = 'unsampled-root';
initAndBind(C, { dsn: 'http://public@127.0.0.1:9/1', tracesSampler: (c) => (c.name === UNS ? 0 : c.parentSampled === false ? 0 : 1), integrations: [], transport: (o) => createTransport(o, () => Promise.resolve({})), stackParser: () => [] });
const storage = getAsyncContextStrategy(getMainCarrier()).getTracingChannelBinding().asyncLocalStorage;
const ch = tracingChannel('cg.' + kase);
const noop = () => {};
const premadeRoot = startInactiveSpan({ name: 'r', op: 'b', forceTransaction: true });
const premade = withActiveSpan(premadeRoot, () => startInactiveSpan({ name: 'p', op: 'b' }));
premade.end(); premadeRoot.end();
const unsRoot = startInactiveSpan({ name: UNS, op: 'b', forceTransaction: true });
const sampledRoot = startInactiveSpan({ name: 'round', op: 'b', forceTransaction: true });
let root = sampledRoot;
if (kase === 'als-floor') {
  ch.start.bindStore(storage, () => storage.getStore());
  ch.subscribe({ end: noop, asyncEnd: noop, error: noop });
} else if (kase === 'courier') {
  lib.bindTracingChannelToSpan(ch, () => premade);
} else if (kase === 'sampled-only') {
  lib.bindTracingChannelToSpan(ch, () => startInactiveSpan({ name: 'x' }), { sampledOnly: true });
  root = unsRoot;
} else if (kase === 'unsampled') {
  lib.bindTracingChannelToSpan(ch, () => startInactiveSpan({ name: 'x' }));
  root = unsRoot;
} else if (kase === 'als-floor-uns') {
  ch.start.bindStore(storage, () => storage.getStore());
  ch.subscribe({ end: noop, asyncEnd: noop, error: noop });
  root = unsRoot;
} else if (kase !== 'none') throw new Error('case?');
const work = () => 1;
const workAsync = async () => 1;
const workCb = (cb) => cb(null, 1);
async function loop(n) {
  if (kind === 'traceSync') for (let i = 0; i < n; i++) ch.traceSync(work, {});
  else if (kind === 'tracePromise') for (let i = 0; i < n; i++) { await ch.tracePromise(workAsync, {}); if (GCE && i % GCE === GCE - 1) globalThis.gc(); }
  else for (let i = 0; i < n; i++) await new Promise((res) => ch.traceCallback(workCb, -1, {}, undefined, res));
}
const run = (n) => (root ? withActiveSpan(root, () => loop(n)) : loop(n));
await run(WARM);
if (process.env.TIME) {
  const rounds = Number(process.env.TIME); const res = [];
  for (let r = 0; r < rounds; r++) { const t = process.cpuUsage(); await run(N); const d = process.cpuUsage(t); res.push(((d.user + d.system) * 1000) / N); }
  res.sort((a, b) => a - b); console.log(res[Math.floor(res.length / 2)].toFixed(1));
} else {
globalThis.gc?.();
await run(N);
globalThis.gc?.();
}
