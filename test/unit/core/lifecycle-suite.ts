/**
 * The SPEC §2 lifecycle, as one suite run against each async-context strategy
 * (scope pair, OpenTelemetry Context with the OTel SDK, @sentry/node after Sentry.init).
 */
import { tracingChannel, type TracingChannel } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  getActiveSpan,
  SPAN_STATUS_ERROR,
  startInactiveSpan,
  startSpan,
  withActiveSpan,
} from '@sentry/core';
import type { Span } from '@sentry/core';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  bindSpanToChannelStore,
  bindTracingChannelToSpan,
  getBoundSpan,
  type BindOptions,
  type ChannelBinding,
} from '../../../src/index';
import type { Recorder } from '../../helpers/test-client';
import { spanJson, spanStatus, spanStatusMessage } from '../../helpers/span-view';

type Payload = Record<string, unknown>;
type Kind = 'traceSync' | 'tracePromise' | 'traceCallback';
const KINDS: Kind[] = ['traceSync', 'tracePromise', 'traceCallback'];

let seq = 0;
function freshChannel(): TracingChannel<Payload> {
  return tracingChannel(`test:lifecycle:${process.pid}:${++seq}`) as TracingChannel<Payload>;
}

function json(span: Span): any {
  return spanJson(span);
}

function nameOf(span: Span | undefined): string | undefined {
  return span ? json(span).name ?? json(span).description : undefined;
}

function isEnded(span: Span): boolean {
  const j = json(span);
  return (j.end_timestamp ?? j.timestamp) !== undefined;
}

const statusMessage = spanStatusMessage;

