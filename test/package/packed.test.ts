/**
 * The packed tarball as a user gets it: installed into a fresh folder next to @sentry/node (the
 * lowest and the newest release of the peer range), every entry imported from ESM and CommonJS.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, packTarball, type App } from './packed-app';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'));
const ENTRIES = Object.keys(pkg.exports)
  .filter((sub) => sub !== './package.json')
  .map((sub) => (sub === '.' ? 'tracing-channel-span' : `tracing-channel-span/${sub.slice(2)}`));

for (const sentry of ['10.61.0', '11.12.0']) {
  describe(`packed tarball next to @sentry/node ${sentry}`, () => {
    let app: App;
    beforeAll(() => {
      app = createApp(`packed-${sentry}`);
      app.install(`@sentry/node@${sentry}`);
      app.install(packTarball());
    });
    afterAll(() => app?.remove());

    it('one copy of @sentry/core, the SDK one', () => {
      const copies = app.copies('@sentry/core');
      expect(copies).toHaveLength(1);
      expect(copies[0]).toContain(`@sentry/core@${sentry}`);
    });

    for (const entry of ENTRIES) {
      it(`import '${entry}' and require('${entry}') load the same named exports`, () => {
        const esm = app.node(['--input-type=module', '-e', `const m = await import(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(m).sort()))`]);
        // the inspector's whole job is its report on stderr at exit; every other entry prints nothing
        const quiet = entry.endsWith('/inspect') ? /^tracing-channel-span\/inspect: \d+ tracing channel\(s\)[^]*$/ : /^$/;
        expect(esm.stderr).toMatch(quiet);
        expect(esm.status).toBe(0);
        const cjs = app.node(['-e', `console.log(JSON.stringify(Object.keys(require(${JSON.stringify(entry)})).sort()))`]);
        expect(cjs.stderr).toMatch(quiet);
        expect(cjs.status).toBe(0);
        const names = JSON.parse(esm.stdout.trim());
        // the preload exports nothing; every other entry exports its API
        if (entry.endsWith('/inspect')) expect(names).toEqual([]);
        else expect(names.length).toBeGreaterThan(0);
        expect(JSON.parse(cjs.stdout.trim())).toEqual(names);
      });
    }

    it('a binding made before Sentry.init: its span is active inside the call after init, parented to the root (ESM and CJS)', () => {
      const script = (load: string) => `
        ${load}
        const ch = dc.tracingChannel('packed:q');
        let made;
        tcs.bindTracingChannelToSpan(ch, () => (made = Sentry.startInactiveSpan({ name: 'q' })));
        Sentry.init({ dsn: 'http://public@127.0.0.1:9/1', tracesSampleRate: 1, defaultIntegrations: false, transport: () => ({ send: async () => ({}), flush: async () => true }) });
        // the first traced call comes after init has returned (as a request would)
        setImmediate(() => {
          const out = Sentry.startSpan({ name: 'root' }, (root) => ch.traceSync(() => ({
            active: Sentry.getActiveSpan() === made,
            parent: Sentry.spanToJSON(made).parent_span_id === root.spanContext().spanId,
          }), {}));
          console.log(JSON.stringify(out));
        });`;
      const esm = app.node(['--input-type=module', '-e', script(`import * as Sentry from '@sentry/node'; import * as tcs from 'tracing-channel-span'; import dc from 'node:diagnostics_channel';`)]);
      expect(esm.stderr).toBe('');
      expect(JSON.parse(esm.stdout.trim())).toEqual({ active: true, parent: true });
      const cjs = app.node(['-e', script(`const Sentry = require('@sentry/node'); const tcs = require('tracing-channel-span'); const dc = require('node:diagnostics_channel');`)]);
      expect(cjs.stderr).toBe('');
      expect(JSON.parse(cjs.stdout.trim())).toEqual({ active: true, parent: true });
    });
  });
}
