/**
 * Syntax tree → value, asynchronously (host functions may await I/O or timers). Published as
 * `exprlang.evaluate` for the whole tree and `exprlang.call` for every function call.
 */
// In a real library: import { tracePromise } from 'tracing-channel-span/publish';
import { tracePromise } from '../../../src/publish';
import { countNodes, ExprError, type Node, type Value } from './ast';
import { CHANNELS, type CallPayload, type EvaluatePayload } from './channels';

/** A function callable from expressions. May return a promise. */
export type HostFunction = (...args: Value[]) => Value | PromiseLike<Value>;

/** A function known to the evaluator, and whether exprlang ships it. */
export interface FunctionEntry {
  fn: HostFunction;
  builtin: boolean;
}

/** What names mean while evaluating. */
export interface Environment {
  functions: ReadonlyMap<string, FunctionEntry>;
  variables: Readonly<Record<string, Value>>;
}

function asNumber(value: Value, what: string): number {
  if (typeof value !== 'number') throw new ExprError(`${what} must be a number, got "${value}"`);
  return value;
}

function checkValue(name: string, value: unknown): Value {
  if (typeof value === 'number' || typeof value === 'string') return value;
  throw new ExprError(`function ${name} returned ${typeof value}, not a number or string`);
}

function applyBinary(operator: string, left: Value, right: Value): Value {
  if (operator === '+' && (typeof left === 'string' || typeof right === 'string')) return `${left}${right}`;
  const a = asNumber(left, `left side of ${operator}`);
  const b = asNumber(right, `right side of ${operator}`);
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new ExprError('division by zero');
      return a / b;
    default:
      return a ** b;
  }
}

async function evaluateNode(node: Node, env: Environment, depth: number): Promise<Value> {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'variable':
      if (!Object.prototype.hasOwnProperty.call(env.variables, node.name)) throw new ExprError(`unknown variable ${node.name}`);
      return env.variables[node.name];
    case 'unary':
      return -asNumber(await evaluateNode(node.operand, env, depth), 'operand of unary -');
    case 'binary': {
      const left = await evaluateNode(node.left, env, depth);
      const right = await evaluateNode(node.right, env, depth);
      return applyBinary(node.operator, left, right);
    }
    case 'call':
      return callFunction(node, env, depth + 1);
  }
}

/** The traced part of a call: its arguments, left to right, then the function itself. */
async function invoke(entry: FunctionEntry, node: Extract<Node, { type: 'call' }>, env: Environment, depth: number): Promise<Value> {
  const args: Value[] = [];
  for (const arg of node.args) args.push(await evaluateNode(arg, env, depth));
  return checkValue(node.name, await entry.fn(...args));
}

function callFunction(node: Extract<Node, { type: 'call' }>, env: Environment, depth: number): Promise<Value> {
  const entry = env.functions.get(node.name);
  if (!entry) return Promise.reject(new ExprError(`unknown function ${node.name}`));
  const payload: CallPayload = { function: node.name, argumentCount: node.args.length, depth, builtin: entry.builtin };
  return tracePromise(CHANNELS.call, invoke, payload, undefined, entry, node, env, depth);
}

/** Evaluates a syntax tree in `env`; rejects with an {@link ExprError} or whatever a host function threw. */
export function evaluate(tree: Node, env: Environment): Promise<Value> {
  const payload: EvaluatePayload = { rootKind: tree.type, nodeCount: countNodes(tree) };
  return tracePromise(CHANNELS.evaluate, evaluateNode, payload, undefined, tree, env, 0);
}
