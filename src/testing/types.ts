/**
 * Public types of `tracing-channel-span/testing`, written structurally so that the published
 * declarations depend on nothing (not even `@types/node`). Node's own `TracingChannel` fits them.
 */

/** A sub-channel as far as the checker needs it: something to subscribe to. */
export interface CheckableSubChannel {
  /** `tracing:<name>:<event>` on Node; used to name the channel in problems. */
  readonly name?: string | symbol;
  subscribe(onMessage: (message: unknown, name: string | symbol) => void): void;
  unsubscribe(onMessage: (message: unknown, name: string | symbol) => void): unknown;
}

/** The `start` sub-channel also takes a store, to check that stores are entered and restored. */
export interface CheckableStartChannel extends CheckableSubChannel {
  bindStore(store: unknown, transform?: (message: unknown) => unknown): void;
  unbindStore(store: unknown): unknown;
}

/** A TracingChannel: the five sub-channels. */
export interface CheckableTracingChannel {
  readonly start: CheckableStartChannel;
  readonly end: CheckableSubChannel;
  readonly asyncStart: CheckableSubChannel;
  readonly asyncEnd: CheckableSubChannel;
  readonly error: CheckableSubChannel;
}

/**
 * The rules {@link checkTracingChannel} checks, one id per problem:
 *
 * - `start-without-end`: a `start` never followed by `end` (or an `asyncStart` never followed by
 *   `asyncEnd`): subscribers never learn that the call finished.
 * - `needs-is-complete`: `end` came with neither `result` nor `error` on the payload (or with a
 *   thenable `result`) and no `asyncEnd` followed: subscribers that end their work at `end` or
 *   `asyncEnd` (SPEC rule 2) wait forever; they need `isComplete`, or the publisher should set
 *   `result` / publish `asyncStart` + `asyncEnd`.
 * - `payload-changed`: an event of one call arrived on a different payload object than its
 *   `start` (subscribers keep per-call state by payload object).
 * - `event-after-async-end`: an event of a call after its `asyncEnd` (and `end`), e.g. a second
 *   `asyncEnd` for a stream.
 * - `error-without-error`: an `error` event whose payload has no own `error` property.
 * - `store-not-active`: a store bound with `start.bindStore` was not active when `start` was
 *   published (`start.publish` instead of `start.runStores`), so no subscriber's context is
 *   active inside the traced function.
 * - `store-not-restored`: after the traced call returned, the caller did not get its own store
 *   back (a store entered with `enterWith`, or a context leaked into the caller).
 * - `order`: any other sequence Node itself never produces (`asyncEnd` without `asyncStart`, a
 *   second `end`, `error` between `asyncStart` and `asyncEnd`, an event with no `start`, a new
 *   `start` on the payload of a call that has not completed).
 * - `payload-not-object`: an event whose payload is not an object (subscribers cannot key state on it).
 */
export type TracingChannelRule =
  | 'start-without-end'
  | 'needs-is-complete'
  | 'payload-changed'
  | 'event-after-async-end'
  | 'error-without-error'
  | 'store-not-active'
  | 'store-not-restored'
  | 'order'
  | 'payload-not-object';

/** One finding of {@link checkTracingChannel}. */
export interface TracingChannelProblem {
  /** The rule broken; see {@link TracingChannelRule}. */
  rule: TracingChannelRule;
  /** Names the call (`call #2 of "mylib.query" [start → end]`) and says what is wrong and why it matters. */
  message: string;
}

/** What {@link checkTracingChannel} resolves to. */
export interface TracingChannelCheck {
  /** `true` when no problem was found. */
  ok: boolean;
  /** How many traced calls (`start` events) were seen. */
  calls: number;
  /** Every problem found, in the order of the calls they concern. */
  problems: TracingChannelProblem[];
}

/** Options of {@link checkTracingChannel}. */
export interface CheckTracingChannelOptions {
  /**
   * How long, in milliseconds, to wait after `run()` settled for calls still in flight to send
   * their final events before judging them. Default `100`. The wait ends as soon as every call
   * has completed, so it only costs time when something is wrong (or still running).
   */
  settleMs?: number;
}
