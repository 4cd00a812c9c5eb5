/**
 * SPEC §1 "one copy, or a loud warning": Sentry's global state lives per copy of `@sentry/core`
 * (`__SENTRY__[version]`). When the copy this package resolved has no client while another copy
 * in the process has one (the app's SDK pinned another version), nothing would be traced and
 * nothing said: this prints one `console.warn` per process naming both versions and the fix.
 */
import { GLOBAL_OBJ, SDK_VERSION, getClient } from '@sentry/core';
import { globalSlot } from '../core/global-slot';

interface CarrierLike {
  defaultCurrentScope?: { getClient?: () => unknown };
  defaultIsolationScope?: { getClient?: () => unknown };
  globalScope?: { getClient?: () => unknown };
}

/** Process-wide: every copy of this package (ESM, CJS, bundles) shares one verdict. */
const state = globalSlot('one-copy-check', () => ({ done: false }));

function hasClient(carrier: CarrierLike): boolean {
  for (const scope of [carrier.defaultCurrentScope, carrier.defaultIsolationScope, carrier.globalScope]) {
    if (typeof scope?.getClient === 'function' && scope.getClient() !== undefined) return true;
  }
  return false;
}

/** The version of another `@sentry/core` copy in this process that has a client, if any. */
export function otherCopyWithClient(): string | undefined {
  const root = (GLOBAL_OBJ as { __SENTRY__?: Record<string, unknown> }).__SENTRY__;
  if (typeof root !== 'object' || root === null) return undefined;
  for (const version of Object.keys(root)) {
    if (version === SDK_VERSION || !/^\d+\.\d+\.\d+/.test(version)) continue;
    const carrier = root[version];
    if (typeof carrier === 'object' && carrier !== null && hasClient(carrier as CarrierLike)) return version;
  }
  return undefined;
}

/** The warning's text (one line). */
export function twoCopiesMessage(other: string): string {
  return (
    `[tracing-channel-span] Two copies of @sentry/core: this package uses ${SDK_VERSION}, which has no Sentry client, ` +
    `while your Sentry SDK initialised ${other}. Nothing bound by tracing-channel-span is traced. ` +
    `Fix: run \`npm ls @sentry/core\`; install tracing-channel-span without naming @sentry/core ` +
    `(\`npm install tracing-channel-span\`), or pin @sentry/core to your SDK's version (\`npm install @sentry/core@${other}\`).`
  );
}

/**
 * Called on traced calls until this copy has a client (then never again) or the warning was
 * printed. Cheap: one `getClient()` and, while there is none, a look at the carrier's keys. Never throws.
 */
export function checkOneCopy(): void {
  if (state.done) return;
  try {
    if (getClient() !== undefined) {
      state.done = true;
      return;
    }
    const other = otherCopyWithClient();
    if (other === undefined) return;
    state.done = true;
    console.warn(twoCopiesMessage(other));
  } catch {
    state.done = true;
  }
}
