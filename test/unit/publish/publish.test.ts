import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { traceCallback, tracePromise, traceSync } from '../../../src/publish';

type EventName = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';
const EVENTS: EventName[] = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];

/** What a subscriber saw at the moment of one event (the payload is mutated later on). */
interface Seen {
  event: EventName;
  context: object;
  hasResult: boolean;
  result?: unknown;
  hasError: boolean;
  error?: unknown;
}

let channelCount = 0;
const cleanups: Array<() => void> = [];

afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** A fresh channel name per test, so no test sees another's subscribers. */
function freshName(): string {
  channelCount += 1;
  return `publish-test.op${channelCount}`;
}

/** Subscribes to all five events of `name` and records what each one carried. */
function record(name: string): { seen: Seen[]; events: () => EventName[] } {
  const seen: Seen[] = [];
  const channel = dc.tracingChannel(name);
  const handlers = Object.fromEntries(
    EVENTS.map((event) => [
      event,
      (message: unknown) => {
        const context = message as { result?: unknown; error?: unknown };
        seen.push({
          event,
          context,
          hasResult: 'result' in context,
          result: context.result,
          hasError: 'error' in context,
          error: context.error,
        });
      },
    ]),
  ) as unknown as dc.TracingChannelSubscribers<object>;
  channel.subscribe(handlers);
  cleanups.push(() => channel.unsubscribe(handlers));
  return { seen, events: () => seen.map((s) => s.event) };
}

/** Subscribes and unsubscribes again, so the channel exists but has nobody listening. */
function subscribedThenUnsubscribed(name: string): { calls: () => number } {
  const channel = dc.tracingChannel(name);
  let calls = 0;
  const handler = () => {
    calls += 1;
  };
  const handlers = { start: handler, end: handler, asyncStart: handler, asyncEnd: handler, error: handler };
  channel.subscribe(handlers);
  channel.unsubscribe(handlers);
  expect(channel.hasSubscribers).toBe(false);
  return { calls: () => calls };
}

function bindStore<T>(name: string, event: EventName, transform: (data: object) => T): AsyncLocalStorage<T> {
  const als = new AsyncLocalStorage<T>();
  const sub = dc.tracingChannel(name)[event];
  sub.bindStore(als as AsyncLocalStorage<unknown>, transform as (data: unknown) => unknown);
  cleanups.push(() => sub.unbindStore(als as AsyncLocalStorage<unknown>));
  return als;
}

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

async function settleAFewTurns(): Promise<void> {
  for (let i = 0; i < 5; i++) await nextMacrotask();
}

/**
 * Runs `scenario` with only our own `unhandledRejection` listener installed (the test runner's
 * are put back afterwards) and returns the reasons reported, after a few macrotask turns.
 */
async function unhandledRejectionsDuring(scenario: () => unknown): Promise<unknown[]> {
  const reasons: unknown[] = [];
  const saved = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  const listener = (reason: unknown) => {
    reasons.push(reason);
  };
  process.on('unhandledRejection', listener);
  try {
    await scenario();
    await settleAFewTurns();
  } finally {
    process.removeListener('unhandledRejection', listener);
    for (const l of saved) process.on('unhandledRejection', l as (...args: unknown[]) => void);
  }
  return reasons;
}

/** A promise-like object that counts how often `then` is called; settle it by hand. */
function countingThenable<T>() {
  const state = {
    thenCalls: 0,
    settled: undefined as undefined | { ok: boolean; value: unknown },
    callbacks: [] as Array<[(v: unknown) => unknown, (e: unknown) => unknown]>,
  };
  const deliver = ([onFulfilled, onRejected]: [(v: unknown) => unknown, (e: unknown) => unknown]) => {
    if (state.settled?.ok === true) onFulfilled(state.settled.value);
    else if (state.settled?.ok === false) onRejected(state.settled.value);
  };
  const thenable = {
    then(onFulfilled?: (v: T) => unknown, onRejected?: (e: unknown) => unknown) {
      state.thenCalls += 1;
      const entry: [(v: unknown) => unknown, (e: unknown) => unknown] = [
        (onFulfilled as (v: unknown) => unknown) ?? ((v) => v),
        onRejected ?? ((e) => e),
      ];
      state.callbacks.push(entry);
      deliver(entry);
      return undefined;
    },
  };
  const settle = (ok: boolean, value: unknown) => {
    state.settled = { ok, value };
    state.callbacks.forEach(deliver);
  };
  return {
    thenable,
    state,
    resolve: (value: T) => settle(true, value),
    // a misbehaving thenable may call back more than once; `reject` models that
    reject: (error: unknown) => state.callbacks.forEach(([, r]) => r(error)),
  };
}

