import type * as DiagnosticsChannel from 'node:diagnostics_channel';
import type * as AsyncHooks from 'node:async_hooks';

type BuiltinLoader = (id: string) => unknown;

function loadBuiltin<T>(id: string): T | undefined {
  try {
    const load = (globalThis as { process?: { getBuiltinModule?: BuiltinLoader } }).process?.getBuiltinModule;
    return typeof load === 'function' ? (load(id) as T | undefined) : undefined;
  } catch {
    return undefined;
  }
}

let diagnosticsChannel: typeof DiagnosticsChannel | undefined | null = null;
let asyncHooks: typeof AsyncHooks | undefined | null = null;

/**
 * `node:diagnostics_channel`, or `undefined` in a runtime without it. Loaded lazily through
 * `process.getBuiltinModule` so that importing this package never throws anywhere.
 */
export function getDiagnosticsChannel(): typeof DiagnosticsChannel | undefined {
  if (diagnosticsChannel === null) {
    const mod = loadBuiltin<typeof DiagnosticsChannel>('node:diagnostics_channel');
    diagnosticsChannel = mod && typeof mod.tracingChannel === 'function' ? mod : undefined;
  }
  return diagnosticsChannel;
}

/** `node:async_hooks`, or `undefined` in a runtime without it. Never throws. */
export function getAsyncHooks(): typeof AsyncHooks | undefined {
  if (asyncHooks === null) {
    const mod = loadBuiltin<typeof AsyncHooks>('node:async_hooks');
    asyncHooks = mod && typeof mod.AsyncLocalStorage === 'function' ? mod : undefined;
  }
  return asyncHooks;
}
