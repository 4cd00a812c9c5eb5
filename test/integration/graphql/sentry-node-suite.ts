/**
 * `instrumentGraphql()` beside `@sentry/node`'s DEFAULT integrations (which include its own
 * `Graphql` integration on the same channels), real envelopes to a local receiver. Each order of
 * setup runs in its own test file (`Sentry.init` is process-global).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Sentry from '@sentry/node';
import { instrumentGraphql, type GraphqlInstrumentation } from '../../../src/graphql';
import { startEnvelopeReceiver, type EnvelopeReceiver } from '../../helpers/envelope-receiver';
import { attributeValue } from '../../helpers/recorded-spans';

/** Registers the suite; `order` says whether `Sentry.init` or `instrumentGraphql()` runs first. */
export function graphqlWithSentryNodeDefaults(order: 'sentry-first' | 'ours-first', file: string, policy: 'take-over' | 'stand-down' = 'take-over'): void {
  const major = Number(process.versions.node.split('.')[0]);
  const skip = major < 22;
  if (skip) console.log(`graphql 17 needs Node >=22: skipping ${file} on Node ${process.versions.node}`);

  describe.skipIf(skip)(`instrumentGraphql with @sentry/node default integrations (${order}, ${policy})`, () => {
    let receiver: EnvelopeReceiver;
    let instrumentation: GraphqlInstrumentation;
    let g: typeof import('graphql');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    beforeAll(async () => {
      receiver = await startEnvelopeReceiver();
      g = await import('graphql');
      const init = () => Sentry.init({ dsn: receiver.dsn, tracesSampleRate: 1 });
      if (order === 'sentry-first') {
        init();
        instrumentation = instrumentGraphql({ onSentryIntegration: policy });
      } else {
        instrumentation = instrumentGraphql({ onSentryIntegration: policy });
        init();
      }
    });
    afterAll(async () => {
      instrumentation?.unbind();
      await Sentry.close(2_000);
      await receiver?.close();
      warn.mockRestore();
    });

    it(`each query: exactly one parse, one validate and one operation span, all ${policy === 'take-over' ? 'ours' : "Sentry's"}; one warning`, async () => {
      expect(Sentry.getClient()?.getIntegrationByName('Graphql')).toBeDefined();
      const schema = g.buildSchema('type Query { hello: String }');
      const traces: string[] = [];
      for (let i = 0; i < 3; i++) {
        // each query in a trace of its own (top-level root spans would otherwise share one)
        await Sentry.startNewTrace(() =>
          Sentry.startSpan({ name: `request ${i}` }, async (root) => {
            traces.push(root.spanContext().traceId);
            const result = await g.graphql({ schema, source: `query Q${i} { hello }`, rootValue: { hello: 'x' } });
            expect(JSON.parse(JSON.stringify(result))).toEqual({ data: { hello: 'x' } });
          }),
        );
      }
      await Sentry.flush(5_000);
      const ofTrace = (t: string) => receiver.spans().filter((s) => s.trace_id === t);
      await receiver.waitFor(() => traces.every((t) => ofTrace(t).length >= 4) || undefined);
      traces.forEach((trace, i) => {
        const spans = ofTrace(trace);
        const operations = spans.filter((s) => attributeValue(s, 'graphql.operation.type') === 'query');
        expect(operations).toHaveLength(1);
        const kind = (k: string) => spans.filter((s) => /parse|validate/.test(s.name) && String(s.name).includes(k));
        expect(kind('parse')).toHaveLength(1);
        expect(kind('validate')).toHaveLength(1);
        const origin = policy === 'take-over' ? 'auto.graphql.tracing_channel' : 'auto.graphql.graphql';
        for (const span of [...operations, ...kind('parse'), ...kind('validate')]) expect(attributeValue(span, 'sentry.origin')).toBe(origin);
        if (policy === 'take-over') expect(operations[0].name).toBe(`query Q${i}`);
      });
      const said = policy === 'take-over' ? 'instrumentGraphql() makes the spans' : 'instrumentGraphql() stands down';
      expect(warn.mock.calls.filter((c) => String(c[0]).includes('instrumentGraphql'))).toHaveLength(1);
      expect(warn.mock.calls.filter((c) => String(c[0]).includes(said))).toHaveLength(1);
    });
  });
}
