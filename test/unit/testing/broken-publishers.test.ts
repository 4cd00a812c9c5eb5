/**
 * One hand-built broken publisher per rule: each is reported under exactly its rule and nothing
 * else. Plus the checker's own contract: it unsubscribes, never throws for findings, rejects with
 * run's own error, and rejects bad arguments with a TypeError.
 */
import { describe, expect, it } from 'vitest';
import diagnosticsChannel from 'node:diagnostics_channel';
import { checkTracingChannel, type TracingChannelCheck } from '../../../src/testing';

type Data = Record<string, unknown>;
const ch = diagnosticsChannel.tracingChannel<unknown, Data>('test.checker.broken');
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

function rules(check: TracingChannelCheck): string[] {
  return check.problems.map((p) => p.rule);
}

/** The stores bound to a channel (Node keeps them in `_stores`), as a hand-rolled runStores would read them. */
function boundStores(sub: unknown): Array<[{ enterWith(v: unknown): void }, ((d: unknown) => unknown) | undefined]> {
  const stores = (sub as { _stores?: Map<never, never> })._stores;
  return stores ? [...stores.entries()] : [];
}

describe('checkTracingChannel: one broken publisher per rule', () => {
  it('start-without-end: start, never end', async () => {
    const check = await checkTracingChannel(ch, () => ch.start.runStores({ op: 'a' }, () => 1));
    expect(rules(check)).toEqual(['start-without-end']);
    expect(check.calls).toBe(1);
    expect(check.ok).toBe(false);
    expect(check.problems[0]!.message).toMatch(/^call #0 of "test\.checker\.broken" \[start\]: /);
  }, 10_000);

  it('start-without-end: asyncStart never followed by asyncEnd', async () => {
    const check = await checkTracingChannel(ch, () => {
      const data: Data = {};
      ch.start.runStores(data, () => ch.end.publish(data));
      data.result = 1;
      ch.asyncStart.publish(data);
    }, { settleMs: 5 });
    expect(rules(check)).toEqual(['start-without-end']);
    expect(check.problems[0]!.message).toContain('[start → end → asyncStart]');
  });

  it('needs-is-complete: start and end without result (a sync fastify handler)', async () => {
    const check = await checkTracingChannel(ch, () => {
      const data: Data = { route: '/x' };
      ch.start.runStores(data, () => ch.end.publish(data));
    }, { settleMs: 5 });
    expect(rules(check)).toEqual(['needs-is-complete']);
    expect(check.problems[0]!.message).toContain('isComplete');
  });

  it('needs-is-complete: end with a thenable result and no asyncEnd', async () => {
    const check = await checkTracingChannel(ch, () => {
      const data: Data = {};
      ch.start.runStores(data, () => {
        data.result = Promise.resolve(1);
        ch.end.publish(data);
      });
    }, { settleMs: 5 });
    expect(rules(check)).toEqual(['needs-is-complete']);
    expect(check.problems[0]!.message).toContain('thenable');
  });

  it('payload-changed: end on a copy of the start payload', async () => {
    const check = await checkTracingChannel(ch, () => {
      const data: Data = { op: 'q' };
      ch.start.runStores(data, () => ch.end.publish({ ...data, result: 1 }));
    });
    expect(rules(check)).toEqual(['payload-changed']);
    expect(check.calls).toBe(1);
  });

  it('payload-changed: async events on a new object, outside the store', async () => {
    const check = await checkTracingChannel(ch, async () => {
      const data: Data = {};
      ch.start.runStores(data, () => ch.end.publish(data));
      await tick();
      const later = { result: 2 };
      ch.asyncStart.publish(later);
      ch.asyncEnd.publish(later);
    });
    expect(rules(check)).toEqual(['payload-changed']);
    expect(check.problems[0]!.message).toContain('[start → end → asyncStart → asyncEnd]');
  });

  it('event-after-async-end: a second asyncEnd for a stream', async () => {
    const check = await checkTracingChannel(ch, async () => {
      const data: Data = {};
      ch.start.runStores(data, () => ch.end.publish(data));
      await tick();
      data.result = 'stream';
      ch.asyncStart.publish(data);
      ch.asyncEnd.publish(data);
      ch.asyncEnd.publish(data);
    });
    expect(rules(check)).toEqual(['event-after-async-end']);
    expect(check.problems[0]!.message).toContain('[start → end → asyncStart → asyncEnd → asyncEnd]');
  });

  it('error-without-error: an error event with the error under another key', async () => {
    const check = await checkTracingChannel(ch, async () => {
      const data: Data = {};
      ch.start.runStores(data, () => ch.end.publish(data));
      await tick();
      data.failure = new Error('x');
      ch.error.publish(data);
      ch.asyncStart.publish(data);
      ch.asyncEnd.publish(data);
    });
    expect(rules(check)).toEqual(['error-without-error']);
  });

  it('store-not-active: start.publish instead of start.runStores', async () => {
    const check = await checkTracingChannel(ch, () => {
      const data: Data = {};
      ch.start.publish(data);
      data.result = 1;
      ch.end.publish(data);
    });
    expect(rules(check)).toEqual(['store-not-active']);
  });

  it('store-not-restored: a hand-rolled runStores that uses enterWith', async () => {
    const check = await checkTracingChannel(ch, () => {
      const data: Data = {};
      for (const [store, transform] of boundStores(ch.start)) store.enterWith(transform ? transform(data) : data);
      ch.start.publish(data);
      data.result = 1;
      ch.end.publish(data);
    });
    expect(rules(check)).toEqual(['store-not-restored']);
    expect(check.problems[0]!.message).toContain('call #0');
  });

  it('order: asyncEnd without asyncStart', async () => {
    const check = await checkTracingChannel(ch, async () => {
      const data: Data = {};
      ch.start.runStores(data, () => ch.end.publish(data));
      await tick();
      data.result = 1;
      ch.asyncEnd.publish(data);
    });
    expect(rules(check)).toEqual(['order']);
    expect(check.problems[0]!.message).toContain('asyncEnd without asyncStart');
  });

  it('order: an end with no start', async () => {
    const check = await checkTracingChannel(ch, () => ch.end.publish({ result: 1 }));
    expect(rules(check)).toEqual(['order']);
    expect(check.calls).toBe(0);
  });

  it('order: a second start on the payload of a call still running', async () => {
    const check = await checkTracingChannel(ch, async () => {
      const shared: Data = {};
      const call = (): Promise<void> => ch.start.runStores(shared, async () => {
        ch.end.publish(shared);
        await tick();
        shared.result = 1;
        ch.asyncStart.publish(shared);
        ch.asyncEnd.publish(shared);
      });
      await Promise.all([call(), call()]);
    });
    expect(rules(check)).toEqual(['order']);
    expect(check.calls).toBe(2);
  });

  it('payload-not-object: primitive payloads', async () => {
    const check = await checkTracingChannel(ch, () => {
      ch.start.runStores('q' as never, () => ch.end.publish('q'));
    });
    expect(rules(check)).toEqual(['payload-not-object', 'payload-not-object']);
  });
});

describe('checkTracingChannel: the checker itself', () => {
  it('unsubscribes and unbinds everything afterwards', async () => {
    expect(ch.hasSubscribers).toBe(false);
    await checkTracingChannel(ch, () => {
      expect(ch.hasSubscribers).toBe(true);
      ch.traceSync(() => 1, {});
    });
    expect(ch.hasSubscribers).toBe(false);
    expect(boundStores(ch.start)).toEqual([]);
  });

  it('a channel without bindStore: events still checked, stores not (no store-not-active)', async () => {
    type Listener = (message: unknown, name: string | symbol) => void;
    const plain = (sub: diagnosticsChannel.Channel) => ({
      name: sub.name,
      subscribe: (fn: Listener) => sub.subscribe(fn),
      unsubscribe: (fn: Listener) => sub.unsubscribe(fn),
    });
    const shim = { start: plain(ch.start), end: plain(ch.end), asyncStart: plain(ch.asyncStart), asyncEnd: plain(ch.asyncEnd), error: plain(ch.error) };
    const check = await checkTracingChannel(shim as never, () => {
      const data: Data = {};
      ch.start.publish(data);
      ch.end.publish(data);
    }, { settleMs: 5 });
    expect(rules(check)).toEqual(['needs-is-complete']);
    expect(ch.hasSubscribers).toBe(false);
  });

  it('takes a channel name', async () => {
    const check = await checkTracingChannel('test.checker.broken', () => ch.traceSync(() => 1, {}));
    expect(check).toEqual({ ok: true, calls: 1, problems: [] });
  });

  it('run rejecting: rejects with that error, after unsubscribing', async () => {
    const boom = new Error('run failed');
    await expect(checkTracingChannel(ch, async () => { throw boom; })).rejects.toBe(boom);
    expect(ch.hasSubscribers).toBe(false);
  });

  it('bad arguments: TypeError naming the argument, synchronously', () => {
    expect(() => checkTracingChannel(42 as never, () => {})).toThrow(/"channel"/);
    expect(() => checkTracingChannel(ch, 'x' as never)).toThrow(/"run"/);
    expect(() => checkTracingChannel(ch, () => {}, { settleMs: -1 })).toThrow(/settleMs/);
  });

  it('a problem never throws at the caller and never reaches the process', async () => {
    let uncaught = 0;
    const onUncaught = (): void => void uncaught++;
    process.on('uncaughtException', onUncaught);
    try {
      const check = await checkTracingChannel(ch, () => {
        const p = new Proxy({}, { get() { throw new Error('hostile'); }, has() { throw new Error('hostile'); }, getOwnPropertyDescriptor() { throw new Error('hostile'); } });
        ch.start.runStores(p, () => ch.end.publish(p));
      }, { settleMs: 5 });
      await tick();
      expect(rules(check)).toEqual(['needs-is-complete']);
      expect(uncaught).toBe(0);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
