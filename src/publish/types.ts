/**
 * The shapes `tracing-channel-span/publish` needs from a TracingChannel, written structurally so
 * that the published types depend on nothing (not even `@types/node`). Node's own
 * `TracingChannel` satisfies them.
 */

/** One sub-channel of a tracing channel (`start`, `end`, `asyncStart`, `asyncEnd`, `error`). */
export interface PublishSubChannel {
  /** Whether anything listens on this sub-channel. */
  readonly hasSubscribers: boolean;
  /** Sends `message` to every subscriber; Node never lets a subscriber's throw escape. */
  publish(message: unknown): void;
  /** Enters the stores bound with `bindStore`, publishes `data`, then calls `fn` inside them. */
  runStores<A extends unknown[], R>(data: unknown, fn: (...args: A) => R, thisArg?: unknown, ...args: A): R;
}

/** A TracingChannel as far as publishing goes: the five sub-channels plus `hasSubscribers`. */
export interface PublishTracingChannel {
  /** `true` when any of the five sub-channels has a subscriber or a bound store. */
  readonly hasSubscribers: boolean;
  readonly start: PublishSubChannel;
  readonly end: PublishSubChannel;
  readonly asyncStart: PublishSubChannel;
  readonly asyncEnd: PublishSubChannel;
  readonly error: PublishSubChannel;
}

/**
 * What every `trace*` function takes first: a TracingChannel, or its name (`'mylib.query'` means
 * the channels `tracing:mylib.query:start` … `tracing:mylib.query:error`).
 */
export type ChannelRef = PublishTracingChannel | string;
