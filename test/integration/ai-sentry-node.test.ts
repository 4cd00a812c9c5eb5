/**
 * `instrumentAiSdk` through the real `@sentry/node` SDK (OpenTelemetry context, span streaming)
 * to a local envelope receiver: the spans of a traced request that calls the AI SDK arrive with
 * their parents and attributes.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Sentry from '@sentry/node';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { MockLanguageModelV4, simulateReadableStream } from 'ai/test';
import { instrumentAiSdk, type AiSdkInstrumentation } from '../../src/ai';
import { startEnvelopeReceiver, type EnvelopeReceiver } from '../helpers/envelope-receiver';

const usage = {
  inputTokens: { total: 12, noCache: 12, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 7, text: 7, reasoning: undefined },
};

let receiver: EnvelopeReceiver;
let instrumentation: AiSdkInstrumentation;

beforeAll(async () => {
  receiver = await startEnvelopeReceiver();
  Sentry.init({ dsn: receiver.dsn, tracesSampleRate: 1 });
  instrumentation = instrumentAiSdk();
});

afterAll(async () => {
  instrumentation.unbind();
  await Sentry.close(2000);
  await receiver.close();
});

/** An attribute of a received span, whatever the wire shape (`{ value, type }` or plain, `attributes` or `data`). */
function attr(span: any, key: string): unknown {
  const raw = span.attributes?.[key] ?? span.data?.[key];
  return raw !== null && typeof raw === 'object' && 'value' in raw ? raw.value : raw;
}
const opOf = (span: any) => span.op ?? attr(span, 'sentry.op');

test('generateText and streamText inside a request span: gen_ai spans sent to Sentry with parents and attributes', async () => {
  let calls = 0;
  const model = new MockLanguageModelV4({
    provider: 'anthropic.messages',
    modelId: 'claude-test',
    doGenerate: async () =>
      ++calls === 1
        ? {
            content: [{ type: 'tool-call', toolCallId: 'call-7', toolName: 'lookup', input: '{"q":"x"}' }],
            finishReason: { unified: 'tool-calls', raw: 'tool_use' },
            usage,
            warnings: [],
          }
        : { content: [{ type: 'text', text: 'found' }], finishReason: { unified: 'stop', raw: 'end_turn' }, usage, warnings: [] },
    doStream: async () => ({
      stream: simulateReadableStream({
        chunks: [
          { type: 'stream-start', warnings: [] },
          { type: 'text-start', id: 't' },
          { type: 'text-delta', id: 't', delta: 'streamed' },
          { type: 'text-end', id: 't' },
          { type: 'finish', finishReason: { unified: 'stop', raw: 'end_turn' }, usage },
        ],
      }),
    }),
  });
  const lookup = tool({
    inputSchema: jsonSchema<{ q: string }>({ type: 'object', properties: { q: { type: 'string' } } }),
    execute: async ({ q }) => `result for ${q}`,
  });

  const traceId = await Sentry.startSpan({ name: 'POST /chat', op: 'http.server' }, async (span) => {
    const generated = await generateText({ model, prompt: 'find x', tools: { lookup }, stopWhen: stepCountIs(3) });
    expect(generated.text).toBe('found');
    const streamed = streamText({ model, prompt: 'stream it' });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    expect(text).toBe('streamed');
    return span.spanContext().traceId;
  });
  await Sentry.flush(5000);

  const spans = await receiver.waitFor(() => {
    const mine = receiver.spans().filter((s) => s.trace_id === traceId);
    return mine.some((s) => s.name === 'POST /chat') && mine.filter((s) => opOf(s) === 'gen_ai.invoke_agent').length === 2
      ? mine
      : undefined;
  });

  const request = spans.find((s) => s.name === 'POST /chat');
  const agents = spans.filter((s) => opOf(s) === 'gen_ai.invoke_agent');
  const chats = spans.filter((s) => opOf(s) === 'gen_ai.chat');
  const tools = spans.filter((s) => opOf(s) === 'gen_ai.execute_tool');
  expect(agents).toHaveLength(2);
  expect(chats).toHaveLength(3);
  expect(tools).toHaveLength(1);
  expect(agents.every((a) => a.parent_span_id === request.span_id)).toBe(true);

  const generate = agents.find((a) => attr(a, 'ai.operationId') === 'ai.generateText');
  const stream = agents.find((a) => attr(a, 'ai.operationId') === 'ai.streamText');
  expect(generate && stream).toBeTruthy();
  expect(tools[0].parent_span_id).toBe(generate.span_id);
  expect(attr(tools[0], 'gen_ai.tool.name')).toBe('lookup');
  expect(attr(tools[0], 'gen_ai.tool.call.id')).toBe('call-7');
  expect(chats.filter((c) => c.parent_span_id === generate.span_id)).toHaveLength(2);
  expect(chats.filter((c) => c.parent_span_id === stream.span_id)).toHaveLength(1);

  expect(attr(generate, 'gen_ai.provider.name')).toBe('anthropic');
  expect(attr(generate, 'gen_ai.request.model')).toBe('claude-test');
  expect(attr(generate, 'gen_ai.usage.input_tokens')).toBe(24);
  expect(attr(generate, 'gen_ai.usage.output_tokens')).toBe(14);
  expect(attr(generate, 'gen_ai.response.finish_reasons')).toEqual(['tool-calls', 'stop']);
  expect(attr(stream, 'gen_ai.usage.output_tokens')).toBe(7);
  const streamChat = chats.find((c) => c.parent_span_id === stream.span_id);
  expect(attr(streamChat, 'gen_ai.usage.input_tokens')).toBe(12);
  expect(streamChat.name).toBe('chat claude-test');
  // nothing recorded by default
  expect(spans.every((s) => attr(s, 'gen_ai.input.messages') === undefined)).toBe(true);
});
