/** The functions every exprlang program can call. */
import { ExprError, type Value } from './ast';
import type { HostFunction } from './evaluator';

function numbers(name: string, args: Value[]): number[] {
  if (args.length === 0) throw new ExprError(`${name} needs at least one argument`);
  return args.map((arg) => {
    if (typeof arg !== 'number') throw new ExprError(`${name} takes numbers, got "${arg}"`);
    return arg;
  });
}

/** exprlang's built-in functions, by name. */
export const BUILTINS: Readonly<Record<string, HostFunction>> = {
  sum: (...args) => numbers('sum', args).reduce((a, b) => a + b, 0),
  avg: (...args) => numbers('avg', args).reduce((a, b) => a + b, 0) / args.length,
  max: (...args) => Math.max(...numbers('max', args)),
  min: (...args) => Math.min(...numbers('min', args)),
  abs: (x) => Math.abs(numbers('abs', [x])[0]),
  sqrt: (x) => Math.sqrt(numbers('sqrt', [x])[0]),
  round: (x) => Math.round(numbers('round', [x])[0]),
  square: (x) => numbers('square', [x])[0] ** 2,
  /** `wait(ms, value)`: `value`, after `ms` milliseconds. */
  wait: (ms, value) =>
    new Promise<Value>((resolve) => setTimeout(() => resolve(value), numbers('wait', [ms])[0])),
};
