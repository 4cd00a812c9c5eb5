/**
 * `tracing-channel-span/inspect`: a preload that shows which TracingChannels a process creates
 * and publishes on.
 *
 *   node --import tracing-channel-span/inspect app.mjs
 *   node --require tracing-channel-span/inspect app.cjs
 *
 * Records every channel the app creates through `node:diagnostics_channel` (also ESM named
 * imports), the events published per sub-channel, whether anything subscribed or bound a store,
 * and the payload keys seen; on exit prints a table to stderr, or writes JSON to the file named
 * by `TRACING_CHANNEL_SPAN_INSPECT`. Warns (stderr, at once) when the process reaches 900
 * channel names: Node 25 aborts past about 1000. It never subscribes, so publishers behave as
 * without it. Not for production; loading it is the only way to turn it on.
 */
import { installInspector } from './inspect/install';

installInspector();

export type { InspectedTracingChannel, InspectReport } from './inspect/report';
