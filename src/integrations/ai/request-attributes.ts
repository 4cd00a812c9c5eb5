/**
 * Attributes known when an AI SDK call starts: what is asked of which model (and, when recording
 * is on, the prompt). Names follow the OpenTelemetry GenAI semantic conventions.
 */
import type { SpanAttributes } from '@sentry/core';
import { toAttributeJson } from './attribute-values';
import { inputMessagesOf, systemInstructionsOf } from './message-format';
import type { AiOperation } from './operations';
import { providerNameOf } from './provider-name';
import { numberOf, stringOf, type AiTelemetryEvent, type AiTelemetryMessage } from './payload';

/** Which recordings are on (both default to off). */
export interface AiRecordingOptions {
  readonly recordInputs: boolean;
  readonly recordOutputs: boolean;
}

function stringArrayOf(value: unknown): string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}

function setRequestParameters(attributes: SpanAttributes, event: AiTelemetryEvent): void {
  attributes['gen_ai.request.max_tokens'] = numberOf(event.maxOutputTokens);
  attributes['gen_ai.request.temperature'] = numberOf(event.temperature);
  attributes['gen_ai.request.top_p'] = numberOf(event.topP);
  attributes['gen_ai.request.top_k'] = numberOf(event.topK);
  attributes['gen_ai.request.presence_penalty'] = numberOf(event.presencePenalty);
  attributes['gen_ai.request.frequency_penalty'] = numberOf(event.frequencyPenalty);
  attributes['gen_ai.request.seed'] = numberOf(event.seed);
  attributes['gen_ai.request.stop_sequences'] = stringArrayOf(event.stopSequences);
}

function setRecordedInputs(attributes: SpanAttributes, operation: AiOperation, event: AiTelemetryEvent): void {
  switch (operation.kind) {
    case 'agent':
    case 'chat': {
      const messages = inputMessagesOf(event.messages);
      if (messages && messages.length > 0) attributes['gen_ai.input.messages'] = toAttributeJson(messages);
      const instructions = systemInstructionsOf(event.instructions);
      if (instructions) attributes['gen_ai.system_instructions'] = toAttributeJson(instructions);
      // The model call carries the tool definitions as sent to the provider (name, description, schema).
      if (operation.kind === 'chat' && Array.isArray(event.tools) && event.tools.length > 0) {
        attributes['gen_ai.tool.definitions'] = toAttributeJson(event.tools);
      }
      return;
    }
    case 'tool':
      if (event.toolCall && 'input' in event.toolCall) {
        attributes['gen_ai.tool.call.arguments'] = toAttributeJson(event.toolCall.input);
      }
      return;
    case 'embeddings':
      if (event.value !== undefined) attributes['gen_ai.embeddings.input'] = toAttributeJson(event.value);
      return;
    default:
      return;
  }
}

/** The start attributes of the span for `data` (never throws on odd payloads: fields are type-checked). */
export function requestAttributesOf(
  operation: AiOperation,
  data: AiTelemetryMessage,
  event: AiTelemetryEvent | undefined,
  recording: AiRecordingOptions,
): SpanAttributes {
  const attributes: SpanAttributes = { 'gen_ai.operation.name': operation.operationName };
  if (!event) return attributes;
  const provider = stringOf(event.provider);
  if (provider) attributes['gen_ai.provider.name'] = providerNameOf(provider);
  attributes['gen_ai.request.model'] = stringOf(event.modelId);
  attributes['ai.operationId'] = stringOf(event.operationId);

  if (operation.kind === 'agent') {
    attributes['gen_ai.agent.name'] = stringOf(event.functionId);
    if (data.type === 'streamText') attributes['gen_ai.response.streaming'] = true;
  }
  if (operation.kind === 'agent' || operation.kind === 'chat') setRequestParameters(attributes, event);
  if (operation.kind === 'tool') {
    attributes['gen_ai.tool.name'] = stringOf(event.toolCall?.toolName);
    attributes['gen_ai.tool.call.id'] = stringOf(event.toolCall?.toolCallId);
    attributes['gen_ai.tool.type'] = 'function';
  }
  if (recording.recordInputs) setRecordedInputs(attributes, operation, event);
  return attributes;
}
