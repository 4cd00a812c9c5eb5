/**
 * Attributes known when an AI SDK call ends: token usage, finish reasons, the model that answered
 * (and, when recording is on, the output). Read from the `result` the AI SDK publishes.
 */
import type { SpanAttributes } from '@sentry/core';
import { toAttributeJson } from './attribute-values';
import { outputMessagesOf } from './message-format';
import type { AiOperation } from './operations';
import type { AiRecordingOptions } from './request-attributes';
import { numberOf, recordOf, stringOf } from './payload';

function setResponseMetadata(attributes: SpanAttributes, response: unknown): void {
  const metadata = recordOf(response);
  if (!metadata) return;
  attributes['gen_ai.response.id'] = stringOf(metadata.id);
  attributes['gen_ai.response.model'] = stringOf(metadata.modelId);
}

function setUsage(
  attributes: SpanAttributes,
  input: number | undefined,
  output: number | undefined,
  total: number | undefined,
): void {
  attributes['gen_ai.usage.input_tokens'] = input;
  attributes['gen_ai.usage.output_tokens'] = output;
  attributes['gen_ai.usage.total_tokens'] =
    total ?? (input !== undefined && output !== undefined ? input + output : undefined);
}

/** The AI SDK's `LanguageModelUsage` (`{ inputTokens, outputTokens, totalTokens, ...Details }`). */
function setLanguageModelUsage(attributes: SpanAttributes, value: unknown): void {
  const usage = recordOf(value);
  if (!usage) return;
  setUsage(attributes, numberOf(usage.inputTokens), numberOf(usage.outputTokens), numberOf(usage.totalTokens));
  const inputDetails = recordOf(usage.inputTokenDetails);
  attributes['gen_ai.usage.cache_read.input_tokens'] = numberOf(inputDetails?.cacheReadTokens);
  attributes['gen_ai.usage.cache_creation.input_tokens'] = numberOf(inputDetails?.cacheWriteTokens);
  attributes['gen_ai.usage.reasoning.output_tokens'] = numberOf(recordOf(usage.outputTokenDetails)?.reasoningTokens);
}

/** A provider finish reason (`{ unified, raw }` from a model call, a string from a step). */
function finishReasonOf(value: unknown): string | undefined {
  return stringOf(value) ?? stringOf(recordOf(value)?.unified);
}

/** A model call's result: `LanguageModelV4GenerateResult`, or `{ stream }` when streamed. */
function chatAttributesOf(result: Record<string, unknown>, recording: AiRecordingOptions): SpanAttributes {
  const attributes: SpanAttributes = {};
  if ('stream' in result) attributes['gen_ai.response.streaming'] = true;
  const finishReason = finishReasonOf(result.finishReason);
  if (finishReason) attributes['gen_ai.response.finish_reasons'] = [finishReason];
  const usage = recordOf(result.usage);
  if (usage) {
    const input = recordOf(usage.inputTokens);
    const output = recordOf(usage.outputTokens);
    setUsage(attributes, numberOf(input?.total), numberOf(output?.total), undefined);
    attributes['gen_ai.usage.cache_read.input_tokens'] = numberOf(input?.cacheRead);
    attributes['gen_ai.usage.cache_creation.input_tokens'] = numberOf(input?.cacheWrite);
    attributes['gen_ai.usage.reasoning.output_tokens'] = numberOf(output?.reasoning);
  }
  setResponseMetadata(attributes, result.response);
  if (recording.recordOutputs) {
    const messages = outputMessagesOf(result.content, finishReason);
    if (messages) attributes['gen_ai.output.messages'] = toAttributeJson(messages);
  }
  return attributes;
}

/** One step's result (`StepResult` of `generateText`): what it adds to its call's span. */
export function stepAttributesOf(result: unknown, finishReasons: readonly string[]): SpanAttributes {
  const step = recordOf(result);
  const attributes: SpanAttributes = {};
  if (!step) return attributes;
  if (finishReasons.length > 0) attributes['gen_ai.response.finish_reasons'] = [...finishReasons];
  setResponseMetadata(attributes, step.response);
  return attributes;
}

/** The finish reason of one step's result, if it has one. */
export function stepFinishReasonOf(result: unknown): string | undefined {
  return finishReasonOf(recordOf(result)?.finishReason);
}

