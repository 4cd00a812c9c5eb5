/**
 * Two instances of `@sentry/core` in one process (CommonJS `@sentry/node` beside this package
 * imported as ESM, and the reverse): Sentry's store shapes are still recognised and scopes forked
 * with their own class, so calls take the cheap path instead of `withActiveSpan`'s full clone.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Scope as EsmScope } from '@sentry/core';
import { describe, expect, it } from 'vitest';
import { forkScope, isCheapScopeForkActive } from '../../../src/sentry-internals/scope-fork';
import { runFixture } from '../../helpers/spawn-fixture';

const FIXTURE = fileURLToPath(new URL('./fixtures/mixed-modules.ts', import.meta.url));

interface Result {
  verdicts: { pair: string; context: string };
  calls: Array<{ activeIsBound: boolean; childParentIsBound: boolean }>;
  made: number;
}

describe('forkScope across @sentry/core instances', () => {
  it('a scope of the CommonJS instance is forked as an instance of its own class, equal to its clone()', () => {
    const { Scope: CjsScope } = createRequire(import.meta.url)('@sentry/core') as typeof import('@sentry/core');
    expect(CjsScope).not.toBe(EsmScope);
    const scope = new CjsScope();
    scope.setTag('t', 1);
    scope.setUser({ id: '9' });
    const forked = forkScope(scope);
    expect(forked).toBeInstanceOf(CjsScope);
    expect(forked).not.toBeInstanceOf(EsmScope);
    expect(Object.keys(forked)).toEqual(Object.keys(scope.clone()));
    expect(forked.getScopeData().tags).toEqual({ t: 1 });
    expect(isCheapScopeForkActive(scope)).toBe(true);
    expect(forkScope(new EsmScope())).toBeInstanceOf(EsmScope);
  });
});

describe('mixed module formats', () => {
  for (const sentryFormat of ['cjs', 'esm'] as const) {
    for (const setup of ['pair', 'otel'] as const) {
      const packageFormat = sentryFormat === 'cjs' ? 'ESM' : 'CommonJS';
      it(`traceSync ok, @sentry/node as ${sentryFormat === 'cjs' ? 'CommonJS' : 'ESM'} (${setup === 'pair' ? 'default store' : 'OpenTelemetry setup'}), this package as ${packageFormat}: the cheap store, span active, children parented`, async () => {
        const run = await runFixture<Result>(FIXTURE, { args: [sentryFormat, setup], timeoutMs: 60_000 });
        expect(run.code, run.stderr).toBe(0);
        const result = run.result!;
        expect(result.verdicts).toEqual(setup === 'pair' ? { pair: 'cheap', context: 'unknown' } : { pair: 'unknown', context: 'cheap' });
        expect(result.made).toBe(3);
        expect(result.calls).toEqual(Array.from({ length: 3 }, () => ({ activeIsBound: true, childParentIsBound: true })));
      }, 60_000);
    }
  }
});
