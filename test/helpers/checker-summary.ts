/**
 * Helpers for pinning what `checkTracingChannel` finds on a real library: problems counted per
 * rule, one log line per channel, and a check of several channels around one run.
 */
import { checkTracingChannel, type TracingChannelCheck } from '../../src/testing';

/** What one check found, in a form tests compare with `toEqual`. */
export interface CheckSummary {
  channel: string;
  calls: number;
  rules: Record<string, number>;
}

/** Problems per rule, e.g. `{ 'store-not-active': 3 }`. */
export function byRule(check: TracingChannelCheck): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const p of check.problems) counts[p.rule] = (counts[p.rule] ?? 0) + 1;
  return counts;
}

/** The summary of one check; logs it (and every problem message) so a CI log shows the findings. */
export function summary(channel: string, check: TracingChannelCheck): CheckSummary {
  const s = { channel, calls: check.calls, rules: byRule(check) };
  console.log(`[checker] ${JSON.stringify(s)}${check.problems.length ? `\n  ${check.problems.map((p) => p.message).join('\n  ')}` : ''}`);
  return s;
}

/**
 * Checks every channel of `names` around one `run()` (the checks nest: `names[0]` outermost) and
 * resolves to the checks by name, in the order given.
 */
export async function checkChannels(names: readonly string[], run: () => unknown): Promise<Map<string, TracingChannelCheck>> {
  const checks = new Map<string, TracingChannelCheck>();
  const nest = async (i: number): Promise<void> => {
    if (i === names.length) {
      await run();
      return;
    }
    checks.set(names[i]!, await checkTracingChannel(names[i]!, () => nest(i + 1)));
  };
  await nest(0);
  return new Map(names.map((name) => [name, checks.get(name)!]));
}

/** {@link summary} of each check, in order. */
export function summaries(checks: Map<string, TracingChannelCheck>): CheckSummary[] {
  return [...checks].map(([name, check]) => summary(name, check));
}
