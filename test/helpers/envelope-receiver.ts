import { createServer, type IncomingMessage } from 'node:http';
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';

/** One item of a Sentry envelope: its header and its parsed (JSON) or raw payload. */
export interface EnvelopeItem {
  header: Record<string, unknown> & { type?: string };
  payload: any;
}

/** A whole envelope as received. */
export interface Envelope {
  header: Record<string, unknown>;
  items: EnvelopeItem[];
}

export interface EnvelopeReceiver {
  /** A DSN pointing at this receiver (project id 1). */
  dsn: string;
  /** Every envelope received so far, in order. */
  envelopes: Envelope[];
  /** All items of a given type (`span`, `transaction`, `event`, ...) received so far. */
  items(type: string): EnvelopeItem[];
  /** Every span received, from span-streaming items and from transaction events, flattened. */
  spans(): any[];
  /** Resolves once `predicate` holds (checked after each envelope); rejects after `timeoutMs`. */
  waitFor<T>(predicate: () => T | undefined | false, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

function decode(req: IncomingMessage, body: Buffer): Buffer {
  const encoding = String(req.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  if (encoding === 'br') return brotliDecompressSync(body);
  return body;
}

/** Parses the Sentry envelope wire format (newline-separated headers, length-prefixed payloads). */
export function parseEnvelope(raw: Buffer): Envelope {
  let offset = 0;
  const readLine = (): string => {
    const nl = raw.indexOf(0x0a, offset);
    const end = nl === -1 ? raw.length : nl;
    const line = raw.subarray(offset, end).toString('utf8');
    offset = end + 1;
    return line;
  };
  const header = JSON.parse(readLine());
  const items: EnvelopeItem[] = [];
  while (offset < raw.length) {
    const line = readLine();
    if (line.trim() === '') continue;
    const itemHeader = JSON.parse(line);
    let payloadBuf: Buffer;
    if (typeof itemHeader.length === 'number') {
      payloadBuf = raw.subarray(offset, offset + itemHeader.length);
      offset += itemHeader.length + 1;
    } else {
      const nl = raw.indexOf(0x0a, offset);
      const end = nl === -1 ? raw.length : nl;
      payloadBuf = raw.subarray(offset, end);
      offset = end + 1;
    }
    let payload: unknown = payloadBuf;
    try {
      payload = JSON.parse(payloadBuf.toString('utf8'));
    } catch {
      // binary attachment: keep the buffer
    }
    items.push({ header: itemHeader, payload });
  }
  return { header, items };
}

/** Spans carried by one item: span-streaming containers (`span`) or transaction events. */
export function spansOfItem(item: EnvelopeItem): any[] {
  const p = item.payload;
  if (item.header.type === 'span') {
    if (p && Array.isArray(p.items)) return p.items;
    return [p];
  }
  if (item.header.type === 'transaction' && p) {
    const root = {
      span_id: p.contexts?.trace?.span_id,
      parent_span_id: p.contexts?.trace?.parent_span_id,
      trace_id: p.contexts?.trace?.trace_id,
      name: p.transaction,
      op: p.contexts?.trace?.op,
      status: p.contexts?.trace?.status,
      start_timestamp: p.start_timestamp,
      timestamp: p.timestamp,
      data: p.contexts?.trace?.data,
      is_segment: true,
    };
    return [root, ...(p.spans ?? [])];
  }
  return [];
}

/** Starts an HTTP server on a free loopback port that accepts Sentry envelopes. */
export async function startEnvelopeReceiver(): Promise<EnvelopeReceiver> {
  const envelopes: Envelope[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        envelopes.push(parseEnvelope(decode(req, Buffer.concat(chunks))));
      } catch {
        // not an envelope: ignore
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
      for (const w of [...waiters]) w();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: EnvelopeReceiver = {
    dsn: `http://public@127.0.0.1:${port}/1`,
    envelopes,
    items: (type) => envelopes.flatMap((e) => e.items.filter((i) => i.header.type === type)),
    spans: () => envelopes.flatMap((e) => e.items.flatMap(spansOfItem)),
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const value = predicate();
          if (value) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(value as any);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`envelope receiver: condition not met within ${timeoutMs} ms (${envelopes.length} envelopes received)`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
  return receiver;
}
