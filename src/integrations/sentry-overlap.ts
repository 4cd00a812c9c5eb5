/**
 * Never doubled, never silently displaced (SPEC §4). When the Sentry client runs its own
 * integration on the channels one of ours binds (`@sentry/node` 11's default `Redis` and `Nitro`,
 * `VercelAI`, `Graphql`, `Mysql2`), both bind the strategy's one AsyncLocalStorage, and Node keeps
 * one store transform per (channel, storage): the last `bindStore` silently wins while both sets of
 * subscribers stay attached. Here every integration decides once who makes the spans, whatever ran
 * first, and says so in one `console.warn` per integration and process.
 *
 * - Sentry's set up first: taking over binds ours last and removes Sentry's `asyncStart` transform;
 *   Sentry's subscribers stay attached but find no span of theirs, so they do nothing.
 * - Ours set up first (`instrumentX()` before `Sentry.init`): Node has no event for a replaced
 *   transform, so the `start` and `asyncStart` channels of our channels get an own `bindStore` /
 *   `unbindStore` that calls Node's and then tells us about a foreign transform on our storage.
 *   Taking over binds ours again at once; standing down removes our bindings without unbinding
 *   the storage (which would remove Sentry's transform too).
 *
 * Sentry's integrations that bind no store (`Fastify`, `Pino`) cannot displace ours: those of ours
 * stand down while one is active ({@link hasSentryIntegration}) and say so once ({@link warnOncePerProcess}).
 */
import type { TracingChannel } from 'node:diagnostics_channel';
import { getClient } from '@sentry/core';
import { reassertChannelStores } from '../core/channel-hub';
import { globalSlot } from '../core/global-slot';
import { logDebug } from '../core/guard';
import { getDiagnosticsChannel } from '../core/node-builtins';
import { isOurStorage, watchPart, type ForeignListener, type PartWatch } from './store-watch';

/**
 * What one of our integrations does when Sentry's own integration traces the same channels:
 * `'take-over'` (the default everywhere): ours makes the spans, Sentry's makes none for them;
 * `'stand-down'`: Sentry's makes them, ours binds nothing (or lets go of what it bound).
 */
export type SentryOverlapPolicy = 'take-over' | 'stand-down';

/** Who makes the spans on an integration's channels right now. */
export type SentryOverlapOwner = 'ours' | 'sentry';

/** What {@link arbitrateSentryOverlap} needs to know about one of our integrations. */
export interface SentryOverlapSpec {
  /** The setup function, as the user calls it, for messages: `'instrumentRedis'`. */
  integration: string;
  /** Names of Sentry's integrations that bind the same channels, e.g. `['Redis']` (see {@link SENTRY_OVERLAPS}). */
  sentryIntegrations: readonly string[];
  /** The tracing channels (the names given to `tracingChannel(name)`) both sides bind. */
  channels: readonly string[];
  /** The policy in force (validate the user's option with {@link resolveSentryOverlapPolicy}). */
  policy: SentryOverlapPolicy;
}

/** How the arbiter drives the integration's own bindings: `bind()` at most once (or never), `unbind()` idempotent. */
export type SentryOverlapControl = { bind(): void; unbind(): void };

/** The arbiter's handle: who owns the channels, and a way out. */
export interface SentryOverlapHandle {
  /** `'ours'` while our bindings make the spans, `'sentry'` once we stood down. */
  readonly owner: SentryOverlapOwner;
  /** Removes our bindings (keeping a transform Sentry bound over ours), stops watching; idempotent.
   * Sentry's integration does not come back after a take-over: its transform was replaced for good. */
  unbind(): void;
}

/**
 * Sentry's integrations that bind a channel one of ours also binds, as read from `@sentry/node` /
 * `@sentry/server-utils` 11.12 (`name` → channels). `Fastify` (a plain `error` subscriber that
 * captures handler errors) and `Pino` (an `end` subscriber that sends logs) bind no store: they
 * cannot displace ours, only double captures or logs; an integration checks them with
 * {@link findSentryIntegration}. `Nitro` also binds `unstorage.<method>` (its `storage` option).
 */