class CountingPromise<T> extends Promise<T> {
  static thenCalls = 0;
  override then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    CountingPromise.thenCalls += 1;
    return super.then(onFulfilled, onRejected);
  }
}

describe('channel argument', () => {
  it('traceSync by name and by TracingChannel object: both publish on the same channel', () => {
    const name = freshName();
    const { events } = record(name);
    traceSync(name, () => 1);
    traceSync(dc.tracingChannel(name), () => 2);
    expect(events()).toEqual(['start', 'end', 'start', 'end']);
  });

  it('traceSync with a channel that is neither a name nor an object: TypeError naming "channel"', () => {
    expect(() => traceSync(42 as never, () => 1)).toThrow(TypeError);
    expect(() => traceSync(null as never, () => 1)).toThrow(/"channel"/);
  });

  it('tracePromise without process.getBuiltinModule: the builtin comes through the require fallback, same value, traced', async () => {
    const name = freshName();
    const { seen } = record(name);
    const original = process.getBuiltinModule;
    vi.resetModules();
    (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
    try {
      const fresh = await import('../../../src/publish');
      const promise = Promise.resolve('v');
      let thisSeen: unknown;
      const self = {};
      const returned = fresh.tracePromise(
        name,
        function (this: unknown, a: number, b: number) {
          thisSeen = this;
          expect(a + b).toBe(3);
          return promise;
        },
        undefined,
        self,
        1,
        2,
      );
      expect(returned).toBe(promise);
      expect(thisSeen).toBe(self);
      const cb = () => undefined;
      let received: unknown;
      fresh.traceCallback(name, (f: unknown) => {
        received = f;
      }, 0, undefined, undefined, cb);
      expect(typeof received).toBe('function'); // traced: the callback is wrapped
      expect(fresh.traceSync(name, () => 'sync')).toBe('sync');
    } finally {
      process.getBuiltinModule = original;
      vi.resetModules();
    }
    // the subscriber saw the three calls: the channel was found without getBuiltinModule
    expect(seen.filter((s) => s.event === 'start')).toHaveLength(3);
  });
});

describe('returned value identity, with a subscriber, for every trace kind', () => {
  const kinds = {
    traceSync: (name: string, fn: () => unknown) => traceSync(name, fn),
    tracePromise: (name: string, fn: () => unknown) => tracePromise(name, fn),
    traceCallback: (name: string, fn: () => unknown) =>
      traceCallback(name, (_cb: () => void) => fn(), 0, undefined, undefined, () => undefined),
  };
  const values: Record<string, () => unknown> = {
    'native promise': () => Promise.resolve('native'),
    'promise subclass': () => CountingPromise.resolve('subclass'),
    'custom thenable': () => ({ then: (resolve: (v: string) => void) => resolve('thenable') }),
    'plain object': () => ({ plain: true }),
    undefined: () => undefined,
    'a number': () => 7,
  };
  for (const [kind, trace] of Object.entries(kinds)) {
    for (const [label, make] of Object.entries(values)) {
      it(`${kind} returns ${label}: the caller gets the very same value`, async () => {
        const name = freshName();
        const { events } = record(name);
        const value = make();
        expect(trace(name, () => value)).toBe(value);
        await nextMacrotask();
        expect(events().slice(0, 2)).toEqual(['start', 'end']);
      });
    }
    it(`${kind} throws synchronously: the same error object is re-thrown`, () => {
      const name = freshName();
      const { events } = record(name);
      const boom = new Error(`${kind} sync`);
      let caught: unknown;
      try {
        trace(name, () => {
          throw boom;
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBe(boom);
      expect(events()).toEqual(['start', 'error', 'end']);
    });
  }
});

describe('traceSync', () => {
  it('traceSync returns: the caller gets the very object fn returned, subscribers see start → end{result}', () => {
    const name = freshName();
    const { seen, events } = record(name);
    const value = { answer: 42 };
    const context = { op: 'x' };
    const self = { me: true };
    let thisSeen: unknown;
    const returned = traceSync(
      name,
      function (this: unknown, a: number, b: string) {
        thisSeen = this;
        expect([a, b]).toEqual([1, 'two']);
        return value;
      },
      context,
      self,
      1,
      'two',
    );
    expect(returned).toBe(value);
    expect(thisSeen).toBe(self);
    expect(events()).toEqual(['start', 'end']);
    expect(seen[0].context).toBe(context);
    expect(seen[0].hasResult).toBe(false);
    expect(seen[1]).toMatchObject({ hasResult: true, result: value, hasError: false });
  });

  it('traceSync throws: the same error is re-thrown, subscribers see start → error → end{error}', () => {
    const name = freshName();
    const { seen, events } = record(name);
    const boom = new Error('boom');
    let caught: unknown;
    try {
      traceSync(name, () => {
        throw boom;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(boom);
    expect(events()).toEqual(['start', 'error', 'end']);
    expect(seen[1]).toMatchObject({ hasError: true, error: boom });
    expect(seen[2]).toMatchObject({ hasError: true, error: boom, hasResult: false });
  });

  it('traceSync with start.bindStore: the store is active inside fn and the caller store is back afterwards', () => {
    const name = freshName();
    const als = bindStore<{ data: unknown }>(name, 'start', (data) => ({ data }));
    const context = {};
    let inside: unknown;
    const outside = als.run({ data: 'outer' }, () => {
      traceSync(name, () => {
        inside = als.getStore();
      }, context);
      return als.getStore();
    });
    expect(inside).toEqual({ data: context });
    expect((inside as { data: unknown }).data).toBe(context);
    expect(outside).toEqual({ data: 'outer' });
  });

  it('traceSync without context: each call publishes a fresh object', () => {
    const name = freshName();
    const { seen } = record(name);
    traceSync(name, () => 1);
    traceSync(name, () => 2);
    expect(seen).toHaveLength(4);
    expect(seen[0].context).not.toBe(seen[2].context);
    expect(seen[1].result).toBe(1);
    expect(seen[3].result).toBe(2);
  });

  it('traceSync with a frozen context: the call returns its value, subscribers still get start and end', () => {
    const name = freshName();
    const { events } = record(name);
    const context = Object.freeze({ op: 'frozen' });
    expect(traceSync(name, () => 'value', context)).toBe('value');
    expect(events()).toEqual(['start', 'end']);
  });

  it('traceSync without subscribers: fn runs with the caller this/args, no event, context untouched', () => {
    const name = freshName();
    const { calls } = subscribedThenUnsubscribed(name);
    const context = {};
    const self = {};
    const value = {};
    let thisSeen: unknown;
    const returned = traceSync(
      name,
      function (this: unknown, a: number) {
        thisSeen = this;
        expect(a).toBe(7);
        return value;
      },
      context,
      self,
      7,
    );
    expect(returned).toBe(value);
    expect(thisSeen).toBe(self);
    expect(calls()).toBe(0);
    expect(Object.keys(context)).toEqual([]);
  });
});

describe('tracePromise', () => {
  it('tracePromise resolves (native promise): same promise object back, start → end → asyncStart{result} → asyncEnd{result}', async () => {
    const name = freshName();
    const { seen, events } = record(name);
    const promise = new Promise<string>((resolve) => setTimeout(() => resolve('done'), 1));
    const returned = tracePromise(name, () => promise);
    expect(returned).toBe(promise);
    expect(events()).toEqual(['start', 'end']);
    expect(seen[1].hasResult).toBe(false);
    expect(await returned).toBe('done');
    await nextMacrotask();
    expect(events()).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(seen[2]).toMatchObject({ hasResult: true, result: 'done', hasError: false });
    expect(seen[3]).toMatchObject({ hasResult: true, result: 'done' });
  });

  it('tracePromise resolves (async function): the caller gets the async function\'s own promise', async () => {
    const name = freshName();
    const { events } = record(name);
    let own: Promise<number> | undefined;
    const fn = () => {
      own = (async () => {
        await nextMacrotask();
        return 5;
      })();
      return own;
    };
    const returned = tracePromise(name, fn);
    expect(returned).toBe(own);
    expect(await returned).toBe(5);
    await nextMacrotask();
    expect(events()).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
  });

  it('tracePromise rejects, caller handles it: same promise, start → end → error → asyncStart{error} → asyncEnd{error}, no unhandledRejection', async () => {
    const name = freshName();
    const { seen, events } = record(name);
    const boom = new Error('async boom');
    let returned: unknown;
    let own: Promise<never> | undefined;
    let caught: unknown;
    const reasons = await unhandledRejectionsDuring(async () => {
      returned = tracePromise(name, () => {
        own = new Promise<never>((_, reject) => setTimeout(() => reject(boom), 1));
        return own;
      });
      try {
        await returned;
      } catch (error) {
        caught = error;
      }
    });
    expect(returned).toBe(own);
    expect(caught).toBe(boom);
    expect(reasons).toEqual([]);
    expect(events()).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(seen[2]).toMatchObject({ hasError: true, error: boom, hasResult: false });
    expect(seen[4]).toMatchObject({ hasError: true, error: boom });
  });

  it('tracePromise rejects synchronously (already-rejected promise), caller handles it later in the tick: no unhandledRejection', async () => {
    const name = freshName();
    const { events } = record(name);
    const boom = new Error('early');
    let caught: unknown;
    const reasons = await unhandledRejectionsDuring(async () => {
      const returned = tracePromise(name, async () => {
        throw boom;
      });
      await Promise.resolve();
      await returned.catch((error: unknown) => {
        caught = error;
      });
    });
    expect(caught).toBe(boom);
    expect(reasons).toEqual([]);
    expect(events()).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
  });

  it('tracePromise rejects inside a caller that never handles its own promise: reported once, as without tracing', async () => {
    const boom = new Error('unhandled by caller');
    const run = (name: string) =>
      unhandledRejectionsDuring(async () => {
        let rejected!: () => void;
        const gate = new Promise<void>((resolve) => (rejected = resolve));
        // the caller's async function awaits the traced promise; nobody handles the caller's promise
        void (async () => {
          await tracePromise(
            name,
            () =>
              new Promise((_, reject) =>
                setTimeout(() => {
                  reject(boom);
                  rejected();
                }, 1),
              ),
          );
        })();
        await gate;
      });
    const untraced = await run(freshName());
    const tracedName = freshName();
    const { events } = record(tracedName);
    const traced = await run(tracedName);
    expect(untraced).toEqual([boom]);
    expect(traced).toEqual([boom]);
    expect(events()).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
  });

  it('tracePromise rejects and the caller drops the native promise: subscribers see the error, the drop is not reported while subscribed (documented trade-off)', async () => {
    const boom = new Error('dropped');
    const untracedName = freshName();
    const untraced = await unhandledRejectionsDuring(() => {
      tracePromise(untracedName, () => Promise.reject(boom));
    });
    const name = freshName();
    const { events } = record(name);
    const traced = await unhandledRejectionsDuring(() => {
      tracePromise(name, () => Promise.reject(boom));
    });
    expect(untraced).toEqual([boom]);
    expect(traced).toEqual([]);
    expect(events()).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
  });

  it('tracePromise resolves (Promise subclass): same instance back, its then called once by tracing plus once by the caller', async () => {
    const name = freshName();
    const { seen, events } = record(name);
    CountingPromise.thenCalls = 0;
    const promise = new CountingPromise<string>((resolve) => setTimeout(() => resolve('sub'), 1));
    const returned = tracePromise(name, () => promise);
    expect(returned).toBe(promise);
    expect(returned).toBeInstanceOf(CountingPromise);
    expect(CountingPromise.thenCalls).toBe(1);
    expect(await returned).toBe('sub');
    expect(CountingPromise.thenCalls).toBe(2);
    await nextMacrotask();
    expect(events()).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(seen[3].result).toBe('sub');
  });

  it('tracePromise rejects (Promise subclass), caller handles it: no unhandledRejection, error published', async () => {
    const name = freshName();
    const { seen, events } = record(name);
    const boom = new Error('sub boom');
    let caught: unknown;
    const reasons = await unhandledRejectionsDuring(async () => {
      const promise = new CountingPromise<never>((_, reject) => setTimeout(() => reject(boom), 1));
      const returned = tracePromise(name, () => promise);
      expect(returned).toBe(promise);
      caught = await returned.then(
        () => 'no',
        (error: unknown) => error,
      );
    });
    expect(caught).toBe(boom);
    expect(reasons).toEqual([]);
    expect(events()).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(seen[2].error).toBe(boom);
  });

  it('tracePromise resolves (custom thenable): same object back, then called exactly once by tracing, events after settlement', async () => {
    const name = freshName();
    const { seen, events } = record(name);
    const { thenable, state, resolve } = countingThenable<string>();
    const returned = tracePromise(name, () => thenable);
    expect(returned).toBe(thenable);
    expect(state.thenCalls).toBe(1);
    expect(events()).toEqual(['start', 'end']);
    resolve('custom');
    expect(events()).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(seen[2]).toMatchObject({ hasResult: true, result: 'custom' });
    // the caller's own use of the thenable is untouched: one more then call, same value
    const value = await returned;
    expect(value).toBe('custom');
    expect(state.thenCalls).toBe(2);
  });

  it('tracePromise rejects (custom thenable): error → asyncStart → asyncEnd with the error, once even if called twice', () => {
    const name = freshName();
    const { seen, events } = record(name);
    const { thenable, reject } = countingThenable<string>();
    const boom = new Error('thenable boom');
    expect(tracePromise(name, () => thenable)).toBe(thenable);
    reject(boom);
    reject(new Error('second call ignored'));
    expect(events()).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(seen[4].error).toBe(boom);
  });

  it('tracePromise resolves (thenable settling inside then): events still ordered start → end → asyncStart → asyncEnd', () => {
    const name = freshName();
    const { seen, events } = record(name);
    const thenable = {
      then(onFulfilled: (v: string) => void) {
        onFulfilled('immediately');
      },
    };
    expect(tracePromise(name, () => thenable)).toBe(thenable);
    expect(events()).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(seen[1].hasResult).toBe(false);
    expect(seen[3].result).toBe('immediately');
  });

  it('tracePromise with a thenable whose then throws: the caller still gets the thenable, subscribers see the error', () => {
    const name = freshName();
    const { seen, events } = record(name);
    const broken = new Error('then threw');
    const thenable = {
      then() {
        throw broken;
      },
    };
    expect(tracePromise(name, () => thenable)).toBe(thenable);
    expect(events()).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(seen[2].error).toBe(broken);
  });

  it('tracePromise returns a non-thenable: the very value back, start → end{result}, no async events', async () => {
    const name = freshName();
    const { seen, events } = record(name);
    const value = { plain: true };
    const returned = tracePromise(name, () => value as unknown);
    expect(returned).toBe(value);
    expect(tracePromise(name, () => undefined)).toBeUndefined();
    await nextMacrotask();
    expect(events()).toEqual(['start', 'end', 'start', 'end']);
    expect(seen[1]).toMatchObject({ hasResult: true, result: value });
    expect(seen[3]).toMatchObject({ hasResult: true, result: undefined });
  });

  it('tracePromise throws synchronously: the same error is re-thrown, start → error → end{error}, no async events', async () => {
    const name = freshName();
    const { seen, events } = record(name);
    const boom = new Error('sync');
    let caught: unknown;
    try {
      tracePromise(name, () => {
        throw boom;
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(boom);
    await nextMacrotask();
    expect(events()).toEqual(['start', 'error', 'end']);
    expect(seen[2]).toMatchObject({ hasError: true, error: boom });
  });

  it('tracePromise with start.bindStore: the store is active inside fn and after its awaits, the caller store afterwards', async () => {
    const name = freshName();
    const als = bindStore<{ data: unknown }>(name, 'start', (data) => ({ data }));
    const context = { id: 1 };
    const seenInside: unknown[] = [];
    await als.run({ data: 'outer' }, async () => {
      const promise = tracePromise(
        name,
        async () => {
          seenInside.push(als.getStore());
          await nextMacrotask();
          seenInside.push(als.getStore());
          await new Promise((resolve) => setTimeout(resolve, 1));
          seenInside.push(als.getStore());
        },
        context,
      );
      expect(als.getStore()).toEqual({ data: 'outer' });
      await promise;
      expect(als.getStore()).toEqual({ data: 'outer' });
    });
    expect(seenInside).toHaveLength(3);
    for (const store of seenInside) expect((store as { data: unknown }).data).toBe(context);
  });

  it('tracePromise with only a bound store and no subscriber: fn runs in the store, same promise back', async () => {
    const name = freshName();
    const als = bindStore(name, 'start', () => 'in-store');
    let inside: unknown;
    const promise = Promise.resolve(1);
    const returned = tracePromise(name, () => {
      inside = als.getStore();
      return promise;
    });
    expect(returned).toBe(promise);
    expect(inside).toBe('in-store');
    expect(await returned).toBe(1);
  });

  it('tracePromise without subscribers: same promise, then never called, no event, context untouched', async () => {
    const name = freshName();
    const { calls } = subscribedThenUnsubscribed(name);
    const { thenable, state } = countingThenable<number>();
    const context = {};
    const returned = tracePromise(name, () => thenable, context);
    expect(returned).toBe(thenable);
    expect(state.thenCalls).toBe(0);
    const value = 3;
    expect(tracePromise(name, () => value, context)).toBe(3);
    await nextMacrotask();
    expect(calls()).toBe(0);
    expect(Object.keys(context)).toEqual([]);
  });

  it('tracePromise without context: each call publishes a fresh object', async () => {
    const name = freshName();
    const { seen } = record(name);
    await tracePromise(name, async () => 'a');
    await tracePromise(name, async () => 'b');
    await nextMacrotask();
    const starts = seen.filter((s) => s.event === 'start');
    expect(starts).toHaveLength(2);
    expect(starts[0].context).not.toBe(starts[1].context);
  });
});

describe('traceCallback', () => {
  it('traceCallback succeeds asynchronously: fn\'s own return value, start → end → asyncStart{result} → callback → asyncEnd', async () => {
    const name = freshName();
    const { seen, events } = record(name);
    const handle = { handle: true };
    const context = { op: 'read' };
    const order: string[] = [];
    let callbackThis: unknown;
    let callbackArgs: unknown[] = [];
    const done = new Promise<unknown>((resolveDone) => {
      const returned = traceCallback(
        name,
        (input: string, cb: (err: unknown, result?: string, extra?: number) => unknown) => {
          setTimeout(() => resolveDone(cb.call({ from: 'lib' }, null, input.toUpperCase(), 9)), 1);
          return handle;
        },
        -1,
        context,
        undefined,
        'abc',
        function (this: unknown, ...args: unknown[]) {
          callbackThis = this;
          callbackArgs = args;
          order.push(`callback after ${events().join(',')}`);
          return 'callback-return';
        },
      );
      expect(returned).toBe(handle);
    });
    expect(await done).toBe('callback-return');
    expect(callbackThis).toEqual({ from: 'lib' });
    expect(callbackArgs).toEqual([null, 'ABC', 9]);
    expect(order).toEqual(['callback after start,end,asyncStart']);
    expect(events()).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(seen[2]).toMatchObject({ context, hasResult: true, result: 'ABC', hasError: false });
    expect(seen[3]).toMatchObject({ hasResult: true, result: 'ABC' });
  });

  it('traceCallback fails asynchronously: error → asyncStart{error} → asyncEnd, the callback gets the same error', async () => {
    const name = freshName();
    const { seen, events } = record(name);
    const boom = new Error('cb boom');
    const received = await new Promise<unknown>((resolve) => {
      traceCallback(
        name,
        (cb: (err: unknown) => void) => {
          setImmediate(() => cb(boom));
        },
        0,
        undefined,
        undefined,
        (err: unknown) => resolve(err),
      );
    });
    expect(received).toBe(boom);
    expect(events()).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(seen[2]).toMatchObject({ hasError: true, error: boom, hasResult: false });
  });

  it('traceCallback calls back synchronously: asyncStart → callback → asyncEnd before end, end carries result', () => {
    const name = freshName();
    const { seen, events } = record(name);
    const order: string[] = [];
    traceCallback(
      name,
      (cb: (err: null, value: number) => void) => {
        cb(null, 1);
        order.push('fn returns');
      },
      0,
      undefined,
      undefined,
      () => {
        order.push(`callback after ${events().join(',')}`);
      },
    );
    expect(order).toEqual(['callback after start,asyncStart', 'fn returns']);
    expect(events()).toEqual(['start', 'asyncStart', 'asyncEnd', 'end']);
    expect(seen[3]).toMatchObject({ hasResult: true, result: 1 });
  });

  it('traceCallback throws synchronously: the same error is re-thrown, start → error → end, callback never called', () => {
    const name = freshName();
    const { seen, events } = record(name);
    const boom = new Error('sync cb boom');
    let called = 0;
    let caught: unknown;
    try {
      traceCallback(
        name,
        (_cb: () => void) => {
          throw boom;
        },
        -1,
        undefined,
        undefined,
        () => {
          called += 1;
        },
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBe(boom);
    expect(called).toBe(0);
    expect(events()).toEqual(['start', 'error', 'end']);
    expect(seen[2].error).toBe(boom);
  });

  it('traceCallback with bindStore: the start store inside fn, the asyncStart store inside the callback', async () => {
    const name = freshName();
    const als = new AsyncLocalStorage<string>();
    const start = dc.tracingChannel(name).start;
    const asyncStart = dc.tracingChannel(name).asyncStart;
    start.bindStore(als as AsyncLocalStorage<unknown>, () => 'span-store');
    asyncStart.bindStore(als as AsyncLocalStorage<unknown>, () => 'continuation-store');
    cleanups.push(() => start.unbindStore(als as AsyncLocalStorage<unknown>));
    cleanups.push(() => asyncStart.unbindStore(als as AsyncLocalStorage<unknown>));
    let inFn: unknown;
    let scheduledFromFn: unknown;
    const inCallback = await als.run('caller-store', () =>
      new Promise<unknown>((resolve) => {
        traceCallback(
          name,
          (cb: (err: null) => void) => {
            inFn = als.getStore();
            setTimeout(() => {
              scheduledFromFn = als.getStore();
              cb(null);
            }, 1);
          },
          0,
          undefined,
          undefined,
          () => resolve(als.getStore()),
        );
      }),
    );
    expect(inFn).toBe('span-store');
    expect(scheduledFromFn).toBe('span-store');
    expect(inCallback).toBe('continuation-store');
  });

  it('traceCallback without context: every call gets its own mutable context and the callback runs (Node 26 would throw)', async () => {
    const name = freshName();
    const { seen } = record(name);
    const results: unknown[] = [];
    for (const value of ['first', 'second']) {
      await new Promise<void>((resolve) => {
        traceCallback(
          name,
          (cb: (err: null, v: string) => void) => setImmediate(() => cb(null, value)),
          undefined,
          undefined,
          undefined,
          (_err: unknown, v: unknown) => {
            results.push(v);
            resolve();
          },
        );
      });
    }
    expect(results).toEqual(['first', 'second']);
    const starts = seen.filter((s) => s.event === 'start');
    expect(starts[0].context).not.toBe(starts[1].context);
    expect(seen.filter((s) => s.event === 'asyncEnd').map((s) => s.result)).toEqual(['first', 'second']);
  });

  it('traceCallback with a negative position: the callback is found from the end and the others pass through', async () => {
    const name = freshName();
    const { events } = record(name);
    const options = { o: 1 };
    let received: unknown[] = [];
    await new Promise<void>((resolve) => {
      traceCallback(
        name,
        (...args: unknown[]) => {
          received = args;
          setImmediate(() => (args[1] as (e: null) => void)(null));
        },
        -2,
        undefined,
        undefined,
        'path',
        () => resolve(),
        options,
      );
    });
    expect(received[0]).toBe('path');
    expect(received[2]).toBe(options);
    expect(events()).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
  });

  it('traceCallback with no function at position (optional callback left out): traced like tracePromise, same promise back', async () => {
    const name = freshName();
    const { seen, events } = record(name);
    const promise = new Promise<string>((resolve) => setImmediate(() => resolve('promised')));
    const returned = traceCallback(name, (_path: string, cb?: unknown) => (cb ? undefined : promise), -1, undefined, undefined, 'p', undefined);
    expect(returned).toBe(promise);
    expect(await returned).toBe('promised');
    await nextMacrotask();
    expect(events()).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(seen[3].result).toBe('promised');
  });

  it('traceCallback without subscribers: fn receives the caller\'s own callback, no event, context untouched', () => {
    const name = freshName();
    const { calls } = subscribedThenUnsubscribed(name);
    const callback = () => undefined;
    const context = {};
    const value = {};
    let received: unknown;
    const returned = traceCallback(
      name,
      (cb: unknown) => {
        received = cb;
        return value;
      },
      0,
      context,
      undefined,
      callback,
    );
    expect(returned).toBe(value);
    expect(received).toBe(callback);
    expect(calls()).toBe(0);
    expect(Object.keys(context)).toEqual([]);
  });

  it('traceCallback with subscribers: fn receives a wrapper, not the caller\'s callback, and the wrapper forwards the return value', () => {
    const name = freshName();
    record(name);
    const callback = () => 'forwarded';
    let received: unknown;
    traceCallback(
      name,
      (cb: () => string) => {
        received = cb;
        expect(cb()).toBe('forwarded');
      },
      0,
      undefined,
      undefined,
      callback,
    );
    expect(typeof received).toBe('function');
    expect(received).not.toBe(callback);
  });
});
