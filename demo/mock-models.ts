/**
 * Stand-in language models for the demo, built with the AI SDK's own test utilities (`ai/test`):
 * no network, no API key, but the real `generateText` / `streamText` code paths, so the spans
 * are the ones a real provider would produce.
 */
import { MockLanguageModelV4, simulateReadableStream } from 'ai/test';

/** One part of a model's stream, as `ai/test` mock models take it. */
type StreamPart = Awaited<ReturnType<MockLanguageModelV4['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never;

const usage = (input: number, output: number) => ({
  inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: output, text: output, reasoning: undefined },
});

/**
 * A chat model that first asks for the `weather` tool (for the city named last in the prompt),
 * then answers from the tool's result. One instance per conversation: it counts its calls.
 */
export function weatherChatModel(): MockLanguageModelV4 {
  let calls = 0;
  return new MockLanguageModelV4({
    provider: 'openai.chat',
    modelId: 'gpt-demo',
    doGenerate: async ({ prompt }) => {
      if (++calls === 1) {
        const asked = JSON.stringify(prompt.at(-1)?.content ?? '');
        const city = /([A-Z][a-z]+)\?/.exec(asked)?.[1] ?? 'Berlin';
        return {
          content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'weather', input: JSON.stringify({ city }) }],
          finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
          usage: usage(42, 12),
          warnings: [],
          response: { id: 'resp-1', modelId: 'gpt-demo-2025-06-01', timestamp: new Date() },
        };
      }
      const toolMessage = prompt.find((message) => message.role === 'tool');
      const part = toolMessage?.content.find((p) => p.type === 'tool-result');
      const output = part?.type === 'tool-result' && part.output.type === 'json' ? (part.output.value as { city?: string; forecast?: string }) : {};
      return {
        content: [{ type: 'text', text: `${output.city ?? 'The city'}: ${output.forecast ?? 'no forecast'}.` }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: usage(71, 9),
        warnings: [],
        response: { id: 'resp-2', modelId: 'gpt-demo-2025-06-01', timestamp: new Date() },
      };
    },
  });
}

/** A model that streams `text` back in small chunks, 15 ms apart. */
export function streamingModel(text: string): MockLanguageModelV4 {
  const deltas = text.match(/.{1,6}/g) ?? [];
  const chunks: StreamPart[] = [
    { type: 'stream-start', warnings: [] },
    { type: 'response-metadata', id: 'resp-s', modelId: 'gpt-demo-2025-06-01', timestamp: new Date() },
    { type: 'text-start', id: 't1' },
    ...deltas.map((delta): StreamPart => ({ type: 'text-delta', id: 't1', delta })),
    { type: 'text-end', id: 't1' },
    { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage(18, deltas.length) },
  ];
  return new MockLanguageModelV4({
    provider: 'openai.chat',
    modelId: 'gpt-demo',
    doStream: async () => ({ stream: simulateReadableStream({ chunks, chunkDelayInMs: 15 }) }),
  });
}
