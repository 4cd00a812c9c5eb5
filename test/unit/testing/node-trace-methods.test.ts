/**
 * checkTracingChannel against Node's own traceSync / tracePromise / traceCallback, every kind
 * and outcome, on whatever Node runs the suite (the matrix runs it on 20, 22, 24, 25 and 26):
 * Node's own output is always well formed, so every check must come back ok with one call per
 * traced call.
 */
import { describe, expect, it } from 'vitest';
import diagnosticsChannel from 'node:diagnostics_channel';
import { checkTracingChannel } from '../../../src/testing';

// A few shared channels: Node 25 aborts past about 1000 channel names per process.
const channel = diagnosticsChannel.tracingChannel<unknown, Record<string, unknown>>('test.checker.node');
const name = 'test.checker.node';
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

async function expectOk(run: () => unknown, calls = 1): Promise<void> {
  const check = await checkTracingChannel(channel, run);
  expect(check.problems).toEqual([]);
  expect(check.ok).toBe(true);
  expect(check.calls).toBe(calls);
}

describe('checkTracingChannel vs Node traceSync', () => {
  it('traceSync ok: no problems, one call', async () => {
    await expectOk(() => expect(channel.traceSync(() => 42, {})).toBe(42));
  });
  it('traceSync throw: no problems, one call', async () => {
    await expectOk(() => expect(() => channel.traceSync(() => { throw new Error('x'); }, {})).toThrow('x'));
  });
  it('traceSync without a context: no problems', async () => {
    await expectOk(() => channel.traceSync(() => 1));
  });
});

describe('checkTracingChannel vs Node tracePromise', () => {
  it('tracePromise resolve: no problems', async () => {
    await expectOk(async () => expect(await channel.tracePromise(async () => { await tick(); return 7; }, {})).toBe(7));
  });
  it('tracePromise reject: no problems', async () => {
    await expectOk(() => expect(channel.tracePromise(async () => { await tick(); throw new Error('no'); }, {})).rejects.toThrow('no'));
  });
  it('tracePromise sync throw: no problems', async () => {
    await expectOk(() => expect(() => channel.tracePromise(() => { throw new Error('sync'); }, {})).toThrow('sync'));
  });
  it('tracePromise non-thenable (Node 26 passes it through, 20–25 wrap it): no problems', async () => {
    const silence = (): void => {};
    process.on('warning', silence);
    try {
      await expectOk(async () => expect(await (channel.tracePromise as (fn: () => unknown, ctx: object) => unknown)(() => 5, {})).toBe(5));
    } finally {
      process.off('warning', silence);
    }
  });
  it('tracePromise custom thenable settling later: no problems', async () => {
    const thenable = { then: (resolve: (v: number) => void) => void setTimeout(() => resolve(3), 1) };
    await expectOk(async () => expect(await channel.tracePromise(() => thenable as unknown as Promise<number>, {})).toBe(3));
  });
  it('tracePromise custom thenable settling synchronously inside then: no problems', async () => {
    const thenable = { then: (resolve: (v: number) => void) => resolve(4) };
    await expectOk(async () => expect(await channel.tracePromise(() => thenable as unknown as Promise<number>, {})).toBe(4));
  });
  it('tracePromise custom thenable rejecting: no problems', async () => {
    const thenable = { then: (_: unknown, reject: (e: Error) => void) => void setTimeout(() => reject(new Error('t')), 1) };
    await expectOk(() => expect(channel.tracePromise(() => thenable as unknown as Promise<number>, {})).rejects.toThrow('t'));
  });
  it('tracePromise Promise subclass: no problems', async () => {
    class Sub<T> extends Promise<T> {}
    await expectOk(async () => expect(await channel.tracePromise(() => new Sub<number>((r) => setTimeout(() => r(9), 1)), {})).toBe(9));
  });
  it('tracePromise without a context: no problems', async () => {
    await expectOk(() => channel.tracePromise(async () => 1));
  });
  it('tracePromise, 10 concurrent and nested calls: no problems, 20 calls', async () => {
    await expectOk(
      () => Promise.all(Array.from({ length: 10 }, (_, i) => channel.tracePromise(async () => { await tick(); return channel.tracePromise(async () => i, {}); }, {}))),
      20,
    );
  });
});

describe('checkTracingChannel vs Node traceCallback', () => {
  const later = (value: number, cb: (err: Error | null, v?: number) => void): void => void setTimeout(() => cb(null, value), 1);
  const failLater = (cb: (err: Error | null) => void): void => void setTimeout(() => cb(new Error('cb')), 1);
  const now = (value: number, cb: (err: Error | null, v?: number) => void): void => cb(null, value);
  const failNow = (cb: (err: Error | null) => void): void => cb(new Error('now'));

  it('traceCallback ok: no problems', async () => {
    await expectOk(() => new Promise((resolve) => channel.traceCallback(later, -1, {}, undefined, 1, (_e: unknown, v?: number) => resolve(v))));
  });
  it('traceCallback error: no problems', async () => {
    await expectOk(() => new Promise((resolve) => channel.traceCallback(failLater, -1, {}, undefined, (e: unknown) => resolve(e))));
  });
  it('traceCallback, callback invoked synchronously: no problems', async () => {
    await expectOk(() => new Promise((resolve) => channel.traceCallback(now, -1, {}, undefined, 2, (_e: unknown, v?: number) => resolve(v))));
  });
  it('traceCallback, callback invoked synchronously with an error: no problems', async () => {
    await expectOk(() => new Promise((resolve) => channel.traceCallback(failNow, -1, {}, undefined, (e: unknown) => resolve(e))));
  });
  it('traceCallback fn throws synchronously: no problems', async () => {
    await expectOk(() => expect(() => channel.traceCallback((_cb: () => void) => { throw new Error('t'); }, -1, {}, undefined, () => {})).toThrow('t'));
  });
  it('traceCallback callback at position 0: no problems', async () => {
    const first = (cb: (err: null, v: number) => void, value: number): void => void setTimeout(() => cb(null, value), 1);
    const traceCallback = channel.traceCallback.bind(channel) as (...args: unknown[]) => unknown;
    await expectOk(() => new Promise((resolve) => traceCallback(first, 0, {}, undefined, (_e: unknown, v: number) => resolve(v), 5)));
  });
});

describe('checkTracingChannel with odd payloads from Node', () => {
  it('a frozen payload (as Node 26.0–26.6 used for traceCallback): read, never written; Node cannot record the result, so needs-is-complete', async () => {
    const frozen = Object.freeze({ op: 'x' });
    const check = await checkTracingChannel(channel, () => {
      expect(() => channel.traceSync(() => 1, frozen)).toThrow(TypeError);
    });
    expect(check.calls).toBe(1);
    expect(check.problems.map((p) => p.rule)).toEqual(['needs-is-complete']);
    expect(check.problems[0]!.message).toContain(`call #0 of "${name}" [start → end]`);
  });
  it('a null-prototype payload: no problems', async () => {
    await expectOk(() => channel.traceSync(() => 1, Object.create(null)));
  });
});
