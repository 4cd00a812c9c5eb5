/**
 * `instrumentAiSdk` against the real `ai` package (v7) with its own mock models (`ai/test`):
 * the AI SDK publishes on `ai:telemetry`, our binding turns that into Sentry spans recorded by a
 * real `@sentry/core` client.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { tracingChannel } from 'node:diagnostics_channel';
import { getActiveSpan, spanToJSON, startSpan } from '@sentry/core';
import type { Span } from '@sentry/core';
import { embed, embedMany, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { MockEmbeddingModelV4, MockLanguageModelV4, simulateReadableStream } from 'ai/test';
import { setScopePairAsyncContextStrategy } from '../../src/index';
import { instrumentAiSdk, type AiSdkInstrumentation } from '../../src/ai';
import { installRecordingClient, type Recorder } from '../helpers/test-client';

type SpanJson = ReturnType<typeof spanToJSON>;
/** One part of a model's stream, as `ai/test` mock models take it. */
type LanguageModelV4StreamPart =
  Awaited<ReturnType<MockLanguageModelV4['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never;

const usage = {
  inputTokens: { total: 10, noCache: 8, cacheRead: 2, cacheWrite: undefined },
  outputTokens: { total: 20, text: 20, reasoning: undefined },
};
const stop = { unified: 'stop' as const, raw: 'stop' };
const toolCalls = { unified: 'tool-calls' as const, raw: 'tool_calls' };

function textModel(text = 'Hello'): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    provider: 'openai.chat',
    modelId: 'gpt-test',
    doGenerate: {
      content: [{ type: 'text', text }],
      finishReason: stop,
      usage,
      warnings: [],
      response: { id: 'resp-1', modelId: 'gpt-test-2025-01-01', timestamp: new Date(0) },
    },
  });
}

/** First call asks for the `weather` tool, second call answers. */
function toolModel(city = 'Berlin'): MockLanguageModelV4 {
  let calls = 0;
  return new MockLanguageModelV4({
    provider: 'openai.chat',
    modelId: 'gpt-test',
    doGenerate: async () =>
      ++calls === 1
        ? {
            content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: JSON.stringify({ city }) }],
            finishReason: toolCalls,
            usage,
            warnings: [],
          }
        : { content: [{ type: 'text', text: 'Sunny' }], finishReason: stop, usage, warnings: [] },
  });
}

const textParts = (deltas: string[]): LanguageModelV4StreamPart[] => [
  { type: 'stream-start', warnings: [] },
  { type: 'response-metadata', id: 'resp-s', modelId: 'gpt-test-2025-01-01', timestamp: new Date(0) },
  { type: 'text-start', id: 't1' },
  ...deltas.map((delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id: 't1', delta })),
  { type: 'text-end', id: 't1' },
  { type: 'finish', finishReason: stop, usage },
];

function streamModel(deltas: string[]): MockLanguageModelV4 {
  return new MockLanguageModelV4({
    provider: 'openai.chat',
    modelId: 'gpt-test',
    doStream: async () => ({ stream: simulateReadableStream({ chunks: textParts(deltas) }) }),
  });
}

/** A model whose stream delivers some text, then fails when the consumer pulls for more. */
function failingStreamModel(message: string): MockLanguageModelV4 {
  const parts = textParts(['Hel', 'lo']).slice(0, 4);
  return new MockLanguageModelV4({
    provider: 'openai.chat',
    modelId: 'gpt-test',
    doStream: async () => {
      let next = 0;
      return {
        stream: new ReadableStream({
          pull(controller) {
            if (next < parts.length) controller.enqueue(parts[next++]);
            else controller.error(new Error(message));
          },
        }),
      };
    },
  });
}

function weatherTool(seen?: { activeSpan?: Span }) {
  return tool({
    description: 'Current weather of a city',
    inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } }),
    execute: async ({ city }) => {
      if (seen) seen.activeSpan = getActiveSpan();
      if (city === 'Atlantis') throw new Error('no such city');
      return { city, temperature: 21 };
    },
  });
}

const embeddingModel = () =>
  new MockEmbeddingModelV4({
    provider: 'openai.embedding',
    modelId: 'embed-test',
    doEmbed: async ({ values }) => ({ embeddings: values.map(() => [0.1, 0.2, 0.3]), usage: { tokens: 4 * values.length }, warnings: [] }),
  });

