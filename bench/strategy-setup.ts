/**
 * Sets up one async-context strategy with a real Sentry client for a benchmark process:
 * `scope-pair` (our `setScopePairAsyncContextStrategy()` and a bare `@sentry/core` client) or
 * `otel` (`@sentry/node`'s `Sentry.init` with `enableOpenTelemetrySetup`, whose store is an OpenTelemetry Context). Strategies are
 * process-global, so each benchmark process sets up exactly one.
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import {
  Client,
  createTransport,
  getAsyncContextStrategy,
  getMainCarrier,
  initAndBind,
  startInactiveSpan,
  withActiveSpan,
} from '@sentry/core';
import type { BaseTransportOptions, ClientOptions, Event, Span, Transport } from '@sentry/core';

/** The two async-context strategies the benchmark compares. */
export type StrategyName = 'scope-pair' | 'otel';

/** What the benchmark needs from a strategy once it is installed. */
export interface StrategySetup {
  name: StrategyName;
  /** The strategy's storage (what every binding on it calls `bindStore` with). */
  asyncLocalStorage: AsyncLocalStorage<unknown>;
  /** Runs `fn` under a fresh sampled root span, ending it afterwards (so children never pile up). */
  withRootSpan<T>(fn: () => Promise<T>): Promise<T>;
  /** Flushes and closes the client. */
  close(): Promise<void>;
}

// Nothing leaves the process: the envelope is built (as in production) and dropped.
const DSN = 'http://public@127.0.0.1:9/1';

function dropTransport(options: BaseTransportOptions): Transport {
  return createTransport(options, () => Promise.resolve({}));
}

class BenchClient extends Client<ClientOptions> {
  // Client's constructor is protected; initAndBind needs a public one.
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor
  constructor(options: ClientOptions) {
    super(options);
  }

  override eventFromException(): PromiseLike<Event> {
    return Promise.resolve({});
  }

  override eventFromMessage(): PromiseLike<Event> {
    return Promise.resolve({});
  }
}

function strategyStorage(): AsyncLocalStorage<unknown> {
  const binding = getAsyncContextStrategy(getMainCarrier()).getTracingChannelBinding?.() as
    | { asyncLocalStorage?: AsyncLocalStorage<unknown> }
    | undefined;
  if (!binding?.asyncLocalStorage) {
    throw new Error('the async-context strategy provides no getTracingChannelBinding().asyncLocalStorage');
  }
  return binding.asyncLocalStorage;
}

async function withRootSpan<T>(fn: () => Promise<T>): Promise<T> {
  const root: Span = startInactiveSpan({ name: 'bench.round', op: 'bench', forceTransaction: true });
  try {
    return await withActiveSpan(root, fn);
  } finally {
    root.end();
  }
}

async function setupScopePair(): Promise<StrategySetup> {
  const core = (await import('../src/index')) as { setScopePairAsyncContextStrategy?: () => void };
  if (typeof core.setScopePairAsyncContextStrategy !== 'function') {
    throw new Error('src/index.ts does not export setScopePairAsyncContextStrategy yet');
  }
  core.setScopePairAsyncContextStrategy();
  const options: ClientOptions = {
    dsn: DSN,
    tracesSampleRate: 1,
    integrations: [],
    transport: dropTransport,
    stackParser: () => [],
  };
  const client = initAndBind(BenchClient, options);
  return {
    name: 'scope-pair',
    asyncLocalStorage: strategyStorage(),
    withRootSpan,
    close: async () => {
      await client?.close(2000);
    },
  };
}

async function setupOtel(): Promise<StrategySetup> {
  const Sentry = await import('@sentry/node');
  // enableOpenTelemetrySetup: the store is an OpenTelemetry Context (the default is a scope pair)
  Sentry.init({ dsn: DSN, tracesSampleRate: 1, defaultIntegrations: false, transport: dropTransport, enableOpenTelemetrySetup: true });
  return {
    name: 'otel',
    asyncLocalStorage: strategyStorage(),
    withRootSpan,
    close: async () => {
      await Sentry.close(2000);
    },
  };
}

/** Installs the named strategy with a sampled (tracesSampleRate 1) client whose transport drops everything. */
export function setupStrategy(name: StrategyName): Promise<StrategySetup> {
  return name === 'scope-pair' ? setupScopePair() : setupOtel();
}
