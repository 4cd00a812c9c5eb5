import {
  Client,
  createTransport,
  getCurrentScope,
  getIsolationScope,
  resolvedSyncPromise,
  setCurrentClient,
  spanToJSON,
} from '@sentry/core';
import { spanJson } from './span-view';
import type { ClientOptions, Event, EventHint, Span } from '@sentry/core';

/** A real `@sentry/core` client that keeps what it would send in memory (no network). */
export class RecordingClient extends Client<ClientOptions> {
  constructor(options: ClientOptions) {
    super(options);
  }
  eventFromException(exception: unknown, hint?: EventHint): PromiseLike<Event> {
    return resolvedSyncPromise({
      exception: { values: [{ type: (exception as Error)?.name ?? 'Error', value: String((exception as Error)?.message ?? exception) }] },
      event_id: hint?.event_id,
    });
  }
  eventFromMessage(message: unknown): PromiseLike<Event> {
    return resolvedSyncPromise({ message: String(message) });
  }
}

export interface Recorder {
  client: Client;
  /** Every span that ended, as `spanToJSON` with v11's field names (span-view.ts), in end order. */
  ended: ReturnType<typeof spanToJSON>[];
  /** How many times each span object ended. */
  endCounts: Map<Span, number>;
  /** Exceptions passed to `captureException`, with their hints. */
  captures: Array<{ error: unknown; hint: EventHint | undefined }>;
  reset(): void;
}

/** Creates and installs a real client (tracesSampleRate 1) that sends nothing and records nothing. */
export function installOfflineClient(): RecordingClient {
  const client = new RecordingClient({
    dsn: 'http://public@127.0.0.1:9/1',
    tracesSampleRate: 1,
    integrations: [],
    stackParser: () => [],
    transport: () => createTransport({ recordDroppedEvent: () => undefined }, () => resolvedSyncPromise({})),
  } as ClientOptions);
  setCurrentClient(client);
  getCurrentScope().setClient(client);
  getIsolationScope().setClient(client);
  client.init();
  return client;
}

/** Creates, installs and returns a recording client with tracesSampleRate 1. */
export function installRecordingClient(): Recorder {
  return attachRecorder(installOfflineClient());
}

/** Records span ends and captures of any client (e.g. `@sentry/node`'s after `Sentry.init`). */
export function attachRecorder<C extends Client>(client: C): Recorder & { client: C } {
  const recorder: Recorder & { client: C } = {
    client,
    ended: [],
    endCounts: new Map(),
    captures: [],
    reset() {
      recorder.ended.length = 0;
      recorder.endCounts.clear();
      recorder.captures.length = 0;
    },
  };
  client.on('spanEnd', (span) => {
    recorder.ended.push(spanJson(span));
    recorder.endCounts.set(span, (recorder.endCounts.get(span) ?? 0) + 1);
  });
  const captureException = client.captureException.bind(client);
  client.captureException = ((error: unknown, hint?: EventHint, scope?: never) => {
    recorder.captures.push({ error, hint });
    return captureException(error, hint, scope);
  }) as C['captureException'];
  return recorder;
}
