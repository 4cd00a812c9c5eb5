import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { readHeader, readRequestInfo, readStatusCode } from '../../../../src/integrations/fastify/payload';
import { resolveFastifyOptions } from '../../../../src/integrations/fastify/options';

describe('fastify payload reader', () => {
  it('method, route pattern, path without the query, headers, the raw response', () => {
    const raw = new EventEmitter();
    const info = readRequestInfo({
      request: { method: 'get', url: '/users/7?x=1', headers: { 'sentry-trace': ['a', 'b'] } },
      reply: { raw, statusCode: 201 },
      route: { url: '/users/:id', method: 'GET' },
    })!;
    expect(info).toMatchObject({ method: 'GET', route: '/users/:id', path: '/users/7', response: raw, tracedElsewhere: false });
    expect(readHeader(info.headers, 'sentry-trace')).toBe('a');
    expect(readStatusCode({ reply: { statusCode: 201 } })).toBe(201);
  });

  it('no route published: the path names it; a request decorated with opentelemetry() is traced elsewhere', () => {
    const info = readRequestInfo({ request: { url: '/x', opentelemetry: () => ({}) }, reply: {} })!;
    expect(info.route).toBe('/x');
    expect(info.response).toBeUndefined();
    expect(info.tracedElsewhere).toBe(true);
  });

  it('hostile payloads read as undefined, never throw', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
    expect(readRequestInfo({ request: hostile })).toBeUndefined();
    expect(readRequestInfo(hostile as never)).toBeUndefined();
    expect(readRequestInfo({ request: 'no' })).toBeUndefined();
    expect(readStatusCode({ reply: hostile })).toBeUndefined();
  });

  it('options: captureErrors defaults to true; a non-boolean is a TypeError naming it', () => {
    expect(resolveFastifyOptions(undefined)).toEqual({ captureErrors: true });
    expect(() => resolveFastifyOptions({ captureErrors: 1 } as never)).toThrow(new TypeError('instrumentFastify: `options.captureErrors` must be a boolean, got number'));
  });
});
