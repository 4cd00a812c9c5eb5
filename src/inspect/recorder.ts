/**
 * What the inspector learns about each channel: created, published on (events per sub-channel,
 * payload keys), subscribed to, store bound. Channels are instrumented one object at a time with
 * non-enumerable own methods that record, then call the prototype's method unchanged (Node
 * swaps a channel's prototype when it gains or loses subscribers, so the lookup is per call).
 * Instrumented channel objects are held for the life of the process: Node keeps channels
 * weakly and makes a fresh, uninstrumented object for a name whose old one was collected, which
 * would lose events (measured in the demo: 4 of 9 ioredis `end` events). Held, every later
 * lookup of the name returns the instrumented object. The cost is one object per channel name.
 */

/** The five sub-channels of a TracingChannel, and `publish` for a plain channel. */
export type ChannelEvent = 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error' | 'publish';

/** Everything recorded for one tracing channel (or one plain channel). */
export interface ChannelStats {
  readonly name: string;
  readonly tracing: boolean;
  readonly events: Record<ChannelEvent, number>;
  subscribed: boolean;
  storeBound: boolean;
  readonly payloadKeys: Set<string>;
}

const TRACING_NAME = /^tracing:(.+):(start|end|asyncStart|asyncEnd|error)$/;
const MAX_KEYS = 64;
const KEYS_FROM_FIRST = 256;
const KEYS_SAMPLE_EVERY = 1024;
/** Node 25 aborts past about 1000 channel names (`kMaxChannels`, including Node's own). */
export const CHANNEL_NAME_WARNING_AT = 900;

type ChannelLike = { name?: unknown; publish?: unknown; runStores?: unknown; subscribe?: unknown; bindStore?: unknown };
type Method = (this: object, ...args: unknown[]) => unknown;

/** Records into `stats` and forwards to the method the prototype has at call time. */
function recorded(method: 'runStores' | 'subscribe' | 'bindStore', note: (channel: object, arg: unknown) => void): Method {
  return function (this: object, ...args: unknown[]): unknown {
    try {
      note(this, args[0]);
    } catch {
      // recording must never change what the app sees
    }
    const proto = Object.getPrototypeOf(this) as Record<string, Method> | null;
    return Reflect.apply(proto![method]!, this, args);
  };
}

/** The process-wide record. */
export class Recorder {
  readonly channels = new Map<string, ChannelStats>();
  readonly names = new Set<string>();
  readonly warnings: string[] = [];
  private readonly _seen = new Set<object>();

  constructor(private readonly _warn: (line: string) => void) {}

  private stats(name: string, tracing: boolean): ChannelStats {
    let stats = this.channels.get(name);
    if (stats === undefined) {
      stats = {
        name,
        tracing,
        events: { start: 0, end: 0, asyncStart: 0, asyncEnd: 0, error: 0, publish: 0 },
        subscribed: false,
        storeBound: false,
        payloadKeys: new Set(),
      };
      this.channels.set(name, stats);
    }
    return stats;
  }

  /** Notes a channel object the app obtained; instruments it once. Never throws. */
  see(channel: unknown): void {
    try {
      if (typeof channel !== 'object' || channel === null || this._seen.has(channel)) return;
      this._seen.add(channel);
      const name = (channel as ChannelLike).name;
      if (typeof name !== 'string') return; // symbol-named channels take no native slot
      this.countName(name);
      const match = TRACING_NAME.exec(name);
      const stats = match ? this.stats(match[1]!, true) : this.stats(name, false);
      const event: ChannelEvent = match ? (match[2] as ChannelEvent) : 'publish';
      this.instrument(channel, stats, event);
    } catch {
      // an exotic channel object: leave it alone
    }
  }

  private countName(name: string): void {
    if (this.names.has(name)) return;
    this.names.add(name);
    if (this.names.size === CHANNEL_NAME_WARNING_AT) {
      const line =
        `tracing-channel-span/inspect: this process has created ${CHANNEL_NAME_WARNING_AT} diagnostics channel names ` +
        `(each TracingChannel takes 5). Node 25 aborts a process past about 1000 (native assertion kMaxChannels): ` +
        `reuse channels instead of creating one per object or per test.`;
      this.warnings.push(line);
      this._warn(line);
    }
  }

  private instrument(channel: object, stats: ChannelStats, event: ChannelEvent): void {
    const define = (key: string, value: Method): void => {
      // Only methods the prototype provides (Node's): an own method would have nothing to forward to.
      if (Object.prototype.hasOwnProperty.call(channel, key)) return;
      Object.defineProperty(channel, key, { value, writable: true, configurable: true, enumerable: false });
    };
    const c = channel as ChannelLike;
    const events = stats.events;
    const count = (data: unknown): void => {
      const n = events[event]++;
      // Keys of the first events of each sub-channel, then a sample: cheap on a hot channel.
      if ((n < KEYS_FROM_FIRST || n % KEYS_SAMPLE_EVERY === 0) && typeof data === 'object' && data !== null && stats.payloadKeys.size < MAX_KEYS) {
        for (const key of Object.keys(data)) stats.payloadKeys.add(key);
      }
    };
    // Every publish counts, listened to or not. runStores on a sub-channel nobody listens to
    // never reaches publish (Node 20–25; 26 publishes anyway), so it counts there: the numbers
    // are the calls the library made, the same on every Node version.
    if (typeof c.publish === 'function') {
      // Node swaps the prototype when a channel gains or loses subscribers: look its publish up
      // again only then.
      let proto: object | null = null;
      let forward: Method | undefined;
      define('publish', function publish(this: object, data: unknown): unknown {
        try {
          count(data);
        } catch {
          // recording must never change what the app sees
        }
        const current = Object.getPrototypeOf(this) as { publish: Method } | null;
        if (current !== proto) {
          proto = current;
          forward = current!.publish;
        }
        return forward!.call(this, data);
      });
    }
    if (typeof c.runStores === 'function') {
      define('runStores', recorded('runStores', (self, data) => {
        if ((self as { hasSubscribers?: boolean }).hasSubscribers !== true) count(data);
      }));
    }
    if (typeof c.subscribe === 'function') define('subscribe', recorded('subscribe', () => void (stats.subscribed = true)));
    if (typeof c.bindStore === 'function') define('bindStore', recorded('bindStore', () => void (stats.storeBound = true)));
  }
}
