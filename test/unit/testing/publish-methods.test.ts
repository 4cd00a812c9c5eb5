/**
 * checkTracingChannel against this package's own `tracing-channel-span/publish`: every kind and
 * outcome is well formed on every Node version.
 */
import { describe, expect, it } from 'vitest';
import { checkTracingChannel } from '../../../src/testing';
import { traceCallback, tracePromise, traceSync } from '../../../src/publish';

const name = 'test.checker.publish';
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

async function expectOk(run: () => unknown): Promise<void> {
  expect(await checkTracingChannel(name, run)).toEqual({ ok: true, calls: 1, problems: [] });
}

describe('checkTracingChannel vs tracing-channel-span/publish', () => {
  it('traceSync ok / throw: no problems', async () => {
    await expectOk(() => expect(traceSync(name, () => 1)).toBe(1));
    await expectOk(() => expect(() => traceSync(name, () => { throw new Error('x'); })).toThrow('x'));
  });
  it('tracePromise resolve / reject / sync throw / non-thenable / thenable: no problems', async () => {
    await expectOk(async () => expect(await tracePromise(name, async () => { await tick(); return 2; })).toBe(2));
    await expectOk(() => expect(tracePromise(name, async () => { await tick(); throw new Error('r'); })).rejects.toThrow('r'));
    await expectOk(() => expect(() => tracePromise(name, () => { throw new Error('s'); })).toThrow('s'));
    await expectOk(() => expect(tracePromise(name, () => 3)).toBe(3));
    const syncThenable = { then: (resolve: (v: number) => void) => resolve(4) };
    await expectOk(async () => expect(await tracePromise(name, () => syncThenable)).toBe(4));
  });
  it('traceCallback ok / error / synchronous callback / no callback: no problems', async () => {
    const later = (cb: (e: Error | null, v?: number) => void): void => void setTimeout(() => cb(null, 5), 1);
    const fail = (cb: (e: Error | null) => void): void => void setTimeout(() => cb(new Error('cb')), 1);
    const now = (cb: (e: Error | null, v?: number) => void): void => cb(null, 6);
    await expectOk(() => new Promise((resolve) => traceCallback(name, later, -1, undefined, undefined, (_e, v) => resolve(v))));
    await expectOk(() => new Promise((resolve) => traceCallback(name, fail, -1, undefined, undefined, (e) => resolve(e))));
    await expectOk(() => new Promise((resolve) => traceCallback(name, now, -1, undefined, undefined, (_e, v) => resolve(v))));
    await expectOk(() => traceCallback(name, async (_cb?: () => void) => 7, -1, undefined, undefined, undefined));
  });
});
