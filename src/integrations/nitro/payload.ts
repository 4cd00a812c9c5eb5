/**
 * The payloads srvx 1 and h3 2 publish on their tracing channels, typed structurally so that
 * nothing here imports the libraries (they are optional peers). Only the fields we read.
 */

/** A fetch `Request` as srvx hands it over; srvx's own request class adds a parsed `_url`. */
export interface IncomingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly _url?: { readonly pathname?: string; readonly protocol?: string; readonly hostname?: string; readonly port?: string };
}

/** `srvx.request` and `srvx.middleware` payload: `{ request, server, middleware? }`. */
export interface SrvxPayload {
  request: IncomingRequest;
  server?: { readonly url?: string; readonly options?: { readonly port?: number | string } };
  /** Only on `srvx.middleware`: which middleware of `serve({ middleware })` runs. */
  middleware?: { readonly index: number; readonly handler?: { readonly name?: string } };
  /** At `asyncEnd`: the `Response` the handler produced. */
  result?: unknown;
  error?: unknown;
}

/** `h3.request` payload: `{ event, type }`. */
export interface H3Payload {
  event: {
    readonly req: IncomingRequest;
    readonly url?: { readonly pathname?: string };
    readonly context?: {
      readonly matchedRoute?: { readonly route?: string };
    };
  };
  type: 'middleware' | 'route';
  result?: unknown;
  error?: unknown;
}