function attr(span: Span, key: string): unknown {
  const j = json(span);
  return (j.attributes ?? j.data)?.[key];
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `body` as a traced call of `kind`. `outcome` decides how it completes: value `42`, or an
 * `Error('boom')` thrown / rejected / passed to the callback. Resolves once the caller got the
 * outcome (callback called, promise settled); never rejects.
 */
async function traced(
  channel: TracingChannel<Payload>,
  kind: Kind,
  data: Payload,
  outcome: 'ok' | 'fail',
  body: () => void | Promise<void> = () => undefined,
): Promise<{ value?: unknown; error?: unknown; callbackSpan?: Span | undefined }> {
  const boom = new Error('boom');
  if (kind === 'traceSync') {
    try {
      const value = channel.traceSync(() => {
        body();
        if (outcome === 'fail') throw boom;
        return 42;
      }, data);
      return { value };
    } catch (error) {
      return { error };
    }
  }
  if (kind === 'tracePromise') {
    try {
      const value = await channel.tracePromise(async () => {
        await body();
        await sleep(1);
        if (outcome === 'fail') throw boom;
        return 42;
      }, data);
      return { value };
    } catch (error) {
      return { error };
    }
  }
  return new Promise((resolve) => {
    channel.traceCallback(
      (cb: (err: unknown, value?: unknown) => void) => {
        void Promise.resolve(body()).then(() =>
          setTimeout(() => (outcome === 'fail' ? cb(boom) : cb(null, 42)), 1),
        );
      },
      -1,
      data,
      undefined,
      (err: unknown, value: unknown) => resolve({ error: err ?? undefined, value, callbackSpan: getActiveSpan() }),
    );
  });
}

/** Defines the whole lifecycle suite for one strategy. `setup` installs it and returns a recorder. */
export function defineLifecycleSuite(strategy: string, setup: () => Promise<Recorder> | Recorder): void {
  describe(`lifecycle (${strategy} strategy)`, () => {
    let rec: Recorder;
    let bindings: ChannelBinding<Payload>[] = [];
    let uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);

    function bind(
      channel: TracingChannel<Payload>,
      getSpan: (data: Payload) => Span | undefined,
      options?: BindOptions<Payload>,
    ): ChannelBinding<Payload> {
      const b = bindTracingChannelToSpan(channel, getSpan, options);
      bindings.push(b);
      return b;
    }

    function endCount(span: Span | undefined): number {
      return span ? rec.endCounts.get(span) ?? 0 : 0;
    }

    beforeAll(async () => {
      rec = await setup();
    });
    beforeEach(() => {
      rec.reset();
      uncaught = [];
      process.on('uncaughtException', onUncaught);
    });
    afterEach(() => {
      process.off('uncaughtException', onUncaught);
      for (const b of bindings) b.unbind();
      bindings = [];
    });

    describe('rule 1: start', () => {
      for (const kind of KINDS) {
        it(`${kind} ok: getSpan runs once and its span is active at any depth inside`, async () => {
          const channel = freshChannel();
          let calls = 0;
          const made: Span[] = [];
          bind(channel, () => {
            calls++;
            const span = startInactiveSpan({ name: 'bound' });
            made.push(span);
            return span;
          });
          const seen: Array<Span | undefined> = [];
          let child: Span | undefined;
          await startSpan({ name: 'caller' }, () =>
            traced(channel, kind, {}, 'ok', () => {
              seen.push(getActiveSpan());
              setTimeout(() => seen.push(getActiveSpan()), 0);
              return kind === 'traceSync'
                ? undefined
                : (async () => {
                    await sleep(2);
                    seen.push(getActiveSpan());
                    child = startSpan({ name: 'child' }, (s) => s);
                  })();
            }),
          );
          await sleep(5);
          expect(calls).toBe(1);
          expect(made).toHaveLength(1);
          expect(seen.length).toBeGreaterThanOrEqual(2);
          for (const s of seen) expect(s).toBe(made[0]);
          if (kind === 'traceSync') expect(child).toBeUndefined();
          else expect(child && json(child).parent_span_id).toBe(made[0]!.spanContext().spanId);
        });

        it(`${kind} ok: getSpan returning undefined leaves the caller's context as it was`, async () => {
          const channel = freshChannel();
          let calls = 0;
          bind(channel, () => {
            calls++;
            return undefined;
          });
          let inside: Span | undefined;
          let caller: Span | undefined;
          await startSpan({ name: 'caller' }, async (span) => {
            caller = span;
            await traced(channel, kind, {}, 'ok', () => {
              inside = getActiveSpan();
            });
          });
          expect(calls).toBe(1);
          expect(inside).toBe(caller);
          expect(rec.ended.map((s: any) => s.name)).toEqual(['caller']);
        });
      }
    });

    describe('rule 2: ends exactly once', () => {
      for (const kind of KINDS) {
        for (const outcome of ['ok', 'fail'] as const) {
          it(`${kind} ${outcome}: the span ends once, after the call completed`, async () => {
            const channel = freshChannel();
            let span: Span | undefined;
            let endedInside: boolean | undefined;
            bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
            const result = await traced(channel, kind, {}, outcome, () => {
              endedInside = isEnded(span!);
            });
            await flush();
            expect(endedInside).toBe(false);
            expect(endCount(span)).toBe(1);
            if (outcome === 'ok') expect(result.value).toBe(42);
            else expect((result.error as Error).message).toBe('boom');
          });
        }
      }

      it('tracePromise pending: the span stays open until the promise settles', async () => {
        const channel = freshChannel();
        let span: Span | undefined;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
        let release!: () => void;
        const p = channel.tracePromise(() => new Promise<void>((r) => (release = r)), {});
        await sleep(5);
        expect(endCount(span)).toBe(0);
        release();
        await p;
        await flush();
        expect(endCount(span)).toBe(1);
      });

      it('tracePromise non-thenable result: the span ends once', async () => {
        const channel = freshChannel();
        let span: Span | undefined;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
        const out = await (channel.tracePromise as any)(() => 7, {});
        await flush();
        expect(out).toBe(7);
        expect(endCount(span)).toBe(1);
      });

      it('traceCallback called synchronously: the span ends once and beforeSpanEnd runs once', async () => {
        const channel = freshChannel();
        let span: Span | undefined;
        let before = 0;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })), { beforeSpanEnd: () => before++ });
        let got: unknown;
        channel.traceCallback((cb: (e: unknown, v: unknown) => void) => cb(null, 'sync'), -1, {}, undefined, (_e: unknown, v: unknown) => {
          got = v;
        });
        await flush();
        expect(got).toBe('sync');
        expect(endCount(span)).toBe(1);
        expect(before).toBe(1);
      });

      it('traceCallback callback called twice: the span still ends once', async () => {
        const channel = freshChannel();
        let span: Span | undefined;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
        let calls = 0;
        channel.traceCallback(
          (cb: (e: unknown, v?: unknown) => void) => {
            setTimeout(() => {
              cb(null, 1);
              cb(new Error('again'));
            }, 1);
          },
          -1,
          {},
          undefined,
          () => calls++,
        );
        await sleep(10);
        expect(calls).toBe(2);
        expect(endCount(span)).toBe(1);
      });

      it('traceSync thenable result: the span stays open until asyncEnd', async () => {
        const channel = freshChannel();
        let span: Span | undefined;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
        const data: Payload = {};
        const thenable = { then: (resolve: (v: number) => void) => resolve(1) };
        channel.traceSync(() => thenable, data);
        await flush();
        expect(endCount(span)).toBe(0);
        channel.asyncStart.publish(data);
        channel.asyncEnd.publish(data);
        expect(endCount(span)).toBe(1);
        channel.asyncEnd.publish(data);
        expect(endCount(span)).toBe(1);
      });

      it('manual publish: a repeated end and asyncEnd end the span once', () => {
        const channel = freshChannel();
        let span: Span | undefined;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
        const data: Payload = {};
        channel.start.runStores(data, () => {
          data.result = 1;
          channel.end.publish(data);
        });
        channel.end.publish(data);
        channel.asyncEnd.publish(data);
        expect(endCount(span)).toBe(1);
      });
    });

    describe('rule 3: callbacks run in the caller context', () => {
      for (const outcome of ['ok', 'fail'] as const) {
        it(`traceCallback ${outcome}: the user callback sees the caller's active span, not the bound one`, async () => {
          const channel = freshChannel();
          let bound: Span | undefined;
          bind(channel, () => (bound = startInactiveSpan({ name: 'bound' })));
          let caller: Span | undefined;
          const result = await startSpan({ name: 'caller' }, (span) => {
            caller = span;
            return traced(channel, 'traceCallback', {}, outcome);
          });
          expect(bound).toBeDefined();
          expect(result.callbackSpan).toBe(caller);
        });
      }
    });

    describe('rule 4: errors mark the span', () => {
      for (const kind of KINDS) {
        it(`${kind} fail: error status with the message and error.type, without captureError`, async () => {
          const channel = freshChannel();
          let span: Span | undefined;
          bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
          await traced(channel, kind, {}, 'fail');
          await flush();
          expect(spanStatus(span!)).toBe('error');
          expect(statusMessage(span!)).toBe('boom');
          expect(attr(span!, 'error.type')).toBe('Error');
          expect(rec.captures).toHaveLength(0);
        });
      }

      const cases: Array<[string, unknown, string | undefined, string]> = [
        ['a TypeError', new TypeError('bad type'), 'bad type', 'TypeError'],
        ['a string', 'plain failure', 'plain failure', 'unknown'],
        ['a number', 404, '404', 'unknown'],
        ['zero', 0, undefined, 'unknown'],
        ['null', null, undefined, 'unknown'],
        ['an object without message', { code: 1 }, undefined, 'unknown'],
        ['an error with a custom name', Object.assign(new Error('x'), { name: 'AbortError' }), 'x', 'AbortError'],
      ];
      for (const [label, thrown, message, type] of cases) {
        it(`traceSync throws ${label}: status message ${String(message)}, error.type ${type}`, () => {
          const channel = freshChannel();
          let span: Span | undefined;
          bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
          expect(() =>
            channel.traceSync(() => {
              throw thrown;
            }, {}),
          ).toThrow();
          expect(spanStatus(span!)).toBe('error');
          expect(statusMessage(span!)).toBe(message);
          expect(attr(span!, 'error.type')).toBe(type);
        });
      }

      it('traceSync throws a Proxy whose traps throw: the span is marked with type unknown', () => {
        const channel = freshChannel();
        let span: Span | undefined;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
        const hostile = new Proxy(
          {},
          {
            get() {
              throw new Error('trap');
            },
            has() {
              throw new Error('trap');
            },
          },
        );
        let caught: unknown;
        try {
          channel.traceSync(() => {
            throw hostile;
          }, {});
        } catch (error) {
          caught = error;
        }
        expect(caught).toBe(hostile);
        expect(spanStatus(span!)).toBe('error');
        expect(attr(span!, 'error.type')).toBe('unknown');
        expect(endCount(span)).toBe(1);
      });
    });

    describe('rule 5: captureError', () => {
      for (const kind of KINDS) {
        it(`${kind} fail: captureError true captures once with the bind_span mechanism`, async () => {
          const channel = freshChannel();
          bind(channel, () => startInactiveSpan({ name: 'bound' }), { captureError: true });
          const { error } = await traced(channel, kind, {}, 'fail');
          await flush();
          expect(rec.captures).toHaveLength(1);
          expect(rec.captures[0]!.error).toBe(error);
          expect(rec.captures[0]!.hint).toMatchObject({
            mechanism: { type: 'auto.diagnostic_channels.bind_span', handled: false },
          });
        });
      }

      it('traceSync fail: a captureError function supplies the hint', () => {
        const channel = freshChannel();
        const seen: unknown[] = [];
        bind(channel, () => startInactiveSpan({ name: 'bound' }), {
          captureError: (error) => {
            seen.push(error);
            return { mechanism: { type: 'custom', handled: true } };
          },
        });
        const boom = new Error('boom');
        expect(() =>
          channel.traceSync(() => {
            throw boom;
          }, {}),
        ).toThrow(boom);
        expect(seen).toEqual([boom]);
        expect(rec.captures).toHaveLength(1);
        expect(rec.captures[0]!.hint).toMatchObject({ mechanism: { type: 'custom', handled: true } });
      });

      it('tracePromise ok: nothing is captured', async () => {
        const channel = freshChannel();
        bind(channel, () => startInactiveSpan({ name: 'bound' }), { captureError: true });
        await traced(channel, 'tracePromise', {}, 'ok');
        expect(rec.captures).toHaveLength(0);
      });

      it('tracePromise fail deferred: an error event plus end(error) capture once', async () => {
        const channel = freshChannel();
        let end: ((e?: unknown) => void) | undefined;
        bind(channel, () => startInactiveSpan({ name: 'bound' }), {
          captureError: true,
          deferSpanEnd: (args) => {
            end = args.end;
            return true;
          },
        });
        await traced(channel, 'tracePromise', {}, 'fail');
        end!(new Error('later'));
        end!(new Error('again'));
        expect(rec.captures).toHaveLength(1);
      });

      it('traceCallback callback errors twice: one capture', async () => {
        const channel = freshChannel();
        bind(channel, () => startInactiveSpan({ name: 'bound' }), { captureError: true });
        channel.traceCallback(
          (cb: (e: unknown) => void) => {
            cb(new Error('one'));
            cb(new Error('two'));
          },
          -1,
          {},
          undefined,
          () => undefined,
        );
        await flush();
        expect(rec.captures).toHaveLength(1);
      });
    });

    describe('rule 6: beforeSpanEnd', () => {
      for (const kind of KINDS) {
        for (const outcome of ['ok', 'fail'] as const) {
          it(`${kind} ${outcome}: beforeSpanEnd runs once with the span open and the outcome on the payload`, async () => {
            const channel = freshChannel();
            const calls: Array<{ open: boolean; result: unknown; error: unknown }> = [];
            let span: Span | undefined;
            bind(channel, () => (span = startInactiveSpan({ name: 'bound' })), {
              beforeSpanEnd: (s, data) => {
                expect(s).toBe(span);
                calls.push({ open: !isEnded(s), result: data.result, error: data.error });
              },
            });
            await traced(channel, kind, {}, outcome);
            await flush();
            expect(calls).toHaveLength(1);
            expect(calls[0]!.open).toBe(true);
            if (outcome === 'ok') expect(calls[0]!.result).toBe(42);
            else expect((calls[0]!.error as Error).message).toBe('boom');
            expect(endCount(span)).toBe(1);
          });
        }
      }
    });

    describe('rule 7: deferSpanEnd', () => {
      for (const kind of KINDS) {
        it(`${kind} ok deferred: the span stays open until end(), which is idempotent`, async () => {
          const channel = freshChannel();
          let span: Span | undefined;
          let end: ((e?: unknown) => void) | undefined;
          let before = 0;
          bind(channel, () => (span = startInactiveSpan({ name: 'bound' })), {
            beforeSpanEnd: () => before++,
            deferSpanEnd: (args) => {
              expect(args.span).toBe(span);
              end = args.end;
              return true;
            },
          });
          await traced(channel, kind, {}, 'ok');
          await flush();
          expect(endCount(span)).toBe(0);
          expect(before).toBe(0);
          end!();
          end!();
          end!(new Error('too late'));
          expect(endCount(span)).toBe(1);
          expect(before).toBe(1);
          expect(spanStatus(span!)).toBe('ok');
        });
      }

      it('tracePromise ok deferred: end(error) marks the span as failed', async () => {
        const channel = freshChannel();
        let span: Span | undefined;
        let end: ((e?: unknown) => void) | undefined;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })), {
          deferSpanEnd: (args) => {
            end = args.end;
            return true;
          },
        });
        await traced(channel, 'tracePromise', {}, 'ok');
        end!(new RangeError('stream broke'));
        expect(endCount(span)).toBe(1);
        expect(spanStatus(span!)).toBe('error');
        expect(statusMessage(span!)).toBe('stream broke');
        expect(attr(span!, 'error.type')).toBe('RangeError');
      });

      it('tracePromise ok: deferSpanEnd returning false ends the span normally', async () => {
        const channel = freshChannel();
        let span: Span | undefined;
        let asked = 0;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })), {
          deferSpanEnd: () => {
            asked++;
            return false;
          },
        });
        await traced(channel, 'tracePromise', {}, 'ok');
        expect(asked).toBe(1);
        expect(endCount(span)).toBe(1);
      });

      it('tracePromise ok: end() called inside deferSpanEnd ends once', async () => {
        const channel = freshChannel();
        let span: Span | undefined;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })), {
          deferSpanEnd: ({ end }) => {
            end();
            return true;
          },
        });
        await traced(channel, 'tracePromise', {}, 'ok');
        await sleep(5);
        expect(endCount(span)).toBe(1);
      });

      it('tracePromise ok deferred: never ended, the deadline ends it with deadline_exceeded', async () => {
        const channel = freshChannel();
        let span: Span | undefined;
        let before = 0;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })), {
          deferTimeoutMs: 20,
          beforeSpanEnd: () => before++,
          deferSpanEnd: () => true,
        });
        await traced(channel, 'tracePromise', {}, 'ok');
        expect(endCount(span)).toBe(0);
        await sleep(60);
        expect(endCount(span)).toBe(1);
        expect(before).toBe(1);
        expect(spanStatus(span!)).toBe('error');
        expect(statusMessage(span!)).toBe('deadline_exceeded');
      });
    });

    describe('rule 8: user code that throws never reaches the call', () => {
      const hooks: Array<[string, (b: (o: BindOptions<Payload>, g?: () => Span | undefined) => void) => void]> = [
        ['getSpan', (b) => b({}, () => {
          throw new Error('getSpan broke');
        })],
        ['beforeSpanEnd', (b) => b({ beforeSpanEnd: () => {
          throw new Error('beforeSpanEnd broke');
        } })],
        ['deferSpanEnd', (b) => b({ deferSpanEnd: () => {
          throw new Error('deferSpanEnd broke');
        } })],
        ['captureError', (b) => b({ captureError: () => {
          throw new Error('captureError broke');
        } })],
      ];
      for (const kind of KINDS) {
        for (const [hook, install] of hooks) {
          for (const outcome of ['ok', 'fail'] as const) {
            it(`${kind} ${outcome} with a throwing ${hook}: same outcome, no uncaught exception`, async () => {
              const channel = freshChannel();
              let span: Span | undefined;
              install((options, getSpan) =>
                bind(channel, getSpan ?? (() => (span = startInactiveSpan({ name: 'bound' }))), options),
              );
              const result = await traced(channel, kind, {}, outcome);
              await sleep(2);
              if (outcome === 'ok') expect(result.value).toBe(42);
              else expect((result.error as Error).message).toBe('boom');
              expect(uncaught).toEqual([]);
              if (hook !== 'getSpan') expect(endCount(span)).toBe(1);
              if (hook === 'captureError' && outcome === 'fail') expect(rec.captures).toHaveLength(1);
            });
          }
        }
      }
    });

    describe('rule 9: payloads are not modified', () => {
      for (const kind of KINDS) {
        it(`${kind} ok: no key is added to the payload`, async () => {
          const channel = freshChannel();
          bind(channel, () => startInactiveSpan({ name: 'bound' }), { beforeSpanEnd: () => undefined });
          const data: Payload = { own: 1 };
          await traced(channel, kind, data, 'ok');
          await flush();
          const added = Reflect.ownKeys(data).filter((k) => k !== 'own' && k !== 'result' && k !== 'error');
          expect(added).toEqual([]);
        });
      }

      it('manual publish with a frozen payload: the span is active and ends once', () => {
        const channel = freshChannel();
        let span: Span | undefined;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
        const data = Object.freeze({ result: 3 }) as Payload;
        let inside: Span | undefined;
        const out = channel.start.runStores(data, () => {
          inside = getActiveSpan();
          return 5;
        });
        channel.end.publish(data);
        expect(out).toBe(5);
        expect(inside).toBe(span);
        expect(endCount(span)).toBe(1);
      });

      it('traceSync with a null-prototype payload: the span is active and ends once', () => {
        const channel = freshChannel();
        let span: Span | undefined;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
        const data = Object.create(null) as Payload;
        let inside: Span | undefined;
        const out = channel.traceSync(() => {
          inside = getActiveSpan();
          return 9;
        }, data);
        expect(out).toBe(9);
        expect(inside).toBe(span);
        expect(endCount(span)).toBe(1);
        expect(Reflect.ownKeys(data)).toEqual(['result']);
      });
    });

    describe('rule 10: several bindings on one channel', () => {
      for (const kind of KINDS) {
        it(`${kind} ok: spans nest in binding order and each binding ends only its own`, async () => {
          const channel = freshChannel();
          let outer: Span | undefined;
          let inner: Span | undefined;
          let outerCalls = 0;
          let innerCalls = 0;
          const b1 = bind(channel, () => {
            outerCalls++;
            return (outer = startInactiveSpan({ name: 'outer' }));
          });
          const b2 = bind(channel, () => {
            innerCalls++;
            return (inner = startInactiveSpan({ name: 'inner' }));
          });
          let active: Span | undefined;
          const data: Payload = {};
          await startSpan({ name: 'caller' }, () =>
            traced(channel, kind, data, 'ok', () => {
              active = getActiveSpan();
            }),
          );
          await flush();
          expect([outerCalls, innerCalls]).toEqual([1, 1]);
          expect(json(inner!).parent_span_id).toBe(outer!.spanContext().spanId);
          expect(active).toBe(inner);
          expect(endCount(outer)).toBe(1);
          expect(endCount(inner)).toBe(1);
          expect(b1.getSpan(data)).toBe(outer);
          expect(b2.getSpan(data)).toBe(inner);
          expect(getBoundSpan(data)).toBe(inner);
        });
      }

      it('traceSync ok: unbinding the first binding leaves the second working', () => {
        const channel = freshChannel();
        const b1 = bind(channel, () => startInactiveSpan({ name: 'first' }));
        let second: Span | undefined;
        bind(channel, () => (second = startInactiveSpan({ name: 'second' })));
        b1.unbind();
        let active: Span | undefined;
        let caller: Span | undefined;
        startSpan({ name: 'caller' }, (span) => {
          caller = span;
          channel.traceSync(() => {
            active = getActiveSpan();
          }, {});
        });
        expect(active).toBe(second);
        expect(json(second!).parent_span_id).toBe(caller!.spanContext().spanId);
        expect(endCount(second)).toBe(1);
        expect(rec.ended.map((s: any) => s.name).sort()).toEqual(['caller', 'second']);
      });

      it('traceSync ok: unbinding the second binding leaves the first working', () => {
        const channel = freshChannel();
        let first: Span | undefined;
        bind(channel, () => (first = startInactiveSpan({ name: 'first' })));
        const b2 = bind(channel, () => startInactiveSpan({ name: 'second' }));
        b2.unbind();
        let active: Span | undefined;
        channel.traceSync(() => {
          active = getActiveSpan();
        }, {});
        expect(active).toBe(first);
        expect(endCount(first)).toBe(1);
      });

      it('traceSync ok: a context-only binding and a lifecycle binding coexist', () => {
        const channel = freshChannel();
        let ctxSpan: Span | undefined;
        let lifeSpan: Span | undefined;
        const ctx = bindSpanToChannelStore(channel, () => (ctxSpan = startInactiveSpan({ name: 'ctx' })));
        bindings.push(ctx);
        bind(channel, () => (lifeSpan = startInactiveSpan({ name: 'life' })));
        let active: Span | undefined;
        channel.traceSync(() => {
          active = getActiveSpan();
        }, {});
        expect(active).toBe(lifeSpan);
        expect(json(lifeSpan!).parent_span_id).toBe(ctxSpan!.spanContext().spanId);
        expect(endCount(lifeSpan)).toBe(1);
        expect(endCount(ctxSpan)).toBe(0);
        ctxSpan!.end();
      });
    });

    describe('rule 11: unbind', () => {
      it('tracePromise pending across unbind: no more getSpan, the started span still ends', async () => {
        const channel = freshChannel();
        let calls = 0;
        let span: Span | undefined;
        const b = bind(channel, () => {
          calls++;
          return (span = startInactiveSpan({ name: 'bound' }));
        });
        let release!: () => void;
        const pending = channel.tracePromise(() => new Promise<void>((r) => (release = r)), {});
        b.unbind();
        b.unbind();
        b[Symbol.dispose]();
        await traced(channel, 'tracePromise', {}, 'ok');
        expect(calls).toBe(1);
        expect(endCount(span)).toBe(0);
        release();
        await pending;
        await flush();
        expect(endCount(span)).toBe(1);
        expect(channel.hasSubscribers).toBe(false);
      });

      it('traceCallback pending across unbind: the span ends when the callback runs', async () => {
        const channel = freshChannel();
        let span: Span | undefined;
        const b = bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
        const done = new Promise<void>((resolve) =>
          channel.traceCallback((cb: (e: unknown) => void) => setTimeout(() => cb(null), 5), -1, {}, undefined, () => resolve()),
        );
        b.unbind();
        await done;
        expect(endCount(span)).toBe(1);
      });

      it('unbind then bind again: the new binding works', () => {
        const channel = freshChannel();
        bind(channel, () => startInactiveSpan({ name: 'a' })).unbind();
        let span: Span | undefined;
        bind(channel, () => (span = startInactiveSpan({ name: 'b' })));
        let active: Span | undefined;
        channel.traceSync(() => {
          active = getActiveSpan();
        }, {});
        expect(active).toBe(span);
        expect(endCount(span)).toBe(1);
      });
    });

    describe('handles and arguments', () => {
      it('a channel name binds the same channel as tracingChannel(name)', () => {
        const name = `test:lifecycle:named:${++seq}`;
        let span: Span | undefined;
        const b = bindTracingChannelToSpan<Payload>(name, () => (span = startInactiveSpan({ name: 'named' })));
        bindings.push(b);
        tracingChannel(name).traceSync(() => undefined, {});
        expect(endCount(span)).toBe(1);
      });

      it('bad arguments throw a TypeError naming the argument, at bind time', () => {
        const channel = freshChannel();
        expect(() => bindTracingChannelToSpan(channel, 'nope' as never)).toThrow(/`getSpan` must be a function/);
        expect(() => bindTracingChannelToSpan({} as never, () => undefined)).toThrow(/`channel` must be a TracingChannel/);
        expect(() => bindTracingChannelToSpan('', () => undefined)).toThrow(/`channel`/);
        expect(() => bindTracingChannelToSpan(channel, () => undefined, { deferTimeoutMs: -1 })).toThrow(/deferTimeoutMs/);
        expect(() => bindTracingChannelToSpan(channel, () => undefined, { captureError: 'yes' as never })).toThrow(/captureError/);
        expect(() => bindTracingChannelToSpan(channel, () => undefined, { beforeSpanEnd: 1 as never })).toThrow(/beforeSpanEnd/);
        expect(channel.hasSubscribers).toBe(false);
      });

      it('getSpan returning a non-span value: no span, the call is unaffected', () => {
        const channel = freshChannel();
        bind(channel, () => ({ not: 'a span' }) as never);
        let active: Span | undefined;
        const out = startSpan({ name: 'caller' }, (caller) => {
          const v = channel.traceSync(() => {
            active = getActiveSpan();
            return 1;
          }, {});
          expect(active).toBe(caller);
          return v;
        });
        expect(out).toBe(1);
      });

      it('withActiveSpan(null) inside a traced call still restores the bound span after', () => {
        const channel = freshChannel();
        let span: Span | undefined;
        bind(channel, () => (span = startInactiveSpan({ name: 'bound' })));
        let after: Span | undefined;
        channel.traceSync(() => {
          withActiveSpan(null, () => undefined);
          after = getActiveSpan();
        }, {});
        expect(after).toBe(span);
        expect(SPAN_STATUS_ERROR).toBe(2);
      });
    });

    describe('concurrency', () => {
      it('tracePromise x50 concurrent: each call sees its own span, parented to its own caller', async () => {
        const channel = freshChannel();
        bind(channel, (data) => startInactiveSpan({ name: `bound ${String(data.i)}` }));
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            startSpan({ name: `caller ${i}` }, async (caller) => {
              let inside: Span | undefined;
              await channel.tracePromise(async () => {
                await sleep(Math.random() * 5);
                inside = getActiveSpan();
              }, { i });
              return { i, caller, inside };
            }),
          ),
        );
        for (const { i, caller, inside } of results) {
          expect(nameOf(inside)).toBe(`bound ${i}`);
          expect(json(inside!).parent_span_id).toBe(caller.spanContext().spanId);
          expect(endCount(inside)).toBe(1);
        }
      });
    });
  });
}
