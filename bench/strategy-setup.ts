/**
 * Sets up one async-context strategy with a real Sentry client for a benchmark process:
 * - `scope-pair`: our `setScopePairAsyncContextStrategy()` and a bare `@sentry/core` client;
 * - `otel`: `@sentry/node`'s `Sentry.init` with `enableOpenTelemetrySetup` (the store is an
 *   OpenTelemetry Context), everything loaded as ESM;
 * - `otel-mixed`: the same, but `@sentry/node` (and the anchor, `@sentry/server-utils`) loaded as
 *   CommonJS through `require` while this package is imported as ESM: two module instances of
 *   `@sentry/core` that share the global carrier but not their classes.
 * Strategies are process-global, so each benchmark process sets up exactly one.
 *
 * Sampling: everything is sampled except a root span named {@link UNSAMPLED_ROOT} and its
 * children (the unsampled-trace cases run under one).
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import {
  Client,
  createTransport,
  getAsyncContextStrategy,
  getMainCarrier,
  initAndBind,
  startInactiveSpan,
  withActiveSpan,
} from '@sentry/core';
import type { BaseTransportOptions, ClientOptions, Event, Integration, Span, Transport } from '@sentry/core';

/** The async-context strategies the benchmark compares. */
export type StrategyName = 'scope-pair' | 'otel' | 'otel-mixed';
/** Every strategy, in report order. */
export const STRATEGY_NAMES: readonly StrategyName[] = ['scope-pair', 'otel', 'otel-mixed'];

/** The name of the root span the sampler drops (with its children). */
export const UNSAMPLED_ROOT = 'bench.unsampled-root';

/** What the benchmark needs from a strategy once it is installed. */
export interface StrategySetup {
  name: StrategyName;
  /** The strategy's storage (what every binding on it calls `bindStore` with). */
  asyncLocalStorage: AsyncLocalStorage<unknown>;
  /** Runs `fn` under a fresh sampled root span, ending it afterwards (so children never pile up). */
  withRootSpan<T>(fn: () => Promise<T>): Promise<T>;
  /** How the anchor (`@sentry/server-utils`) is loaded in this setup: as ESM, or through `require`. */
  loadServerUtils(): Promise<Record<string, unknown>>;
  /** `@sentry/node` as this setup loads it (for Sentry's own integrations in the workloads). */
  loadSentryNode(): Promise<Record<string, unknown>>;
  /** Flushes and closes the client. */
  close(): Promise<void>;
}

/** Options of {@link setupStrategy}. */
export interface SetupOptions {
  /** Sentry integrations to install with the client (made after `@sentry/node` is loaded). */
  integrations?: (sentryNode: Record<string, unknown>) => Integration[];
}

const requireCjs = createRequire(import.meta.url);

// Nothing leaves the process: the envelope is built (as in production) and dropped.
const DSN = 'http://public@127.0.0.1:9/1';

function dropTransport(options: BaseTransportOptions): Transport {
  return createTransport(options, () => Promise.resolve({}));
}

function sampler(context: { name: string; parentSampled?: boolean }): number {
  if (context.name === UNSAMPLED_ROOT) return 0;
  return context.parentSampled === false ? 0 : 1;
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

const esmServerUtils = () => import('@sentry/server-utils') as Promise<Record<string, unknown>>;
const esmSentryNode = () => import('@sentry/node') as unknown as Promise<Record<string, unknown>>;

async function setupScopePair(options: SetupOptions): Promise<StrategySetup> {
  const core = (await import('../src/index')) as { setScopePairAsyncContextStrategy?: () => void };
  if (typeof core.setScopePairAsyncContextStrategy !== 'function') {
    throw new Error('src/index.ts does not export setScopePairAsyncContextStrategy yet');
  }
  core.setScopePairAsyncContextStrategy();
  const clientOptions: ClientOptions = {
    dsn: DSN,
    tracesSampler: sampler,
    integrations: [],
    transport: dropTransport,
    stackParser: () => [],
  };
  const client = initAndBind(BenchClient, clientOptions);
  if (options.integrations) {
    for (const integration of options.integrations(await esmSentryNode())) client.addIntegration(integration);
  }
  return {
    name: 'scope-pair',
    asyncLocalStorage: strategyStorage(),
    withRootSpan,
    loadServerUtils: esmServerUtils,
    loadSentryNode: esmSentryNode,
    close: async () => {
      await client?.close(2000);
    },
  };
}

interface SentryNodeLike {
  init(options: Record<string, unknown>): unknown;
  close(timeout?: number): Promise<boolean>;
}

async function setupOtel(name: 'otel' | 'otel-mixed', options: SetupOptions): Promise<StrategySetup> {
  const load = name === 'otel' ? esmSentryNode : async () => requireCjs('@sentry/node') as Record<string, unknown>;
  const sentryNode = await load();
  const Sentry = sentryNode as unknown as SentryNodeLike;
  // enableOpenTelemetrySetup: the store is an OpenTelemetry Context (the default is a scope pair)
  Sentry.init({
    dsn: DSN,
    tracesSampler: sampler,
    defaultIntegrations: false,
    integrations: options.integrations?.(sentryNode) ?? [],
    transport: dropTransport,
    enableOpenTelemetrySetup: true,
  });
  return {
    name,
    asyncLocalStorage: strategyStorage(),
    withRootSpan,
    loadServerUtils: name === 'otel' ? esmServerUtils : async () => requireCjs('@sentry/server-utils') as Record<string, unknown>,
    loadSentryNode: load,
    close: async () => {
      await Sentry.close(2000);
    },
  };
}

/** Installs the named strategy with a client whose transport drops everything (see the sampling note above). */
export function setupStrategy(name: StrategyName, options: SetupOptions = {}): Promise<StrategySetup> {
  if (name === 'scope-pair') return setupScopePair(options);
  return setupOtel(name, options);
}

/** Whether `name` is one of {@link STRATEGY_NAMES}. */
export function isStrategyName(name: unknown): name is StrategyName {
  return STRATEGY_NAMES.includes(name as StrategyName);
}
