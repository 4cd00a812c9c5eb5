/**
 * SPEC §1 "one copy, or a loud warning": the install that makes two copies of @sentry/core (the
 * package installed naming @sentry/core, next to an @sentry/node that is not the newest) prints
 * one console.warn per process naming both versions and the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, packTarball, type App } from './packed-app';

const SDK = '11.0.0';

describe(`two copies: npm install tracing-channel-span @sentry/core next to @sentry/node ${SDK}`, () => {
  let app: App;
  beforeAll(() => {
    app = createApp('two-copies');
    app.install(`@sentry/node@${SDK}`);
    app.install(packTarball(), '@sentry/core');
  });
  afterAll(() => app?.remove());

  it('the install really has two copies', () => {
    // The SDK and its siblings each keep a nested copy of SDK; the top level has the newest.
    const versions = new Set(app.copies('@sentry/core').map((line) => line.split('@sentry/core@')[1]));
    expect(versions.size).toBe(2);
    expect(versions.has(SDK)).toBe(true);
  });

  it('traced calls after Sentry.init: one warning naming both versions and the fix', () => {
    const r = app.node([
      '--input-type=module',
      '-e',
      `
      import * as Sentry from '@sentry/node';
      import { SDK_VERSION } from '@sentry/core';
      import { bindTracingChannelToSpan } from 'tracing-channel-span';
      import dc from 'node:diagnostics_channel';
      Sentry.init({ dsn: 'http://public@127.0.0.1:9/1', tracesSampleRate: 1, defaultIntegrations: false, transport: () => ({ send: async () => ({}), flush: async () => true }) });
      const ch = dc.tracingChannel('two-copies:q');
      bindTracingChannelToSpan(ch, () => undefined);
      bindTracingChannelToSpan('two-copies:other', () => undefined);
      for (let i = 0; i < 5; i++) ch.traceSync(() => i, {});
      dc.tracingChannel('two-copies:other').traceSync(() => 0, {});
      console.log(SDK_VERSION);
      `,
    ]);
    expect(r.status).toBe(0);
    const topLevel = r.stdout.trim();
    expect(topLevel).not.toBe(SDK);
    const warnings = r.stderr.split('\n').filter((line) => line.includes('tracing-channel-span'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(topLevel);
    expect(warnings[0]).toContain(SDK);
    expect(warnings[0]).toContain('npm ls @sentry/core');
  });
});

// A new app that installs its SDK and this package in one command: npm satisfies the peer with
// the newest @sentry/core in range and nests the SDK's pinned one, so the two copies happen without
// naming @sentry/core. The warning says so, and the pin it suggests leaves one copy that traces.
const OLD_SDK = '10.61.0';

describe(`one install line: npm install @sentry/node@${OLD_SDK} tracing-channel-span`, () => {
  let app: App;
  const traced = `
    import * as Sentry from '@sentry/node';
    import { bindTracingChannelToSpan } from 'tracing-channel-span';
    import dc from 'node:diagnostics_channel';
    Sentry.init({ dsn: 'http://public@127.0.0.1:9/1', tracesSampleRate: 1, defaultIntegrations: false, transport: () => ({ send: async () => ({}), flush: async () => true }) });
    let made;
    bindTracingChannelToSpan('one-line:q', () => (made = Sentry.startInactiveSpan({ name: 'q' })));
    const active = Sentry.startSpan({ name: 'root' }, () => dc.tracingChannel('one-line:q').traceSync(() => Sentry.getActiveSpan() === made, {}));
    console.log(JSON.stringify({ made: made !== undefined, active }));
  `;
  const versionsOf = (a: App) => new Set(a.copies('@sentry/core').map((line) => line.split('@sentry/core@')[1]));
  beforeAll(() => {
    app = createApp('one-line');
    app.install(`@sentry/node@${OLD_SDK}`, packTarball());
  });
  afterAll(() => app?.remove());

  it('two copies, one warning naming both versions and the pin; the pin makes one copy that traces', () => {
    const before = versionsOf(app);
    expect(before.size).toBe(2);
    expect(before.has(OLD_SDK)).toBe(true);
    const warned = app.node(['--input-type=module', '-e', traced]);
    expect(warned.status).toBe(0);
    const warnings = warned.stderr.split('\n').filter((line) => line.includes('tracing-channel-span'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(OLD_SDK);
    expect(warnings[0]).toContain(`npm install @sentry/core@${OLD_SDK}`);
    // this package's copy has no client: getSpan's span is made by the SDK's copy, never activated
    expect(JSON.parse(warned.stdout.trim())).toEqual({ made: true, active: false });

    app.install(`@sentry/core@${OLD_SDK}`);
    expect([...versionsOf(app)]).toEqual([OLD_SDK]);
    const fixed = app.node(['--input-type=module', '-e', traced]);
    expect(fixed.stderr).toBe('');
    expect(fixed.status).toBe(0);
    expect(JSON.parse(fixed.stdout.trim())).toEqual({ made: true, active: true });
  });
});
