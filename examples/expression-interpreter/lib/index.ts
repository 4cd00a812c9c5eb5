/**
 * exprlang: a tiny arithmetic expression language. It publishes TracingChannels through
 * `tracing-channel-span/publish` and imports no observability SDK: whoever wants spans binds the
 * channels listed in `channels.ts`.
 */
export { createInterpreter, type Interpreter, type InterpreterOptions } from './interpreter';
export { CHANNELS } from './channels';
export type { CallPayload, EvaluatePayload, ParsePayload, RunPayload, TokenizePayload } from './channels';
export { ExprError, type Node, type Token, type Value } from './ast';
export type { HostFunction } from './evaluator';
