/** The inspector's output: a JSON document, and the table printed to stderr on exit. */
import type { ChannelStats, Recorder } from './recorder';

/** One tracing channel in the JSON report. */
export interface InspectedTracingChannel {
  /** The TracingChannel name (`mylib.query` for `tracing:mylib.query:start` …). */
  name: string;
  /** Events published per sub-channel. */
  events: { start: number; end: number; asyncStart: number; asyncEnd: number; error: number };
  /** Whether anything subscribed to one of its sub-channels during the run. */
  subscribed: boolean;
  /** Whether anything bound a store (`bindStore`) to one of its sub-channels. */
  storeBound: boolean;
  /** Own enumerable payload keys seen on any event, sorted (at most 64). */
  payloadKeys: string[];
}

/** The JSON written to `TRACING_CHANNEL_SPAN_INSPECT`. */
export interface InspectReport {
  node: string;
  pid: number;
  /** Distinct channel names created while the inspector ran (a TracingChannel takes 5). */
  channelNames: number;
  tracingChannels: InspectedTracingChannel[];
  /** Plain (non-tracing) channels: name, messages published, subscribed. */
  otherChannels: Array<{ name: string; published: number; subscribed: boolean }>;
  warnings: string[];
}

const byName = (a: ChannelStats, b: ChannelStats): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The report as data. */
export function buildReport(recorder: Recorder): InspectReport {
  const all = [...recorder.channels.values()].sort(byName);
  return {
    node: process.version,
    pid: process.pid,
    channelNames: recorder.names.size,
    tracingChannels: all
      .filter((s) => s.tracing)
      .map((s) => ({
        name: s.name,
        events: { start: s.events.start, end: s.events.end, asyncStart: s.events.asyncStart, asyncEnd: s.events.asyncEnd, error: s.events.error },
        subscribed: s.subscribed,
        storeBound: s.storeBound,
        payloadKeys: [...s.payloadKeys].sort(),
      })),
    otherChannels: all.filter((s) => !s.tracing).map((s) => ({ name: s.name, published: s.events.publish, subscribed: s.subscribed })),
    warnings: [...recorder.warnings],
  };
}

const HEADER = ['channel', 'start', 'end', 'asyncStart', 'asyncEnd', 'error', 'subscribed', 'store', 'payload keys'];
const NUMERIC = new Set([1, 2, 3, 4, 5]);

/** The report as the table printed on exit. */
export function formatTable(report: InspectReport): string {
  const rows = report.tracingChannels.map((c) => [
    c.name,
    String(c.events.start),
    String(c.events.end),
    String(c.events.asyncStart),
    String(c.events.asyncEnd),
    String(c.events.error),
    c.subscribed ? 'yes' : 'no',
    c.storeBound ? 'yes' : 'no',
    c.payloadKeys.join(', '),
  ]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i === cells.length - 1 ? cell : NUMERIC.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [
    `tracing-channel-span/inspect: ${report.tracingChannels.length} tracing channel(s), ${report.channelNames} channel name(s) created (node ${report.node}, pid ${report.pid})`,
  ];
  if (rows.length > 0) {
    out.push(line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line));
  }
  if (report.otherChannels.length > 0) {
    const shown = report.otherChannels.slice(0, 10).map((c) => `${c.name} (${c.published})`).join(', ');
    const more = report.otherChannels.length > 10 ? `, … ${report.otherChannels.length - 10} more` : '';
    out.push(`other channels (messages published): ${shown}${more}`);
  }
  for (const warning of report.warnings) out.push(`warning: ${warning}`);
  return `${out.join('\n')}\n`;
}
