/**
 * What the database integrations (redis, mysql2) share: reading the server a driver published
 * and the connection attributes every one of their spans starts with (OpenTelemetry database
 * semantic conventions).
 */
import type { SpanAttributes } from '@sentry/core';

/** The server fields both drivers publish on every payload. */
export interface ServerFields {
  serverAddress?: unknown;
  serverPort?: unknown;
}

/** `server.address`: a host name, an IP, or a Unix socket path. */
export function readServerAddress(data: ServerFields): string | undefined {
  const address = data.serverAddress;
  return typeof address === 'string' && address !== '' ? address : undefined;
}

/** `server.port`, absent for Unix sockets. */
export function readServerPort(data: ServerFields): number | undefined {
  const port = data.serverPort;
  if (typeof port === 'number' && Number.isInteger(port) && port > 0) return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  return undefined;
}

/** `sentry.origin`, `db.system.name`, and `db.namespace`, `server.address`, `server.port` where known. */
export function connectionAttributes(origin: string, system: string, namespace: string | undefined, data: ServerFields): SpanAttributes {
  const attributes: SpanAttributes = { 'sentry.origin': origin, 'db.system.name': system };
  if (namespace !== undefined) attributes['db.namespace'] = namespace;
  const address = readServerAddress(data);
  if (address !== undefined) attributes['server.address'] = address;
  const port = readServerPort(data);
  if (port !== undefined) attributes['server.port'] = port;
  return attributes;
}