/** Resolves the next time the AI SDK's model call returns (its `asyncEnd`), streamed or not. */
function nextModelCallReturn(): Promise<void> {
  const channel = tracingChannel<object, { type?: string }>('ai:telemetry');
  return new Promise((resolve) => {
    const onAsyncEnd = (data: { type?: string }) => {
      if (data.type !== 'languageModelCall') return;
      channel.asyncEnd.unsubscribe(onAsyncEnd as (m: unknown) => void);
      resolve();
    };
    channel.asyncEnd.subscribe(onAsyncEnd as (m: unknown) => void);
  });
}

/** Lets everything already scheduled run (one macrotask turn), without waiting on a clock. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

let recorder: Recorder;
let started: SpanJson[];
let instrumentation: AiSdkInstrumentation | undefined;

const byOp = (op: string): SpanJson[] => recorder.ended.filter((s) => s.attributes?.['sentry.op'] === op);
const one = (op: string): SpanJson => {
  const spans = byOp(op);
  expect(spans, `ended spans with op ${op}`).toHaveLength(1);
  return spans[0]!;
};
const aiSpans = () => recorder.ended.filter((s) => String(s.attributes?.['sentry.op'] ?? '').startsWith('gen_ai.'));

beforeAll(() => {
  setScopePairAsyncContextStrategy();
  recorder = installRecordingClient();
  started = [];
  recorder.client.on('spanStart', (span) => started.push(spanToJSON(span)));
});

beforeEach(() => {
  recorder.reset();
  started.length = 0;
});

afterEach(() => {
  instrumentation?.unbind();
  instrumentation = undefined;
});

describe('generateText', () => {
  test('generateText resolves: invoke_agent span with provider, model, tokens and finish reasons; chat span is its child', async () => {
    instrumentation = instrumentAiSdk();
    const result = await startSpan({ name: 'request' }, () => generateText({ model: textModel(), prompt: 'Hi' }));
    expect(result.text).toBe('Hello');

    const agent = one('gen_ai.invoke_agent');
    const chat = one('gen_ai.chat');
    const request = recorder.ended.find((s) => s.name === 'request')!;
    expect(aiSpans()).toHaveLength(2); // the step made no span of its own
    expect(agent.parent_span_id).toBe(request.span_id);
    expect(chat.parent_span_id).toBe(agent.span_id);
    expect(chat.trace_id).toBe(request.trace_id);

    expect(agent.name).toBe('invoke_agent');
    expect(agent.status).toBe('ok');
    expect(agent.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-test',
      'gen_ai.response.model': 'gpt-test-2025-01-01',
      'gen_ai.response.id': 'resp-1',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 20,
      'gen_ai.usage.total_tokens': 30,
      'gen_ai.response.finish_reasons': ['stop'],
      'ai.operationId': 'ai.generateText',
      'sentry.origin': 'auto.diagnostic_channels.ai',
    });

    expect(chat.name).toBe('chat gpt-test');
    expect(chat.status).toBe('ok');
    expect(chat.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-test',
      'gen_ai.response.model': 'gpt-test-2025-01-01',
      'gen_ai.response.id': 'resp-1',
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 20,
      'gen_ai.usage.cache_read.input_tokens': 2,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    // chat ends before its parent
    expect(chat.end_timestamp!).toBeLessThanOrEqual(agent.end_timestamp!);
  });

  test('generateText with request settings: gen_ai.request.* attributes and the functionId as agent name', async () => {
    instrumentation = instrumentAiSdk();
    await generateText({
      model: textModel(),
      prompt: 'Hi',
      temperature: 0.2,
      maxOutputTokens: 64,
      topP: 0.9,
      stopSequences: ['END'],
      telemetry: { functionId: 'weather-agent' },
    });
    const agent = one('gen_ai.invoke_agent');
    expect(agent.name).toBe('invoke_agent weather-agent');
    expect(agent.attributes).toMatchObject({ 'gen_ai.agent.name': 'weather-agent', 'gen_ai.request.temperature': 0.2 });
    expect(one('gen_ai.chat').attributes).toMatchObject({
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 64,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.stop_sequences': ['END'],
    });
  });

  test('generateText rejects: invoke_agent and chat spans end with error status and the message', async () => {
    instrumentation = instrumentAiSdk();
    const model = new MockLanguageModelV4({
      modelId: 'gpt-test',
      doGenerate: async () => {
        throw new Error('model unavailable');
      },
    });
    await expect(generateText({ model, prompt: 'Hi', maxRetries: 0 })).rejects.toThrow('model unavailable');
    for (const span of [one('gen_ai.invoke_agent'), one('gen_ai.chat')]) {
      expect(span.status).toBe('error');
      expect(span.attributes?.['sentry.status.message']).toBe('model unavailable');
    }
  });
});

describe('streamText', () => {
  test('streamText read to the end: spans stay open after the call returns and end once the stream is consumed', async () => {
    instrumentation = instrumentAiSdk();
    const modelReturned = nextModelCallReturn();
    const result = streamText({ model: streamModel(['He', 'll', 'o', ',', ' ', 'wor', 'ld', '!']), prompt: 'Hi' });
    await modelReturned; // the model handed back its stream; nothing has been read yet
    await settle();

    expect(started.filter((s) => s.attributes?.['sentry.op'] === 'gen_ai.invoke_agent')).toHaveLength(1);
    expect(started.filter((s) => s.attributes?.['sentry.op'] === 'gen_ai.chat')).toHaveLength(1);
    expect(aiSpans()).toHaveLength(0);

    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('Hello, world!');
    await settle();

    const agent = one('gen_ai.invoke_agent');
    const chat = one('gen_ai.chat');
    expect(chat.parent_span_id).toBe(agent.span_id);
    expect(agent.status).toBe('ok');
    expect(chat.status).toBe('ok');
    expect(agent.attributes).toMatchObject({
      'gen_ai.response.streaming': true,
      'ai.operationId': 'ai.streamText',
      'gen_ai.request.model': 'gpt-test',
    });
    expect(chat.attributes).toMatchObject({ 'gen_ai.response.streaming': true, 'gen_ai.request.model': 'gpt-test' });
    expect([...recorder.endCounts.values()].every((n) => n === 1)).toBe(true);
  });

  test('streamText read to the end: streamed usage, finish reason and response model on the chat and streamText spans', async () => {
    instrumentation = instrumentAiSdk({ recordOutputs: true });
    const result = streamText({ model: streamModel(['Hel', 'lo']), prompt: 'Hi' });
    for await (const _ of result.textStream) void _;
    await settle();

    const expected = {
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.usage.output_tokens': 20,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.model': 'gpt-test-2025-01-01',
      'gen_ai.response.id': 'resp-s',
    };
    expect(one('gen_ai.invoke_agent').attributes).toMatchObject(expected);
    const chat = one('gen_ai.chat');
    expect(chat.attributes).toMatchObject(expected);
    expect(JSON.parse(String(chat.attributes?.['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Hello' }], finish_reason: 'stop' },
    ]);
  });

  test('streamText model call rejects: chat and streamText spans end with the provider error', async () => {
    instrumentation = instrumentAiSdk();
    const model = new MockLanguageModelV4({
      modelId: 'gpt-test',
      doStream: async () => {
        throw new Error('401 unauthorized');
      },
    });
    const result = streamText({ model, prompt: 'Hi', maxRetries: 0, onError: () => undefined });
    for await (const _ of result.textStream) void _;
    await settle();

    for (const span of [one('gen_ai.invoke_agent'), one('gen_ai.chat')]) {
      expect(span.status).toBe('error');
      expect(span.attributes?.['sentry.status.message']).toBe('401 unauthorized');
    }
    expect([...recorder.endCounts.values()].every((n) => n === 1)).toBe(true);
  });

  test('streamText never read: spans end at the stream deadline with deadline_exceeded', async () => {
    instrumentation = instrumentAiSdk({ streamTimeoutMs: 200 });
    const waiting = new Set(['gen_ai.invoke_agent', 'gen_ai.chat']);
    let off: (() => void) | undefined;
    const bothEnded = new Promise<void>((resolve) => {
      off = recorder.client.on('spanEnd', (span) => {
        waiting.delete(String(spanToJSON(span).attributes?.['sentry.op']));
        if (waiting.size === 0) resolve();
      });
    });
    streamText({ model: streamModel(['never', 'read']), prompt: 'Hi' });
    await bothEnded;
    off?.();

    for (const span of [one('gen_ai.invoke_agent'), one('gen_ai.chat')]) {
      expect(span.status).toBe('error');
      expect(span.attributes?.['sentry.status.message']).toBe('deadline_exceeded');
    }
  });

  test('streamText stream errors mid-way: invoke_agent and chat spans end with error status', async () => {
    instrumentation = instrumentAiSdk();
    const result = streamText({ model: failingStreamModel('connection reset'), prompt: 'Hi', onError: () => undefined });
    await expect(
      (async () => {
        for await (const _ of result.textStream) void _;
      })(),
    ).rejects.toThrow('connection reset');
    await settle();

    const agent = one('gen_ai.invoke_agent');
    const chat = one('gen_ai.chat');
    expect(chat.parent_span_id).toBe(agent.span_id);
    for (const span of [agent, chat]) {
      expect(span.status).toBe('error');
      expect(span.attributes?.['sentry.status.message']).toBe('connection reset');
      expect(span.attributes?.['error.type']).toBe('Error');
    }
  });

  test('streamText with a tool: execute_tool span is a child of the streamText span, one chat span per step', async () => {
    instrumentation = instrumentAiSdk();
    let calls = 0;
    const model = new MockLanguageModelV4({
      provider: 'openai.chat',
      modelId: 'gpt-test',
      doStream: async () => ({
        stream: simulateReadableStream({
          chunks:
            ++calls === 1
              ? [
                  { type: 'stream-start', warnings: [] },
                  { type: 'tool-call', toolCallId: 'call-s1', toolName: 'weather', input: '{"city":"Oslo"}' },
                  { type: 'finish', finishReason: toolCalls, usage },
                ]
              : textParts(['Cold']),
        }),
      }),
    });
    const result = streamText({ model, prompt: 'Weather?', tools: { weather: weatherTool() }, stopWhen: stepCountIs(3) });
    expect(await result.text).toBe('Cold');
    await settle();

    const agent = one('gen_ai.invoke_agent');
    const toolSpan = one('gen_ai.execute_tool');
    const chats = byOp('gen_ai.chat');
    expect(chats).toHaveLength(2);
    expect(chats.every((c) => c.parent_span_id === agent.span_id)).toBe(true);
    expect(toolSpan.parent_span_id).toBe(agent.span_id);
    expect(toolSpan.attributes).toMatchObject({ 'gen_ai.tool.name': 'weather', 'gen_ai.tool.call.id': 'call-s1' });
    // the first chat span (tool-calls step) ended before the second step began
    const [first, second] = [...chats].sort((a, b) => a.start_timestamp - b.start_timestamp);
    expect(first!.end_timestamp!).toBeLessThanOrEqual(second!.start_timestamp);
  });
});

describe('executeTool', () => {
  test('generateText with a tool: execute_tool span is a child of the invoke_agent span with tool name and call id', async () => {
    instrumentation = instrumentAiSdk();
    const seen: { activeSpan?: Span } = {};
    const result = await generateText({
      model: toolModel(),
      prompt: 'Weather in Berlin?',
      tools: { weather: weatherTool(seen) },
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe('Sunny');

    const agent = one('gen_ai.invoke_agent');
    const toolSpan = one('gen_ai.execute_tool');
    const chats = byOp('gen_ai.chat');
    expect(chats).toHaveLength(2);
    expect(aiSpans()).toHaveLength(4); // two steps, no step spans
    expect(toolSpan.parent_span_id).toBe(agent.span_id);
    expect(chats.every((c) => c.parent_span_id === agent.span_id)).toBe(true);
    expect(toolSpan.name).toBe('execute_tool weather');
    expect(toolSpan.status).toBe('ok');
    expect(toolSpan.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'weather',
      'gen_ai.tool.call.id': 'call-1',
      'gen_ai.tool.type': 'function',
    });
    // the tool's own code runs inside the tool span
    expect(seen.activeSpan && spanToJSON(seen.activeSpan).span_id).toBe(toolSpan.span_id);
    // steps put their finish reasons on the enclosing span
    expect(agent.attributes?.['gen_ai.response.finish_reasons']).toEqual(['tool-calls', 'stop']);
    expect(agent.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 20, 'gen_ai.usage.output_tokens': 40 });
    expect(chats.map((c) => c.attributes?.['gen_ai.response.finish_reasons'])).toEqual(
      expect.arrayContaining([['tool-calls'], ['stop']]),
    );
  });

  test('tool throws: execute_tool span ends with error status, the call goes on', async () => {
    instrumentation = instrumentAiSdk();
    const result = await generateText({
      model: toolModel('Atlantis'),
      prompt: 'Weather in Atlantis?',
      tools: { weather: weatherTool() },
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe('Sunny');
    const toolSpan = one('gen_ai.execute_tool');
    expect(toolSpan.status).toBe('error');
    expect(toolSpan.attributes?.['sentry.status.message']).toBe('no such city');
    expect(one('gen_ai.invoke_agent').status).toBe('ok');
  });

  test('nested generateText inside a tool: its invoke_agent span is a child of the execute_tool span', async () => {
    instrumentation = instrumentAiSdk();
    const research = tool({
      inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } }),
      execute: async ({ city }) => (await generateText({ model: textModel(`about ${city}`), prompt: city })).text,
    });
    let calls = 0;
    const model = new MockLanguageModelV4({
      modelId: 'outer',
      doGenerate: async () =>
        ++calls === 1
          ? {
              content: [{ type: 'tool-call', toolCallId: 'call-r', toolName: 'research', input: '{"city":"Rome"}' }],
              finishReason: toolCalls,
              usage,
              warnings: [],
            }
          : { content: [{ type: 'text', text: 'done' }], finishReason: stop, usage, warnings: [] },
    });
    await generateText({ model, prompt: 'Research Rome', tools: { research }, stopWhen: stepCountIs(3) });

    const agents = byOp('gen_ai.invoke_agent');
    expect(agents).toHaveLength(2);
    const toolSpan = one('gen_ai.execute_tool');
    const outer = agents.find((a) => a.attributes?.['gen_ai.request.model'] === 'outer')!;
    const inner = agents.find((a) => a.attributes?.['gen_ai.request.model'] === 'gpt-test')!;
    expect(toolSpan.parent_span_id).toBe(outer.span_id);
    expect(inner.parent_span_id).toBe(toolSpan.span_id);
    const innerChat = byOp('gen_ai.chat').find((c) => c.attributes?.['gen_ai.request.model'] === 'gpt-test')!;
    expect(innerChat.parent_span_id).toBe(inner.span_id);
  });
});

describe('embeddings', () => {
  test('embed resolves: embeddings span with provider, model, input tokens and vector size', async () => {
    instrumentation = instrumentAiSdk();
    const { embedding } = await embed({ model: embeddingModel(), value: 'sunny day' });
    expect(embedding).toHaveLength(3);
    const span = one('gen_ai.embeddings');
    expect(span.name).toBe('embeddings embed-test');
    expect(span.status).toBe('ok');
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'embed-test',
      'gen_ai.usage.input_tokens': 4,
      'gen_ai.embeddings.dimension.count': 3,
    });
    expect(span.attributes?.['gen_ai.embeddings.input']).toBeUndefined();
  });

  test('embedMany resolves: one embeddings span with the summed input tokens', async () => {
    instrumentation = instrumentAiSdk();
    const { embeddings } = await embedMany({ model: embeddingModel(), values: ['a', 'b', 'c'] });
    expect(embeddings).toHaveLength(3);
    const span = one('gen_ai.embeddings');
    expect(span.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 12, 'ai.operationId': 'ai.embedMany' });
  });
});

describe('recording prompts and outputs', () => {
  const recordedKeys = [
    'gen_ai.input.messages',
    'gen_ai.output.messages',
    'gen_ai.system_instructions',
    'gen_ai.tool.call.arguments',
    'gen_ai.tool.call.result',
    'gen_ai.tool.definitions',
    'gen_ai.embeddings.input',
  ];

  test('default options: no prompt, output, tool argument or embedding input on any span', async () => {
    instrumentation = instrumentAiSdk();
    await generateText({ model: toolModel(), system: 'Be brief.', prompt: 'Weather?', tools: { weather: weatherTool() }, stopWhen: stepCountIs(3) });
    await embed({ model: embeddingModel(), value: 'secret' });
    expect(aiSpans()).toHaveLength(5);
    for (const span of aiSpans()) {
      for (const key of recordedKeys) expect(span.attributes?.[key], `${span.name} ${key}`).toBeUndefined();
    }
  });

  test('recordInputs and recordOutputs on: messages, instructions, tool arguments and results recorded', async () => {
    instrumentation = instrumentAiSdk({ recordInputs: true, recordOutputs: true });
    await generateText({ model: toolModel(), system: 'Be brief.', prompt: 'Weather?', tools: { weather: weatherTool() }, stopWhen: stepCountIs(3) });
    await embed({ model: embeddingModel(), value: 'sunny day' });

    const agent = one('gen_ai.invoke_agent');
    expect(JSON.parse(String(agent.attributes?.['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Weather?' }] },
    ]);
    expect(JSON.parse(String(agent.attributes?.['gen_ai.system_instructions']))).toEqual([{ type: 'text', content: 'Be brief.' }]);
    expect(JSON.parse(String(agent.attributes?.['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Sunny' }], finish_reason: 'stop' },
    ]);

    const chats = [...byOp('gen_ai.chat')].sort((a, b) => a.start_timestamp - b.start_timestamp);
    expect(JSON.parse(String(chats[0]!.attributes?.['gen_ai.output.messages']))).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call-1', name: 'weather', arguments: { city: 'Berlin' } }],
        finish_reason: 'tool-calls',
      },
    ]);
    const secondInput = JSON.parse(String(chats[1]!.attributes?.['gen_ai.input.messages']));
    expect(secondInput.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(secondInput[2].parts[0]).toMatchObject({ type: 'tool_call_response', id: 'call-1' });
    expect(JSON.parse(String(chats[0]!.attributes?.['gen_ai.tool.definitions']))[0]).toMatchObject({ name: 'weather' });

    const toolSpan = one('gen_ai.execute_tool');
    expect(JSON.parse(String(toolSpan.attributes?.['gen_ai.tool.call.arguments']))).toEqual({ city: 'Berlin' });
    expect(JSON.parse(String(toolSpan.attributes?.['gen_ai.tool.call.result']))).toEqual({ city: 'Berlin', temperature: 21 });
    expect(one('gen_ai.embeddings').attributes?.['gen_ai.embeddings.input']).toBe('sunny day');
  });

  test('recordInputs only: prompts recorded, outputs not', async () => {
    instrumentation = instrumentAiSdk({ recordInputs: true });
    await generateText({ model: textModel(), prompt: 'Hi' });
    const chat = one('gen_ai.chat');
    expect(chat.attributes?.['gen_ai.input.messages']).toBeDefined();
    expect(chat.attributes?.['gen_ai.output.messages']).toBeUndefined();
  });
});

describe('setup', () => {
  test('instrumentAiSdk twice: the same handle, one set of spans per call', async () => {
    instrumentation = instrumentAiSdk();
    expect(instrumentAiSdk()).toBe(instrumentation);
    await generateText({ model: textModel(), prompt: 'Hi' });
    expect(aiSpans()).toHaveLength(2);
  });

  test('instrumentAiSdk again with other options: rebound with the new ones, one set of spans per call', async () => {
    const first = instrumentAiSdk();
    instrumentation = instrumentAiSdk({ recordOutputs: true });
    expect(instrumentation).not.toBe(first);
    await generateText({ model: textModel(), prompt: 'Hi' });
    const spans = aiSpans();
    expect(spans).toHaveLength(2);
    expect(spans.some((s) => s.attributes?.['gen_ai.output.messages'] !== undefined)).toBe(true); // recordOutputs is in force
  });

  test('unbind: no spans afterwards, and a new instrumentation works again', async () => {
    const first = instrumentAiSdk();
    first.unbind();
    first.unbind();
    await generateText({ model: textModel(), prompt: 'Hi' });
    expect(aiSpans()).toHaveLength(0);

    instrumentation = instrumentAiSdk();
    expect(instrumentation).not.toBe(first);
    await generateText({ model: textModel(), prompt: 'Hi' });
    expect(aiSpans()).toHaveLength(2);
  });

  test('Symbol.dispose: a `using` block ends the instrumentation', async () => {
    {
      using _ai = instrumentAiSdk();
      await generateText({ model: textModel(), prompt: 'Hi' });
    }
    expect(aiSpans()).toHaveLength(2);
    recorder.reset();
    await generateText({ model: textModel(), prompt: 'Hi' });
    expect(aiSpans()).toHaveLength(0);
  });

  test('unbind while a stream is open: its spans still end when the stream is consumed', async () => {
    const ai = instrumentAiSdk();
    const modelReturned = nextModelCallReturn();
    const result = streamText({ model: streamModel(['a', 'b', 'c']), prompt: 'Hi' });
    await modelReturned;
    ai.unbind();
    expect(await result.text).toBe('abc');
    await settle();
    expect(aiSpans()).toHaveLength(2);
    expect([...recorder.endCounts.values()].every((n) => n === 1)).toBe(true);
  });
});
