/**
 * Converts AI SDK messages and content into the JSON shapes of the OpenTelemetry GenAI semantic
 * conventions (`gen_ai.input.messages`, `gen_ai.output.messages`, `gen_ai.system_instructions`):
 * `{ role, parts: [{ type: 'text', content }, { type: 'tool_call', id, name, arguments }, ...] }`.
 * Binary data (images, files) is never copied: only its media type is kept.
 */
import { recordOf, stringOf } from './payload';

/** One message part in the semantic-convention shape. */
export type GenAiPart = Record<string, unknown> & { type: string };

/** One message in the semantic-convention shape. */
export interface GenAiMessage {
  role: string;
  parts: GenAiPart[];
  finish_reason?: string;
}

function parseJsonOr(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function partOf(raw: unknown): GenAiPart | undefined {
  if (typeof raw === 'string') return { type: 'text', content: raw };
  const part = recordOf(raw);
  const type = stringOf(part?.type);
  if (!part || !type) return undefined;
  switch (type) {
    case 'text':
      return { type: 'text', content: part.text };
    case 'reasoning':
      return { type: 'reasoning', content: part.text };
    case 'tool-call':
      return { type: 'tool_call', id: part.toolCallId, name: part.toolName, arguments: parseJsonOr(part.input) };
    case 'tool-result': {
      const output = recordOf(part.output);
      const response = output && 'value' in output ? output.value : part.output;
      return { type: 'tool_call_response', id: part.toolCallId, response };
    }
    case 'tool-error':
      return { type: 'tool_call_response', id: part.toolCallId, response: String(part.error) };
    case 'image':
    case 'file':
    case 'reasoning-file': {
      const mimeType = stringOf(part.mediaType) ?? stringOf(part.mimeType);
      return mimeType ? { type: 'blob', mime_type: mimeType } : { type: 'blob' };
    }
    default:
      return { type };
  }
}

function partsOf(content: unknown): GenAiPart[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  if (!Array.isArray(content)) return [];
  const parts: GenAiPart[] = [];
  for (const raw of content) {
    const part = partOf(raw);
    if (part) parts.push(part);
  }
  return parts;
}

/** AI SDK `ModelMessage[]` → `gen_ai.input.messages`. */
export function inputMessagesOf(messages: unknown): GenAiMessage[] | undefined {
  if (!Array.isArray(messages)) return undefined;
  const result: GenAiMessage[] = [];
  for (const raw of messages) {
    const message = recordOf(raw);
    const role = stringOf(message?.role);
    if (message && role) result.push({ role, parts: partsOf(message.content) });
  }
  return result;
}

/** AI SDK `instructions` (a string, a system message, or several) → `gen_ai.system_instructions`. */
export function systemInstructionsOf(instructions: unknown): GenAiPart[] | undefined {
  if (typeof instructions === 'string') return instructions === '' ? undefined : [{ type: 'text', content: instructions }];
  const list = Array.isArray(instructions) ? instructions : [instructions];
  const parts: GenAiPart[] = [];
  for (const raw of list) parts.push(...partsOf(recordOf(raw)?.content));
  return parts.length > 0 ? parts : undefined;
}

/** Generated content (one model call or one step) → `gen_ai.output.messages` (one assistant message). */
export function outputMessagesOf(content: unknown, finishReason: string | undefined): GenAiMessage[] | undefined {
  if (!Array.isArray(content)) return undefined;
  const message: GenAiMessage = { role: 'assistant', parts: partsOf(content) };
  if (finishReason) message.finish_reason = finishReason;
  return [message];
}
