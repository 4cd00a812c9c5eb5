/**
 * `instrumentPino()` with the real pino 10 and a real `@sentry/node` client (default
 * integrations) sending real envelopes to a local receiver: `log` items after `flush()`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { Writable } from 'node:stream';
import * as Sentry from '@sentry/node';
import { pino } from 'pino';
import { instrumentPino, type PinoInstrumentation } from '../../../src/pino';
import { startEnvelopeReceiver, type EnvelopeReceiver } from '../../helpers/envelope-receiver';
import { attributeValue } from '../../helpers/recorded-spans';

/** A pino logger writing synchronously into `lines` (the JSON lines pino produces). */
function makeLogger(lines: string[], options: Record<string, unknown> = {}) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return pino({ level: 'trace', ...options }, stream);
}

describe('instrumentPino with @sentry/node and pino 10', () => {
  let receiver: EnvelopeReceiver;
  let instrumentation: PinoInstrumentation | undefined;
  let seen = 0;
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

  /** The log items received since the last `newLogs()` call. */
  function newLogs(): any[] {
    const all = receiver.items('log').flatMap((item) => item.payload.items ?? []);
    const fresh = all.slice(seen);
    seen = all.length;
    return fresh;
  }
  async function flushLogs(expected: number): Promise<any[]> {
    await Sentry.flush(5_000);
    const start = seen;
    const count = () => receiver.items('log').flatMap((item) => item.payload.items ?? []).length - start;
    await receiver.waitFor(() => count() >= expected || undefined).catch(() => undefined);
    return newLogs();
  }

  beforeAll(async () => {
    receiver = await startEnvelopeReceiver();
    Sentry.init({ dsn: receiver.dsn, tracesSampleRate: 1 });
  });
  beforeEach(() => {
    instrumentation?.unbind();
    instrumentation = undefined;
  });
  afterAll(async () => {
    instrumentation?.unbind();
    await Sentry.close(2_000);
    await receiver?.close();
    warn.mockRestore();
  });

  it('sync log lines: info/warn/error become logs with their fields, debug is left out; each carries the active trace and span', async () => {
    instrumentation = instrumentPino();
    const lines: string[] = [];
    const log = makeLogger(lines).child({ component: 'billing' });
    let traceId = '';
    let spanId = '';
    Sentry.startNewTrace(() =>
      Sentry.startSpan({ name: 'job' }, (span) => {
        traceId = span.spanContext().traceId;
        spanId = span.spanContext().spanId;
        log.info({ orderId: 42, nested: { a: 1 } }, 'order %s placed', 'A-1');
        log.debug('not sent');
        log.warn('low stock');
        log.error({ err: new Error('card declined') }, 'payment failed');
      }),
    );
    expect(lines).toHaveLength(4);
    const logs = await flushLogs(3);
    expect(logs.map((l) => [l.level, l.body])).toEqual([
      ['info', 'order A-1 placed'],
      ['warn', 'low stock'],
      ['error', 'payment failed'],
    ]);
    for (const l of logs) {
      expect(l.trace_id).toBe(traceId);
      expect(attributeValue(l, 'sentry.trace.parent_span_id')).toBe(spanId);
      expect(attributeValue(l, 'component')).toBe('billing');
      expect(attributeValue(l, 'sentry.origin')).toBe('auto.log.pino.tracing_channel');
      expect(attributeValue(l, 'msg')).toBeUndefined();
      expect(attributeValue(l, 'time')).toBeUndefined();
    }
    expect(attributeValue(logs[0], 'orderId')).toBe(42);
    expect(attributeValue(logs[0], 'pino.logger.level')).toBe(30);
    expect(String(attributeValue(logs[2], 'err'))).toContain('card declined');
  });

  it('the lines pino writes are identical to an uninstrumented run (apart from the time)', async () => {
    const strip = (line: string) => line.replace(/"time":\d+,/, '');
    const bare: string[] = [];
    makeLogger(bare).info({ a: 1 }, 'same');
    instrumentation = instrumentPino();
    const traced: string[] = [];
    makeLogger(traced).info({ a: 1 }, 'same');
    expect(traced.map(strip)).toEqual(bare.map(strip));
    await flushLogs(1);
  });

  it('levels option: only the named levels are sent; a custom messageKey is honoured', async () => {
    instrumentation = instrumentPino({ levels: ['debug', 'fatal'] });
    const lines: string[] = [];
    const log = makeLogger(lines, { messageKey: 'message' });
    log.info('skipped');
    log.debug('kept debug');
    log.fatal('kept fatal');
    const logs = await flushLogs(2);
    expect(logs.map((l) => [l.level, l.body])).toEqual([
      ['debug', 'kept debug'],
      ['fatal', 'kept fatal'],
    ]);
    expect(attributeValue(logs[0], 'message')).toBeUndefined();
  });

  it('setup: a bad option is a TypeError naming it; same options, same handle; other options rebind; after unbind nothing is sent', async () => {
    expect(() => instrumentPino({ levels: 'info' as never })).toThrow(/options\.levels/);
    expect(() => instrumentPino({ levels: [''] })).toThrow(/options\.levels/);
    const first = instrumentPino();
    expect(instrumentPino({ levels: ['info', 'warn', 'error', 'fatal'] })).toBe(first);
    instrumentation = instrumentPino({ levels: ['info', 'error'] });
    expect(instrumentation).not.toBe(first);
    expect(instrumentation.options.levels).toEqual(['info', 'error']);
    const lines: string[] = [];
    makeLogger(lines).info('once');
    makeLogger(lines).warn('not any more');
    expect((await flushLogs(1)).map((l) => l.body)).toEqual(['once']);
    instrumentation.unbind();
    makeLogger(lines).info('after unbind');
    await Sentry.flush(2_000);
    expect(newLogs()).toHaveLength(0);
  });

  it("with Sentry's own Pino integration added: instrumentPino stands down, each line is sent once, one warning", async () => {
    instrumentation = instrumentPino();
    Sentry.getClient()!.addIntegration(Sentry.pinoIntegration());
    const lines: string[] = [];
    const log = makeLogger(lines);
    log.info('one');
    log.warn('two');
    const logs = await flushLogs(2);
    expect(logs.map((l) => l.body)).toEqual(['one', 'two']);
    for (const l of logs) expect(attributeValue(l, 'sentry.origin')).toBe('auto.log.pino');
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('instrumentPino stands down'))).toHaveLength(1);
  });
});