export const SENTRY_OVERLAPS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  Redis: ['node-redis:command', 'node-redis:batch', 'node-redis:connect', 'ioredis:command', 'ioredis:connect'],
  Nitro: ['h3.request', 'srvx.request', 'srvx.middleware'],
  VercelAI: ['ai:telemetry'],
  Graphql: ['graphql:parse', 'graphql:validate', 'graphql:execute', 'graphql:subscribe', 'graphql:resolve'],
  Mysql2: ['mysql2:query', 'mysql2:execute', 'mysql2:connect', 'mysql2:pool:connect'],
  Fastify: ['tracing:fastify.request.handler:error'],
  Pino: ['tracing:pino_asJson:end'],
});

const POLICIES: readonly SentryOverlapPolicy[] = ['take-over', 'stand-down'];

/**
 * Validates the `onSentryIntegration` option of `integration` at setup: `undefined` gives
 * `'take-over'`; anything else but the two policies throws a `TypeError` naming the option.
 */
export function resolveSentryOverlapPolicy(integration: string, value: unknown): SentryOverlapPolicy {
  if (value === undefined) return 'take-over';
  if (!POLICIES.includes(value as SentryOverlapPolicy)) {
    throw new TypeError(`${integration}: \`options.onSentryIntegration\` must be 'take-over' or 'stand-down'`);
  }
  return value as SentryOverlapPolicy;
}

/**
 * The first of `names` the current Sentry client runs (set up, or about to be: also inside
 * `Sentry.init`, while the integrations are being set up), or `undefined`. Never throws.
 */
export function findSentryIntegration(names: readonly string[]): string | undefined {
  try {
    const client = getClient();
    if (!client) return undefined;
    const configured = client.getOptions().integrations;
    return names.find(
      (name) => client.getIntegrationByName(name) !== undefined || configured?.some((i) => i?.name === name),
    );
  } catch {
    return undefined;
  }
}

// one warning per key and process, shared by the ESM and CommonJS builds
const warned = globalSlot('sentry-overlap-warned', () => new Set<string>());

/** One `console.warn` per process and `key` (shared by the ESM and CommonJS builds). Never throws. */
export function warnOncePerProcess(key: string, message: string): void {
  try {
    if (warned.has(key)) return;
    warned.add(key);
    console.warn(`[tracing-channel-span] ${message}`);
  } catch {
    // a broken console must not break setup or the traced call
  }
}

/** The `integrations` option of `Sentry.init` that removes Sentry's integration `name`. */
function filterOption(name: string): string {
  return `integrations: (defaults) => defaults.filter((i) => i.name !== '${name}')`;
}

/** The `Sentry.init` call that removes Sentry's integration `name`, for the warnings. */
export function filterHint(name: string): string {
  return `\`Sentry.init({ ${filterOption(name)} })\``;
}

/**
 * Whether the current Sentry client runs (or is setting up) the integration `name`. Never throws.
 * For Sentry integrations that bind no store (fastify's hook-based spans, pino's `end`
 * subscriber): they cannot displace ours, so ours stands down while one is active and says so
 * once ({@link warnOncePerProcess}); channel-binding overlaps go through {@link arbitrateSentryOverlap}.
 */
export function hasSentryIntegration(name: string): boolean {
  return findSentryIntegration([name]) !== undefined;
}

function warnOnce(spec: SentryOverlapSpec, owner: SentryOverlapOwner, sentryName: string | undefined): void {
  if (warned.has(spec.integration)) return;
  const sentry = sentryName ? `Sentry's own \`${sentryName}\` integration` : 'another binding of the same AsyncLocalStorage';
  const filter = sentryName ? filterOption(sentryName) : undefined;
  const what = `${spec.integration}() and ${sentry} both trace ${spec.channels.join(', ')}`;
  const message =
    owner === 'ours'
      ? `${what}: ${spec.integration}() makes the spans, and the other makes none there. ` +
        `To keep ${sentryName ? `Sentry's` : 'the other one'} instead, pass { onSentryIntegration: 'stand-down' } to ${spec.integration}()` +
        (filter ? `; to silence this, remove Sentry's in Sentry.init: ${filter}` : '')
      : `${what}: ${sentry} makes the spans, and ${spec.integration}() stands down (makes none). ` +
        `To use ${spec.integration}() instead, ${filter ? `remove Sentry's in Sentry.init (${filter}) or ` : ''}` +
        `pass { onSentryIntegration: 'take-over' }`;
  warnOncePerProcess(spec.integration, `${message}.`);
}

