/**
 * Which async-context strategy is in force, as every hub sees it. Hubs subscribe a listener and
 * re-attach their store transform when it is called; nothing here knows about hubs.
 */
import { currentStrategyObject, onStrategyChange, readTracingChannelBinding } from '../sentry-internals/strategy-slot';
import { resetStoreShapes } from '../sentry-internals/store-shapes';
import { resetActiveSpanReaders } from '../sentry-internals/active-span';
import type { TracingChannelBinding } from './tracing-channel-binding';

/** The strategy in force. `origin` (the strategy object) changes whenever the strategy does. */
export interface StrategyView {
  readonly origin: unknown;
  readonly binding: TracingChannelBinding | undefined;
}

type Listener = (view: StrategyView) => void;

const listeners = new Set<Listener>();
let view: StrategyView | undefined;
let observed = false;

function readView(): StrategyView {
  return { origin: currentStrategyObject(), binding: readTracingChannelBinding() };
}

let recheckedOrigin: unknown;

/**
 * A strategy whose binding is not usable yet (@sentry/node 10 sets its strategy before the
 * OpenTelemetry context manager the binding reads): look again once `Sentry.init` has returned.
 */
function recheckSoon(next: StrategyView): void {
  if (next.origin === undefined || next.binding !== undefined || recheckedOrigin === next.origin) return;
  recheckedOrigin = next.origin;
  try {
    queueMicrotask(refresh);
  } catch {
    // no microtasks here: pollStrategy() still notices on a later traced call
  }
}

function refresh(): void {
  const next = readView();
  recheckSoon(next);
  if (view && next.origin === view.origin && next.binding?.asyncLocalStorage === view.binding?.asyncLocalStorage) return;
  view = next;
  resetStoreShapes();
  resetActiveSpanReaders();
  for (const listener of listeners) {
    try {
      listener(next);
    } catch {
      // listeners are ours and guard themselves; nothing may escape into setAsyncContextStrategy
    }
  }
}

/** The strategy in force now; the first call starts watching the strategy slot. */
export function currentStrategy(): StrategyView {
  if (!view) {
    observed = onStrategyChange(refresh).observed;
    view = readView();
  }
  return view;
}

/** Calls `listener` with the new view whenever the strategy changes; returns the unsubscribe. */
export function watchStrategy(listener: Listener): () => void {
  currentStrategy();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Where the strategy slot cannot be observed (a frozen carrier), notices a new strategy on the
 * next traced call instead. Costs one property read per call, and only then. Also while the
 * strategy in force has no usable binding yet: @sentry/node 10 installs its strategy before the
 * OpenTelemetry context manager whose storage that binding returns, so the binding appears later.
 */
export function pollStrategy(): void {
  if (view === undefined) return;
  if ((!observed && currentStrategyObject() !== view.origin) || (view.origin !== undefined && view.binding === undefined)) refresh();
}
