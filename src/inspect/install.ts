/**
 * Installs the inspector once per process (the ESM and the CommonJS build may both be loaded)
 * and reports on exit: JSON to `$TRACING_CHANNEL_SPAN_INSPECT`, or a table to stderr. Reports
 * only from the main thread; does nothing where `node:diagnostics_channel` is missing. Writes
 * with `fs.writeSync`, so output is complete also after `process.exit(n)` or an uncaught error,
 * and never touches the exit code.
 */
import { globalSlot } from '../core/global-slot';
import { getDiagnosticsChannel } from '../core/node-builtins';
import { patchDiagnosticsChannel } from './patch';
import { Recorder } from './recorder';
import { buildReport, formatTable } from './report';

type Fs = typeof import('node:fs');
type Path = typeof import('node:path');
type NodeModule = typeof import('node:module');
type WorkerThreads = typeof import('node:worker_threads');

function builtin<T>(id: string): T | undefined {
  try {
    return (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}

/** Starts recording; safe to call more than once. */
export function installInspector(): void {
  const install = globalSlot('inspector', () => ({ installed: false }));
  if (install.installed) return;
  install.installed = true;
  const dc = getDiagnosticsChannel();
  const fs = builtin<Fs>('node:fs');
  if (dc === undefined || fs === undefined) return;
  if (builtin<WorkerThreads>('node:worker_threads')?.isMainThread === false) return;

  const toStderr = (text: string): void => {
    try {
      fs.writeSync(2, text.endsWith('\n') ? text : `${text}\n`);
    } catch {
      // stderr closed: nothing to tell
    }
  };
  const recorder = new Recorder(toStderr);
  patchDiagnosticsChannel(dc as unknown as Record<string, unknown>, recorder);
  builtin<NodeModule>('node:module')?.syncBuiltinESMExports?.();

  // Resolved now: the app may change directory before it exits.
  const target = process.env.TRACING_CHANNEL_SPAN_INSPECT;
  const file = target ? (builtin<Path>('node:path')?.resolve(target) ?? target) : undefined;
  process.once('exit', () => {
    try {
      const report = buildReport(recorder);
      if (file) fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
      else toStderr(formatTable(report));
    } catch (error) {
      toStderr(`tracing-channel-span/inspect: could not write the report: ${String(error)}`);
    }
  });
}
