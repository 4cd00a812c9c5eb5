// A real @sentry/core client that sends nothing (tracesSampleRate 1), for the runtime checks.
import { Client, createTransport, getCurrentScope, getIsolationScope, resolvedSyncPromise, setCurrentClient } from '@sentry/core';

class OfflineClient extends Client {
  eventFromException(exception) {
    return resolvedSyncPromise({ exception: { values: [{ type: exception?.name ?? 'Error', value: String(exception?.message ?? exception) }] } });
  }
  eventFromMessage(message) {
    return resolvedSyncPromise({ message: String(message) });
  }
}

/** An options object any Sentry SDK's `init` accepts: no network, every trace sampled. */
export const offlineOptions = {
  dsn: 'http://public@127.0.0.1:9/1',
  tracesSampleRate: 1,
  defaultIntegrations: false,
  integrations: [],
  transport: () => createTransport({ recordDroppedEvent: () => undefined }, () => resolvedSyncPromise({})),
};

/** Creates, installs and returns an offline client. */
export function installOfflineClient() {
  const client = new OfflineClient({ ...offlineOptions, stackParser: () => [] });
  setCurrentClient(client);
  getCurrentScope().setClient(client);
  getIsolationScope().setClient(client);
  client.init();
  return client;
}