/**
 * Sets up one of our integrations so that each operation on its channels yields exactly one span,
 * from a known owner, whether Sentry's own integration for the same channels was set up before or
 * is set up after (`Sentry.init` after `instrumentX()`); one `console.warn` per integration and
 * process says who owns them and how to switch. Without an overlapping Sentry integration it just
 * calls `control.bind()` and keeps watching.
 *
 * Call it at setup, once per live instrumentation, and route the handle's `unbind()` through it.
 * Never throws (a failure to watch a channel is one debug line; the integration then behaves as
 * before: last `bindStore` wins).
 *
 * @example
 * const overlap = arbitrateSentryOverlap(
 *   { integration: 'instrumentRedis', sentryIntegrations: ['Redis'], channels, policy },
 *   { bind: () => { bindings = makeBindings(); }, unbind: () => bindings.forEach((b) => b.unbind()) },
 * );
 */
export function arbitrateSentryOverlap(spec: SentryOverlapSpec, control: SentryOverlapControl): SentryOverlapHandle {
  const dc = getDiagnosticsChannel();
  const channels = dc ? spec.channels.map((name) => dc.tracingChannel(name) as TracingChannel<object>) : [];
  const parts = channels.flatMap((ch) => [ch.start, ch.asyncStart]);
  const watches = parts.map(watchPart).filter((w): w is PartWatch => w !== undefined);
  let owner: SentryOverlapOwner = 'ours';
  let bound = false;
  let stopped = false;

  const release = (): void => {
    if (!bound) return;
    bound = false;
    for (const w of watches) w.releasing++;
    try {
      control.unbind();
    } catch (error) {
      logDebug(`${spec.integration}: unbinding failed`, error);
    } finally {
      for (const w of watches) w.releasing--;
    }
  };
  const reassert = (): void => {
    for (const ch of channels) reassertChannelStores(ch);
  };
  const onForeign: ForeignListener = (store) => {
    if (stopped || owner !== 'ours' || !bound || !isOurStorage(store)) return;
    if (findSentryIntegration(spec.sentryIntegrations) === undefined) {
      // not Sentry's (its integrations are listed on the client while they are set up): Node's rule stands
      logDebug(`${spec.integration}: another binding of the same storage replaced ours on ${spec.channels.join(', ')}`);
      return;
    }
    if (spec.policy === 'take-over') reassert();
    else {
      owner = 'sentry';
      release();
    }
    // inside Sentry.init the client's integration list is complete only once init returns
    queueMicrotask(() => warnOnce(spec, owner, findSentryIntegration(spec.sentryIntegrations)));
  };

  const present = findSentryIntegration(spec.sentryIntegrations);
  if (present && spec.policy === 'stand-down') {
    owner = 'sentry';
  } else {
    try {
      control.bind();
      bound = true;
    } catch (error) {
      logDebug(`${spec.integration}: binding failed`, error);
    }
    if (present) reassert();
  }
  if (present) warnOnce(spec, owner, present);
  for (const w of watches) w.listeners.add(onForeign);

  return {
    get owner() {
      return owner;
    },
    unbind() {
      if (stopped) return;
      stopped = true;
      for (const w of watches) w.listeners.delete(onForeign);
      release();
    },
  };
}

/** Anything an integration bound and can let go of: a `ChannelBinding`, an inner handle. */
export interface Unbindable {
  unbind(): void;
}

/**
 * {@link arbitrateSentryOverlap} for an integration whose bindings are a list: `bindAll()` makes
 * them while ours owns the channels; letting go unbinds each one (a throw is a debug line, and
 * the others are still unbound).
 */
export function arbitrateBindings(spec: SentryOverlapSpec, bindAll: () => readonly Unbindable[]): SentryOverlapHandle {
  let bindings: readonly Unbindable[] = [];
  return arbitrateSentryOverlap(spec, {
    bind: () => {
      bindings = bindAll();
    },
    unbind: () => {
      const current = bindings;
      bindings = [];
      for (const binding of current) {
        try {
          binding.unbind();
        } catch (error) {
          logDebug(`${spec.integration}: unbinding a channel threw`, error);
        }
      }
    },
  });
}
