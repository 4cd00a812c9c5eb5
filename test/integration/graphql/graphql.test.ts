/**
 * `instrumentGraphql()` against the real graphql 17 (Node 22+), with a real `@sentry/core` client
 * (scope-pair strategy) recording every span that ends.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSpan, suppressTracing, type Span } from '@sentry/core';
import { setScopePairAsyncContextStrategy } from '../../../src/index';
import { instrumentGraphql, type GraphqlInstrumentation } from '../../../src/graphql';
import { installRecordingClient, type Recorder } from '../../helpers/test-client';
import { viewSpan, type SpanView } from '../../helpers/recorded-spans';
import { makeSchema, type GraphqlModule } from './schema';

const major = Number(process.versions.node.split('.')[0]);
const skip = major < 22;
if (skip) console.log(`graphql 17 needs Node >=22: skipping test/integration/graphql/graphql.test.ts on Node ${process.versions.node}`);

describe.skipIf(skip)('instrumentGraphql with graphql 17', () => {
  let g: GraphqlModule;
  let schema: Awaited<ReturnType<typeof makeSchema>>;
  let recorder: Recorder;
  let instrumentation: GraphqlInstrumentation | undefined;
  const spans = (): SpanView[] => recorder.ended.map(viewSpan);
  const graphqlSpans = (): SpanView[] => spans().filter((s) => s.attributes['sentry.origin'] === 'auto.graphql.tracing_channel');
  const run = (source: string, variableValues?: Record<string, unknown>) =>
    g.graphql({ schema, source, variableValues }) as Promise<Record<string, unknown>>;
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
  /** Runs `fn` inside a root span; returns its result and the root's span id. */
  async function underRoot<T>(fn: () => Promise<T>): Promise<{ result: T; rootId: string }> {
    let rootId = '';
    const result = await startSpan({ name: 'root' }, async (root: Span) => {
      rootId = root.spanContext().spanId;
      return fn();
    });
    return { result, rootId };
  }

  beforeAll(async () => {
    g = await import('graphql');
    schema = await makeSchema(g);
    setScopePairAsyncContextStrategy();
    recorder = installRecordingClient();
  });
  afterEach(() => {
    instrumentation?.unbind();
    instrumentation = undefined;
    recorder.reset();
  });
  afterAll(() => instrumentation?.unbind());

  it('sync query: parse, validate and `query Hello` spans under the caller, result identical to an uninstrumented run', async () => {
    const uninstrumented = plain(await run('query Hello { hello }'));
    instrumentation = instrumentGraphql();
    const { result, rootId } = await underRoot(() => run('query Hello { hello }'));
    expect(plain(result)).toEqual(uninstrumented);
    expect(plain(result)).toEqual({ data: { hello: 'world' } });
    const got = graphqlSpans();
    expect(got.map((s) => s.name)).toEqual(['graphql.parse', 'graphql.validate', 'query Hello']);
    for (const span of got) expect(span.parent_span_id).toBe(rootId);
    const op = got[2]!;
    expect(op.op).toBe('graphql');
    expect(op.status).toBe('ok');
    expect(op.attributes['graphql.operation.type']).toBe('query');
    expect(op.attributes['graphql.operation.name']).toBe('Hello');
    expect(op.attributes['graphql.document']).toBeUndefined();
  });

  it('async query, resolvers "custom": one resolver span for `user` (not the default `user.name`), child of the operation', async () => {
    instrumentation = instrumentGraphql({ resolvers: 'custom' });
    const { result } = await underRoot(() => run('query GetUser($id: ID) { user(id: $id) { id name } }', { id: '7' }));
    expect(plain(result)).toEqual({ data: { user: { id: '7', name: 'user-7' } } });
    const got = graphqlSpans();
    const op = got.find((s) => s.name === 'query GetUser')!;
    const resolvers = got.filter((s) => s.op === 'graphql.resolve');
    expect(resolvers.map((s) => s.name)).toEqual(['user']);
    expect(resolvers[0]!.parent_span_id).toBe(op.span_id);
    expect(resolvers[0]!.attributes['graphql.field.path']).toBe('user');
    expect(resolvers[0]!.attributes['graphql.parent.name']).toBe('Query');
  });

  it('resolvers "all": every field, named after its path; "none" (default): no resolver span', async () => {
    instrumentation = instrumentGraphql({ resolvers: 'all' });
    await underRoot(() => run('{ user(id: 1) { id name } }'));
    expect(graphqlSpans().filter((s) => s.op === 'graphql.resolve').map((s) => s.name).sort()).toEqual(['user', 'user.id', 'user.name']);
    instrumentation.unbind();
    recorder.reset();
    instrumentation = instrumentGraphql();
    await underRoot(() => run('{ user(id: 1) { id name } }'));
    expect(graphqlSpans().filter((s) => s.op === 'graphql.resolve')).toHaveLength(0);
    expect(graphqlSpans().map((s) => s.name)).toContain('query');
  });

  it('a resolver error in the result: the operation span fails with its message, nothing captured by default', async () => {
    instrumentation = instrumentGraphql();
    const { result } = await underRoot(() => run('query Broken { fail }'));
    expect((result as { errors: unknown[] }).errors).toHaveLength(1);
    const op = graphqlSpans().find((s) => s.name === 'query Broken')!;
    expect(op.status).toBe('error');
    expect(op.message).toBe('resolver broke');
    expect(op.attributes['error.type']).toBe('GraphQLError');
    expect(recorder.captures).toHaveLength(0);
  });

  it('captureErrors: the error the resolver threw is captured exactly once', async () => {
    instrumentation = instrumentGraphql({ captureErrors: true });
    await underRoot(() => run('query Broken { fail }'));
    expect(recorder.captures).toHaveLength(1);
    expect(recorder.captures[0]!.error).toBeInstanceOf(RangeError);
    expect((recorder.captures[0]!.hint as { mechanism?: { type?: string } }).mechanism?.type).toBe('auto.graphql.tracing_channel');
  });

  it('mutation: `mutation SetName` with its type; recordDocument puts the query text on the spans', async () => {
    instrumentation = instrumentGraphql({ recordDocument: true });
    const source = 'mutation SetName { setName(name: "ada") }';
    const { result } = await underRoot(() => run(source));
    expect(plain(result)).toEqual({ data: { setName: 'ada' } });
    const got = graphqlSpans();
    const op = got.find((s) => s.name === 'mutation SetName')!;
    expect(op.attributes['graphql.operation.type']).toBe('mutation');
    expect(op.attributes['graphql.document']).toBe(source);
    expect(got.find((s) => s.name === 'graphql.parse')!.attributes['graphql.document']).toBe(source);
  });

  it('subscription: one `subscription Ticks` span; its events arrive unchanged', async () => {
    instrumentation = instrumentGraphql();
    const { result: events, rootId } = await underRoot(async () => {
      const iterator = (await g.subscribe({ schema, document: g.parse('subscription Ticks { ticks }') })) as AsyncIterable<unknown>;
      const seen: unknown[] = [];
      for await (const event of iterator) seen.push(plain(event));
      return seen;
    });
    expect(events).toEqual([{ data: { ticks: 1 } }, { data: { ticks: 2 } }]);
    const ops = graphqlSpans().filter((s) => s.name.startsWith('subscription'));
    expect(ops.map((s) => s.name)).toEqual(['subscription Ticks']);
    expect(ops[0]!.parent_span_id).toBe(rootId);
    expect(ops[0]!.status).toBe('ok');
  });

  it('syntax error: graphql.parse fails, no validate or execute span', async () => {
    instrumentation = instrumentGraphql();
    const { result } = await underRoot(() => run('query {'));
    expect((result as { errors: unknown[] }).errors).toHaveLength(1);
    const got = graphqlSpans();
    expect(got.map((s) => s.name)).toEqual(['graphql.parse']);
    expect(got[0]!.status).toBe('error');
    expect(got[0]!.attributes['error.type']).toBe('GraphQLError');
  });

  it('validation failure: graphql.validate fails with the first message, execute never runs', async () => {
    instrumentation = instrumentGraphql();
    await underRoot(() => run('{ nope }'));
    const got = graphqlSpans();
    expect(got.map((s) => s.name)).toEqual(['graphql.parse', 'graphql.validate']);
    expect(got[1]!.status).toBe('error');
    expect(String(got[1]!.message)).toMatch(/nope/);
  });

  it('parse and validate outside any span (buildSchema at startup): no span; execute outside any span: a root span', async () => {
    instrumentation = instrumentGraphql();
    g.buildSchema('type Query { a: String }');
    g.validate(schema, g.parse('{ hello }'));
    expect(graphqlSpans()).toHaveLength(0);
    await g.execute({ schema, document: g.parse('query Alone { hello }') });
    const got = graphqlSpans();
    expect(got.map((s) => s.name)).toEqual(['query Alone']);
    expect(got[0]!.parent_span_id).toBeUndefined();
  });

  it('parseAndValidate: false: only the operation span', async () => {
    instrumentation = instrumentGraphql({ parseAndValidate: false });
    await underRoot(() => run('query Hello { hello }'));
    expect(graphqlSpans().map((s) => s.name)).toEqual(['query Hello']);
  });

  it('10 concurrent async queries: each operation span is a child of its own root, resolvers of their own operation', async () => {
    instrumentation = instrumentGraphql({ resolvers: 'custom', parseAndValidate: false });
    const runs = await Promise.all(
      Array.from({ length: 10 }, (_, i) => underRoot(() => run(`query Q${i} { user(id: ${i}) { name } }`))),
    );
    runs.forEach(({ result }, i) => expect(plain(result)).toEqual({ data: { user: { name: `user-${i}` } } }));
    const got = graphqlSpans();
    expect(got.filter((s) => s.op === 'graphql')).toHaveLength(10);
    expect(got.filter((s) => s.op === 'graphql.resolve')).toHaveLength(10);
    runs.forEach(({ rootId }, i) => {
      const op = got.find((s) => s.name === `query Q${i}`)!;
      expect(op.parent_span_id).toBe(rootId);
      const resolvers = got.filter((s) => s.op === 'graphql.resolve' && s.parent_span_id === op.span_id);
      expect(resolvers).toHaveLength(1);
    });
  });

  it('unsampled caller: no span at all', async () => {
    instrumentation = instrumentGraphql({ resolvers: 'all' });
    await suppressTracing(() => startSpan({ name: 'unsampled' }, () => run('query Hello { hello }')));
    expect(graphqlSpans()).toHaveLength(0);
  });

  it('setup: a bad option is a TypeError naming it; the same options give the same handle, other options rebind', async () => {
    expect(() => instrumentGraphql({ resolvers: 'some' as never })).toThrow(/options\.resolvers/);
    expect(() => instrumentGraphql({ recordDocument: 1 as never })).toThrow(/options\.recordDocument/);
    expect(() => instrumentGraphql(null as never)).toThrow(TypeError);
    expect(() => instrumentGraphql({ onSentryIntegration: 'both' as never })).toThrow(/options\.onSentryIntegration/);
    const first = instrumentGraphql();
    expect(instrumentGraphql({})).toBe(first);
    expect(first.owner).toBe('ours');
    instrumentation = instrumentGraphql({ resolvers: 'all' });
    expect(instrumentation).not.toBe(first);
    expect(instrumentation.options.resolvers).toBe('all');
    await underRoot(() => run('{ user(id: 1) { id } }'));
    // the first instrumentation is gone: one operation span, resolver spans per the new options
    expect(graphqlSpans().filter((s) => s.op === 'graphql')).toHaveLength(3);
    expect(graphqlSpans().filter((s) => s.op === 'graphql.resolve').map((s) => s.name).sort()).toEqual(['user', 'user.id']);
  });

  it('twice instrumented and unbound: spans once; after unbind none', async () => {
    instrumentation = instrumentGraphql();
    instrumentGraphql();
    await underRoot(() => run('query Hello { hello }'));
    expect(graphqlSpans().filter((s) => s.name === 'query Hello')).toHaveLength(1);
    instrumentation.unbind();
    instrumentation.unbind();
    recorder.reset();
    await underRoot(() => run('query Hello { hello }'));
    expect(graphqlSpans()).toHaveLength(0);
  });
});
