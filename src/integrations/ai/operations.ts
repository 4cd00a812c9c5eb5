/**
 * Which span each `ai:telemetry` message type becomes: its Sentry op, its OpenTelemetry GenAI
 * `gen_ai.operation.name`, and its span name.
 */
import { stringOf, type AiTelemetryEvent } from './payload';

/** How one message type is traced. `undefined` from {@link operationOf}: no span of its own. */
export interface AiOperation {
  /** Sentry span op, e.g. `gen_ai.chat`. */
  readonly op: string;
  /** `gen_ai.operation.name`, e.g. `chat`. */
  readonly operationName: string;
  /** What kind of call this is, for the attribute and end logic. */
  readonly kind: 'agent' | 'chat' | 'tool' | 'embeddings' | 'other';
}

const AGENT: AiOperation = { op: 'gen_ai.invoke_agent', operationName: 'invoke_agent', kind: 'agent' };
const CHAT: AiOperation = { op: 'gen_ai.chat', operationName: 'chat', kind: 'chat' };
const TOOL: AiOperation = { op: 'gen_ai.execute_tool', operationName: 'execute_tool', kind: 'tool' };
const EMBEDDINGS: AiOperation = { op: 'gen_ai.embeddings', operationName: 'embeddings', kind: 'embeddings' };

const OPERATIONS: Readonly<Record<string, AiOperation | undefined>> = {
  generateText: AGENT,
  streamText: AGENT,
  languageModelCall: CHAT,
  executeTool: TOOL,
  embed: EMBEDDINGS,
  embedMany: EMBEDDINGS,
  rerank: { op: 'gen_ai.rerank', operationName: 'rerank', kind: 'other' },
  generateSpeech: { op: 'gen_ai.generate_speech', operationName: 'generate_speech', kind: 'other' },
  transcribe: { op: 'gen_ai.transcribe', operationName: 'transcribe', kind: 'other' },
  streamTranscribe: { op: 'gen_ai.transcribe', operationName: 'transcribe', kind: 'other' },
  experimental_decide: { op: 'gen_ai.decide', operationName: 'decide', kind: 'other' },
};

/**
 * The operation for a message type. `step` (and any type this version does not know) has none:
 * a step is part of its generate/stream call and reuses that call's span.
 */
export function operationOf(type: unknown): AiOperation | undefined {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(OPERATIONS, type) ? OPERATIONS[type] : undefined;
}

/**
 * The span name, following the GenAI semantic conventions: `{operation} {model}`, tools as
 * `execute_tool {tool name}`, agents as `invoke_agent` plus the `functionId` when one is set.
 */
export function spanNameOf(operation: AiOperation, event: AiTelemetryEvent | undefined): string {
  if (operation.kind === 'agent') {
    const agentName = stringOf(event?.functionId);
    return agentName ? `invoke_agent ${agentName}` : 'invoke_agent';
  }
  if (operation.kind === 'tool') {
    const toolName = stringOf(event?.toolCall?.toolName);
    return toolName ? `execute_tool ${toolName}` : 'execute_tool';
  }
  const model = stringOf(event?.modelId);
  return model ? `${operation.operationName} ${model}` : operation.operationName;
}
