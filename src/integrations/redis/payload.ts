/**
 * Reads the payloads node-redis and ioredis publish. Both are read defensively: every field is
 * optional and of unknown type, because publishers evolve and nothing here may throw.
 *
 * node-redis 6 `node-redis:command`: { command: 'GET', args: ['GET', 'key'], database, clientId,
 *   serverAddress, serverPort, batchMode?, batchSize? } (args sanitized by the client, command first).
 * ioredis 6 `ioredis:command`: { command: 'get', args: ['key'], database, serverAddress, serverPort }
 *   (args sanitized by the client, without the command).
 * Batches (`node-redis:batch` MULTI/PIPELINE, `ioredis:batch` MULTI): { batchMode, batchSize,
 *   database, serverAddress, serverPort }. Connects: { serverAddress, serverPort, ... }.
 */
import type { RedisClientName } from './options';

/** The fields of a command, batch or connect payload this integration reads. */
export interface RedisPayload {
  command?: unknown;
  args?: unknown;
  database?: unknown;
  serverAddress?: unknown;
  serverPort?: unknown;
  batchMode?: unknown;
  batchSize?: unknown;
  result?: unknown;
  error?: unknown;
}

/** `db.query.text` longer than this is cut (with a trailing `…`): a `DEL` of 10,000 keys stays readable. */
export const MAX_QUERY_TEXT_LENGTH = 2048;

/** The command name, upper-cased (`GET`), or `undefined` when the payload has none. */
export function readCommandName(data: RedisPayload): string | undefined {
  const command = data.command;
  return typeof command === 'string' && command.length > 0 ? command.toUpperCase() : undefined;
}

/**
 * The command line as the client sanitized it: the upper-cased command, then the client's `args`
 * (values the client redacted stay `?`). Nothing the client did not publish is added.
 */
export function readQueryText(client: RedisClientName, commandName: string, data: RedisPayload): string {
  const args = data.args;
  if (!Array.isArray(args)) return commandName;
  let text = commandName;
  // node-redis publishes the command as args[0]; ioredis publishes only the arguments.
  for (let i = client === 'redis' ? 1 : 0; i < args.length; i++) {
    text += ' ' + argumentText(args[i]);
    if (text.length > MAX_QUERY_TEXT_LENGTH) return text.slice(0, MAX_QUERY_TEXT_LENGTH - 1) + '…';
  }
  return text;
}

/** One published argument as text; one that cannot be turned into a string shows as `?`. */
function argumentText(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  try {
    return String(arg);
  } catch {
    return '?';
  }
}

/** The database index as a string (`'0'`), as `db.namespace` wants it. */
export function readNamespace(data: RedisPayload): string | undefined {
  const db = data.database;
  if (typeof db === 'number' && Number.isInteger(db) && db >= 0) return String(db);
  if (typeof db === 'string' && /^\d+$/.test(db)) return db;
  return undefined;
}

export { readServerAddress, readServerPort } from '../db-attributes';

/** `'PIPELINE'` for a node-redis pipeline, otherwise `'MULTI'` (ioredis publishes MULTI only). */
export function readBatchMode(data: RedisPayload): 'MULTI' | 'PIPELINE' {
  return data.batchMode === 'PIPELINE' ? 'PIPELINE' : 'MULTI';
}

/** The number of user commands in a batch (MULTI/EXEC excluded), or `undefined`. */
export function readBatchSize(data: RedisPayload): number | undefined {
  const size = data.batchSize;
  return typeof size === 'number' && Number.isInteger(size) && size >= 0 ? size : undefined;
}

/**
 * The first error reply inside a batch result: node-redis MULTI resolves with the raw replies
 * (error replies are `Error` objects among them), ioredis MULTI with `[error, value]` pairs.
 */
export function findBatchReplyError(result: unknown): Error | undefined {
  if (!Array.isArray(result)) return undefined;
  for (const reply of result) {
    if (reply instanceof Error) return reply;
    if (Array.isArray(reply) && reply[0] instanceof Error) return reply[0];
  }
  return undefined;
}

/** The Redis simple error prefix of an error reply (`WRONGTYPE`, `ERR`, `NOSCRIPT`), if it has one. */
export function readErrorPrefix(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const message = (error as { message?: unknown }).message;
  if (typeof message !== 'string') return undefined;
  const match = /^([A-Z][A-Z0-9_]{2,})(?:\s|$)/.exec(message);
  return match ? match[1] : undefined;
}
