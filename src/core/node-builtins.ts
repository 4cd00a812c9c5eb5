/**
 * `node:diagnostics_channel` and `node:async_hooks`, loaded so that importing this package never
 * throws anywhere: through `process.getBuiltinModule` (Node >= 20.16, Bun, Deno, workerd with a
 * compatibility date >= 2024-09-23); else through `require` where one exists (the CommonJS build);
 * else (ESM without either) an `import()` started at load, whose module is used once it has
 * arrived. Until then, and where the builtin is missing, the getters answer `undefined` and a
 * binding returns a do-nothing handle (with a debug line).
 */
import type * as DiagnosticsChannel from 'node:diagnostics_channel';
import type * as AsyncHooks from 'node:async_hooks';

type BuiltinLoader = (id: string) => unknown;
declare const require: BuiltinLoader | undefined;

/**
 * `require` of the CommonJS build. The ESM build's bundler turns `require` into a helper that
 * always exists (and throws), so CommonJS is recognised by `__filename`, which only it has.
 */
function commonJsRequire(): BuiltinLoader | undefined {
  return typeof __filename === 'string' && typeof require === 'function' ? require : undefined;
}

const DC_ID = 'node:diagnostics_channel';
const HOOKS_ID = 'node:async_hooks';

function getBuiltinModule(): BuiltinLoader | undefined {
  const load = (globalThis as { process?: { getBuiltinModule?: BuiltinLoader } }).process?.getBuiltinModule;
  return typeof load === 'function' ? load : undefined;
}

function loadBuiltin<T>(id: string): T | undefined {
  try {
    const load = getBuiltinModule() ?? commonJsRequire();
    return load ? (load(id) as T | undefined) : arrived[id] as T | undefined;
  } catch {
    return undefined;
  }
}

/** Modules that arrived through the `import()` fallback. */
const arrived: Record<string, unknown> = {};

function importLater(id: string): void {
  try {
    // A variable specifier: bundlers leave it alone; where `import()` itself is missing this throws (caught).
    const specifier = id;
    void (import(/* @vite-ignore */ specifier) as Promise<unknown>).then(
      (mod) => {
        arrived[id] = mod;
        if (id === DC_ID) diagnosticsChannel = null;
        else asyncHooks = null;
      },
      () => undefined,
    );
  } catch {
    // no import() here either: the builtin stays missing
  }
}

if (getBuiltinModule() === undefined && commonJsRequire() === undefined) {
  importLater(DC_ID);
  importLater(HOOKS_ID);
}

let diagnosticsChannel: typeof DiagnosticsChannel | undefined | null = null;
let asyncHooks: typeof AsyncHooks | undefined | null = null;

/** `node:diagnostics_channel`, or `undefined` in a runtime without it (see the file comment). Never throws. */
export function getDiagnosticsChannel(): typeof DiagnosticsChannel | undefined {
  if (diagnosticsChannel === null) {
    const mod = loadBuiltin<typeof DiagnosticsChannel>(DC_ID);
    diagnosticsChannel = mod && typeof mod.tracingChannel === 'function' ? mod : undefined;
  }
  return diagnosticsChannel;
}

/** `node:async_hooks`, or `undefined` in a runtime without it (see the file comment). Never throws. */
export function getAsyncHooks(): typeof AsyncHooks | undefined {
  if (asyncHooks === null) {
    const mod = loadBuiltin<typeof AsyncHooks>(HOOKS_ID);
    asyncHooks = mod && typeof mod.AsyncLocalStorage === 'function' ? mod : undefined;
  }
  return asyncHooks;
}
