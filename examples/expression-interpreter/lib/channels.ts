/**
 * The tracing channels exprlang publishes, and what each payload carries. This is the library's
 * whole observability surface: anyone can subscribe (an APM, a debugger, a test); exprlang itself
 * knows nothing about who listens.
 *
 * Channel `exprlang.x` means the five channels `tracing:exprlang.x:start|end|asyncStart|asyncEnd|error`.
 */
import type { Node, Token, Value } from './ast';

/** Channel names, one per traced operation. */
export const CHANNELS = {
  /** `interpreter.run(source)` / `interpreter.runWithCallback(source, cb)`: one whole program. */
  run: 'exprlang.run',
  /** Turning source text into tokens (synchronous). */
  tokenize: 'exprlang.tokenize',
  /** Turning tokens into a syntax tree (synchronous). */
  parse: 'exprlang.parse',
  /** Evaluating a syntax tree (asynchronous). */
  evaluate: 'exprlang.evaluate',
  /** One function call inside an expression: evaluating its arguments, then the function (asynchronous). */
  call: 'exprlang.call',
} as const;

/** `exprlang.run`: `result` is the program's value (promise or callback), `error` its failure. */
export interface RunPayload {
  source: string;
  /** `'promise'` for `run`, `'callback'` for `runWithCallback`. */
  api: 'promise' | 'callback';
  result?: Value;
  error?: unknown;
}

/** `exprlang.tokenize`: `result` is the token list. */
export interface TokenizePayload {
  source: string;
  result?: Token[];
  error?: unknown;
}

/** `exprlang.parse`: `result` is the syntax tree. */
export interface ParsePayload {
  source: string;
  result?: Node;
  error?: unknown;
}

/** `exprlang.evaluate`: `result` is the value of the tree. */
export interface EvaluatePayload {
  /** The kind of the root node (`'call'`, `'binary'`, …). */
  rootKind: Node['type'];
  /** Number of nodes in the tree. */
  nodeCount: number;
  result?: Value;
  error?: unknown;
}

/** `exprlang.call`: one function call; its span covers evaluating the arguments and the call itself. */
export interface CallPayload {
  /** The function's name as written in the expression. */
  function: string;
  /** Number of arguments written. */
  argumentCount: number;
  /** Nesting of calls: 1 for a call at the top of the expression. */
  depth: number;
  /** `true` for exprlang's own functions, `false` for host functions given to `createInterpreter`. */
  builtin: boolean;
  result?: Value;
  error?: unknown;
}
