/** The entry point of exprlang: an interpreter with the built-ins plus the host's own functions. */
// In a real library: import { traceCallback, tracePromise } from 'tracing-channel-span/publish';
import { traceCallback, tracePromise } from '../../../src/publish';
import type { Value } from './ast';
import { BUILTINS } from './builtins';
import { CHANNELS, type RunPayload } from './channels';
import { evaluate, type Environment, type FunctionEntry, type HostFunction } from './evaluator';
import { parse } from './parser';

/** Options of {@link createInterpreter}. */
export interface InterpreterOptions {
  /** Host functions callable from expressions; they may be async. They shadow built-ins of the same name. */
  functions?: Record<string, HostFunction>;
  /** Named values usable in expressions. */
  variables?: Record<string, Value>;
}

/** Runs exprlang programs. */
export interface Interpreter {
  /** Parses and evaluates `source`. */
  run(source: string): Promise<Value>;
  /** The same, Node callback style. */
  runWithCallback(source: string, callback: (error: unknown, value?: Value) => void): void;
}

/** Creates an interpreter. Every run publishes `exprlang.run`, `exprlang.parse`, … (see `channels.ts`). */
export function createInterpreter(options: InterpreterOptions = {}): Interpreter {
  const functions = new Map<string, FunctionEntry>();
  for (const [name, fn] of Object.entries(BUILTINS)) functions.set(name, { fn, builtin: true });
  for (const [name, fn] of Object.entries(options.functions ?? {})) functions.set(name, { fn, builtin: false });
  const env: Environment = { functions, variables: { ...options.variables } };

  const runProgram = async (source: string): Promise<Value> => evaluate(parse(source), env);

  const runProgramWithCallback = (source: string, callback: (error: unknown, value?: Value) => void): void => {
    // Call back outside the promise chain, so that a throwing callback is not turned into a rejection.
    runProgram(source).then(
      (value) => setImmediate(callback, null, value),
      (error: unknown) => setImmediate(callback, error),
    );
  };

  return {
    run(source) {
      const payload: RunPayload = { source, api: 'promise' };
      return tracePromise(CHANNELS.run, runProgram, payload, undefined, source);
    },
    runWithCallback(source, callback) {
      const payload: RunPayload = { source, api: 'callback' };
      traceCallback(CHANNELS.run, runProgramWithCallback, -1, payload, undefined, source, callback);
    },
  };
}
