/**
 * Reads what pino publishes on `tracing:pino_asJson` (a plain traceSync around `asJson`):
 * `{ instance, arguments: [mergeObject, message, levelNumber, time] }`, and at `end` the finished
 * JSON line as `result`. Every read is defensive; nothing here throws.
 */

/** The fields of the payload this integration reads. */
export interface PinoPayload {
  instance?: unknown;
  arguments?: unknown;
  result?: unknown;
}

/** One log line, as the Sentry log it becomes. */
export interface PinoLine {
  levelName: string;
  levelNumber: number;
  message: string;
  /** The line's own fields (bindings of child loggers, the merge object, mixins), without pino's bookkeeping. */
  fields: Record<string, unknown>;
}

const BOOKKEEPING = new Set(['level', 'time', 'pid', 'hostname']);
const messageKeys = new WeakMap<object, string>();

/** pino's `messageKey` (default `msg`), read from its `Symbol(pino.messageKey)` (own or inherited by child loggers). */
function messageKeyOf(instance: object): string {
  const cached = messageKeys.get(instance);
  if (cached !== undefined) return cached;
  let key = 'msg';
  for (let o: object | null = instance; o !== null && key === 'msg'; o = Object.getPrototypeOf(o)) {
    const symbol = Object.getOwnPropertySymbols(o).find((s) => s.description === 'pino.messageKey');
    if (symbol !== undefined) {
      const value = (o as Record<symbol, unknown>)[symbol];
      if (typeof value === 'string') key = value;
      break;
    }
  }
  messageKeys.set(instance, key);
  return key;
}

function levelNameOf(instance: object, levelNumber: number): string | undefined {
  const labels = (instance as { levels?: { labels?: Record<number, unknown> } }).levels?.labels;
  const name = labels?.[levelNumber];
  return typeof name === 'string' ? name : undefined;
}

/** The log line of an `end` payload, or `undefined` when it is not one pino made. */
export function readPinoLine(data: PinoPayload): PinoLine | undefined {
  try {
    const { instance, result } = data;
    const args = data.arguments as ArrayLike<unknown> | undefined;
    if (typeof instance !== 'object' || instance === null || typeof result !== 'string' || !args) return undefined;
    const levelNumber = args[2];
    if (typeof levelNumber !== 'number') return undefined;
    const levelName = levelNameOf(instance, levelNumber);
    if (levelName === undefined) return undefined;
    const parsed = JSON.parse(result) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const messageKey = messageKeyOf(instance);
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (!BOOKKEEPING.has(key) && key !== messageKey) fields[key] = value;
    }
    const published = args[1];
    const fromLine = (parsed as Record<string, unknown>)[messageKey];
    const message = typeof published === 'string' ? published : typeof fromLine === 'string' ? fromLine : '';
    return { levelName, levelNumber, message, fields };
  } catch {
    return undefined;
  }
}