/** A `generateText` result: total usage over all steps, the finish reason of each step, the last answer. */
function agentAttributesOf(result: Record<string, unknown>, recording: AiRecordingOptions): SpanAttributes {
  const attributes: SpanAttributes = {};
  setLanguageModelUsage(attributes, result.totalUsage);
  const steps = Array.isArray(result.steps) ? result.steps : [];
  const reasons = steps.map(stepFinishReasonOf).filter((r): r is string => r !== undefined);
  const last = recordOf(steps[steps.length - 1]);
  Object.assign(attributes, stepAttributesOf(last, reasons));
  if (recording.recordOutputs && last) {
    const messages = outputMessagesOf(last.content, stepFinishReasonOf(last));
    if (messages) attributes['gen_ai.output.messages'] = toAttributeJson(messages);
  }
  return attributes;
}

/** An `executeTool` result: `{ output: { type: 'tool-result' | 'tool-error', output | error } }`. */
function toolAttributesOf(result: Record<string, unknown>, recording: AiRecordingOptions): SpanAttributes {
  const output = recordOf(result.output);
  if (!recording.recordOutputs || output?.type !== 'tool-result' || !('output' in output)) return {};
  return { 'gen_ai.tool.call.result': toAttributeJson(output.output) };
}

/** An `embed` / `embedMany` result: token usage and the vector size (never the vectors). */
function embeddingsAttributesOf(result: Record<string, unknown>): SpanAttributes {
  const attributes: SpanAttributes = {};
  attributes['gen_ai.usage.input_tokens'] = numberOf(recordOf(result.usage)?.tokens);
  const vector = Array.isArray(result.embedding)
    ? result.embedding
    : Array.isArray(result.embeddings)
      ? result.embeddings[0]
      : undefined;
  if (Array.isArray(vector)) attributes['gen_ai.embeddings.dimension.count'] = vector.length;
  return attributes;
}

/** The end attributes for a call of `operation` that produced `result` (`{}` when nothing is known). */
export function responseAttributesOf(
  operation: AiOperation,
  result: unknown,
  recording: AiRecordingOptions,
): SpanAttributes {
  const record = recordOf(result);
  if (!record) return {};
  switch (operation.kind) {
    case 'chat':
      return chatAttributesOf(record, recording);
    case 'agent':
      return agentAttributesOf(record, recording);
    case 'tool':
      return toolAttributesOf(record, recording);
    case 'embeddings':
      return embeddingsAttributesOf(record);
    default:
      return {};
  }
}

/** The error a tool execution reported in its result (`tool-error`), if it did. */
export function toolErrorOf(result: unknown): { error: unknown } | undefined {
  const output = recordOf(recordOf(result)?.output);
  return output?.type === 'tool-error' ? { error: output.error } : undefined;
}

/**
 * What the AI SDK reports when a streamed model call has finished (its `onLanguageModelCallEnd`
 * telemetry event: `{ finishReason, usage, responseId, modelId, content }`), for that call's span.
 */
export function streamedModelCallAttributesOf(event: unknown, recording: AiRecordingOptions): SpanAttributes {
  const end = recordOf(event);
  const attributes: SpanAttributes = {};
  if (!end) return attributes;
  const finishReason = finishReasonOf(end.finishReason);
  if (finishReason) attributes['gen_ai.response.finish_reasons'] = [finishReason];
  setLanguageModelUsage(attributes, end.usage);
  attributes['gen_ai.response.id'] = stringOf(end.responseId);
  attributes['gen_ai.response.model'] = stringOf(end.modelId);
  if (recording.recordOutputs) {
    const messages = outputMessagesOf(end.content, finishReason);
    if (messages) attributes['gen_ai.output.messages'] = toAttributeJson(messages);
  }
  return attributes;
}

/** Totals of a streamed call, from what its model calls reported. */
export function streamedCallAttributesOf(call: {
  readonly finishReasons: readonly string[];
  readonly inputTokens: number | undefined;
  readonly outputTokens: number | undefined;
  readonly responseModel: string | undefined;
  readonly responseId: string | undefined;
}): SpanAttributes {
  const attributes: SpanAttributes = {};
  if (call.finishReasons.length > 0) attributes['gen_ai.response.finish_reasons'] = [...call.finishReasons];
  setUsage(attributes, call.inputTokens, call.outputTokens, undefined);
  attributes['gen_ai.response.model'] = call.responseModel;
  attributes['gen_ai.response.id'] = call.responseId;
  return attributes;
}
