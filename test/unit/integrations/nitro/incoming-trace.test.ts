import { describe, expect, it } from 'vitest';
import { readIncomingTrace, traceparentToSentryTrace } from '../../../../src/integrations/http-server';
import { isServerError } from '../../../../src/integrations/nitro/error-capture';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

function request(headers: Record<string, string>): Request {
  return new Request('http://127.0.0.1/x', { headers });
}

describe('traceparentToSentryTrace', () => {
  it('traceparent sampled: trace id, parent id and sampled 1', () => {
    expect(traceparentToSentryTrace(`00-${TRACE}-${PARENT}-01`)).toBe(`${TRACE}-${PARENT}-1`);
  });

  it('traceparent flags without the sampled bit: sampled 0', () => {
    expect(traceparentToSentryTrace(`00-${TRACE}-${PARENT}-00`)).toBe(`${TRACE}-${PARENT}-0`);
    expect(traceparentToSentryTrace(`00-${TRACE}-${PARENT}-02`)).toBe(`${TRACE}-${PARENT}-0`);
    expect(traceparentToSentryTrace(`00-${TRACE}-${PARENT}-03`)).toBe(`${TRACE}-${PARENT}-1`);
  });

  it('traceparent of a future version with extra fields: accepted', () => {
    expect(traceparentToSentryTrace(`01-${TRACE}-${PARENT}-01-extra`)).toBe(`${TRACE}-${PARENT}-1`);
  });

  it.each([
    ['version ff', `ff-${TRACE}-${PARENT}-01`],
    ['version 00 with extra fields', `00-${TRACE}-${PARENT}-01-extra`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${PARENT}-01`],
    ['all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['upper-case hex', `00-${TRACE.toUpperCase()}-${PARENT}-01`],
    ['short trace id', `00-${TRACE.slice(1)}-${PARENT}-01`],
    ['garbage', 'hello'],
  ])('traceparent invalid (%s): undefined', (_label, value) => {
    expect(traceparentToSentryTrace(value)).toBeUndefined();
  });
});

describe('readIncomingTrace', () => {
  it('sentry-trace and baggage: both passed through', () => {
    const baggage = `sentry-trace_id=${TRACE},sentry-sampled=true`;
    expect(readIncomingTrace(request({ 'sentry-trace': `${TRACE}-${PARENT}-1`, baggage }))).toEqual({
      sentryTrace: `${TRACE}-${PARENT}-1`,
      baggage,
    });
  });

  it('traceparent only: translated, baggage kept', () => {
    expect(readIncomingTrace(request({ traceparent: `00-${TRACE}-${PARENT}-01`, baggage: 'k=v' }))).toEqual({
      sentryTrace: `${TRACE}-${PARENT}-1`,
      baggage: 'k=v',
    });
  });

  it('invalid sentry-trace and a valid traceparent: the traceparent counts', () => {
    expect(readIncomingTrace(request({ 'sentry-trace': 'nope', traceparent: `00-${TRACE}-${PARENT}-01` })).sentryTrace).toBe(
      `${TRACE}-${PARENT}-1`,
    );
  });

  it('no trace headers: both undefined (a new trace)', () => {
    expect(readIncomingTrace(request({ baggage: 'sentry-trace_id=abc' }))).toEqual({ sentryTrace: undefined, baggage: undefined });
  });
});

describe('isServerError', () => {
  it.each([
    [new Error('x'), true],
    [Object.assign(new Error('x'), { status: 404 }), false],
    [Object.assign(new Error('x'), { statusCode: 422 }), false],
    [Object.assign(new Error('x'), { status: 503 }), true],
    ['a string', true],
    [undefined, true],
  ])('error %#: %s', (error, expected) => {
    expect(isServerError(error)).toBe(expected);
  });
});
