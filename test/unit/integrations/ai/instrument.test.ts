/**
 * `instrumentAiSdk` against payloads the AI SDK does not send today (odd, hostile, frozen),
 * published by hand on `ai:telemetry`: nothing reaches the traced call or the process.
 * The real-library behaviour is in test/integration/ai.test.ts.
 */
import { afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { tracingChannel } from 'node:diagnostics_channel';
import { getActiveSpan, spanToJSON, startSpan } from '@sentry/core';
import { setScopePairAsyncContextStrategy } from '../../../../src/index';
import { instrumentAiSdk, type AiSdkInstrumentation } from '../../../../src/ai';
import { installRecordingClient, type Recorder } from '../../../helpers/test-client';

const channel = tracingChannel<unknown, object>('ai:telemetry');
let recorder: Recorder;
let instrumentation: AiSdkInstrumentation | undefined;
const aiSpans = () => recorder.ended.filter((s) => String(s.attributes?.['sentry.op'] ?? '').startsWith('gen_ai.'));

beforeAll(() => {
  setScopePairAsyncContextStrategy();
  recorder = installRecordingClient();
});
beforeEach(() => recorder.reset());
afterEach(() => {
  instrumentation?.unbind();
  instrumentation = undefined;
});

test('tracePromise with an unknown type: no span, the call returns its value', async () => {
  instrumentation = instrumentAiSdk();
  await expect(channel.tracePromise(async () => 42, { type: 'somethingNew', event: { callId: 'c' } })).resolves.toBe(42);
  expect(aiSpans()).toHaveLength(0);
});

test('tracePromise with a step payload: no span, the caller’s span stays active inside', async () => {
  instrumentation = instrumentAiSdk();
  let inside: string | undefined;
  await startSpan({ name: 'caller' }, async (caller) => {
    await channel.tracePromise(async () => {
      inside = spanToJSON(getActiveSpan()!).span_id;
    }, { type: 'step', event: { callId: 'c', stepNumber: 0 } });
    expect(inside).toBe(caller.spanContext().spanId);
  });
  expect(aiSpans()).toHaveLength(0);
});

test('tracePromise with throwing getters in the payload: the call returns its value and the span still ends', async () => {
  instrumentation = instrumentAiSdk({ recordInputs: true, recordOutputs: true });
  const event = {
    callId: 'c-hostile',
    get modelId(): string {
      throw new Error('getter');
    },
    get messages(): unknown {
      throw new Error('getter');
    },
  };
  const result = {
    get usage(): unknown {
      throw new Error('getter');
    },
  };
  await expect(channel.tracePromise(async () => result, { type: 'languageModelCall', event })).resolves.toBe(result);
  const spans = aiSpans();
  expect(spans).toHaveLength(1);
  expect(spans[0]!.attributes?.['gen_ai.operation.name']).toBe('chat');
  expect(spans[0]!.status).toBe('ok');
});

test('start/end/asyncEnd with a frozen payload (published the way ai publishes streams): one span, payload untouched', () => {
  instrumentation = instrumentAiSdk({ recordInputs: true });
  const payload = Object.freeze({
    type: 'embed',
    event: Object.freeze({ callId: 'c-frozen', provider: 'openai.embedding', modelId: 'e', value: 'x' }),
  });
  channel.start.runStores(payload, () => undefined);
  channel.end.publish(payload);
  expect(aiSpans()).toHaveLength(0);
  channel.asyncEnd.publish(payload);
  const spans = aiSpans();
  expect(spans).toHaveLength(1);
  expect(spans[0]!.attributes).toMatchObject({ 'gen_ai.request.model': 'e', 'gen_ai.embeddings.input': 'x' });
  expect(Object.keys(payload)).toEqual(['type', 'event']);
});

test('tracePromise with odd result fields: the span ends ok without the odd attributes', async () => {
  instrumentation = instrumentAiSdk();
  const payload = { type: 'embed', event: { callId: 'c-odd', modelId: 'e' } };
  await channel.tracePromise(async () => ({ embedding: [1, 2], usage: { tokens: 'not a number' } }), payload);
  const spans = aiSpans();
  expect(spans).toHaveLength(1);
  expect(spans[0]!.attributes?.['gen_ai.embeddings.dimension.count']).toBe(2);
  expect(spans[0]!.attributes?.['gen_ai.usage.input_tokens']).toBeUndefined();
  expect(Object.keys(payload).sort()).toEqual(['event', 'result', 'type']); // `result` is Node's own
});

test('tracePromise with a null event: a span named for its operation only', async () => {
  instrumentation = instrumentAiSdk();
  await channel.tracePromise(async () => null, { type: 'generateText', event: null });
  expect(aiSpans().map((s) => s.name)).toEqual(['invoke_agent']);
});

test('executeTool resolving with a tool-error output: the tool span fails with its message', async () => {
  instrumentation = instrumentAiSdk();
  const error = new TypeError('bad input');
  await channel.tracePromise(async () => ({ output: { type: 'tool-error', toolCallId: 't', toolName: 'x', error } }), {
    type: 'executeTool',
    event: { callId: 'c-tool', toolCall: { toolCallId: 't', toolName: 'x', input: {} } },
  });
  const [span] = aiSpans();
  expect(span!.name).toBe('execute_tool x');
  expect(span!.status).toBe('error');
  expect(span!.attributes).toMatchObject({ 'sentry.status.message': 'bad input', 'error.type': 'TypeError' });
  expect(recorder.endCounts.size).toBe(1);
});

test('instrumentAiSdk: while active, hooks sit in the AI SDK telemetry list; unbind removes them', () => {
  const list = () => (globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] }).AI_SDK_TELEMETRY_INTEGRATIONS ?? [];
  const before = list().length;
  const handle = instrumentAiSdk();
  expect(list()).toHaveLength(before + 1);
  handle.unbind();
  expect(list()).toHaveLength(before);
});
