/**
 * Reads what fastify 5 publishes on `tracing:fastify.request.handler`: `{ request, reply, async,
 * route: { url, method } }`, plus `error` for a throwing or rejecting handler. `result` is never
 * set. Every read is defensive; nothing here throws.
 */
import type { EventEmitter } from 'node:events';

/** The fields of the payload this integration reads. */
export interface FastifyPayload {
  request?: unknown;
  reply?: unknown;
  route?: unknown;
  error?: unknown;
}

/** What one handler call needs from its payload. */
export interface FastifyRequestInfo {
  method: string;
  /** The route pattern (`/users/:id`); the path when fastify published none. */
  route: string;
  path: string;
  headers: Record<string, unknown>;
  /** The raw `ServerResponse`, whose `finish` / `close` ends the spans. */
  response: (EventEmitter & { statusCode?: unknown; writableFinished?: unknown; destroyed?: unknown }) | undefined;
  /** A fastify request decorated with `opentelemetry()` is traced by Sentry's `Fastify` integration or `@fastify/otel`. */
  tracedElsewhere: boolean;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isEmitter(value: unknown): value is EventEmitter {
  return typeof value === 'object' && value !== null && typeof (value as EventEmitter).once === 'function';
}

/** The request of a payload, or `undefined` when it is not one fastify made. */
export function readRequestInfo(data: FastifyPayload): FastifyRequestInfo | undefined {
  try {
    const request = data.request as Record<string, unknown> | undefined;
    if (typeof request !== 'object' || request === null) return undefined;
    const method = (str(request.method) ?? 'GET').toUpperCase();
    const url = str(request.url) ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const route = str((data.route as { url?: unknown } | undefined)?.url) ?? path;
    const headers = (typeof request.headers === 'object' && request.headers !== null ? request.headers : {}) as Record<string, unknown>;
    const raw = (data.reply as { raw?: unknown } | undefined)?.raw;
    return {
      method,
      route,
      path,
      headers,
      response: isEmitter(raw) ? (raw as FastifyRequestInfo['response']) : undefined,
      tracedElsewhere: typeof request.opentelemetry === 'function',
    };
  } catch {
    return undefined;
  }
}

/** The status code the reply has (or will send): fastify sets it before publishing `error`. */
export function readStatusCode(data: FastifyPayload): number | undefined {
  try {
    const reply = data.reply as { statusCode?: unknown; raw?: { statusCode?: unknown } } | undefined;
    const code = reply?.statusCode ?? reply?.raw?.statusCode;
    return typeof code === 'number' && Number.isInteger(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/** The first value of a request header, as a string. */
export function readHeader(headers: Record<string, unknown>, name: string): string | undefined {
  const value = headers[name];
  if (Array.isArray(value)) return str(value[0]);
  return str(value);
}
