/**
 * `src/sentry-internals/` is the only folder that touches what `@sentry/core` keeps private: the
 * global carrier, the strategy slot, `_INTERNAL_*` exports, `Scope` fields and feature-detected
 * exports. A Sentry release that changes them then needs changes in that folder alone.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../../src', import.meta.url));
const INTERNALS = join(SRC, 'sentry-internals');

/** Each private thing, as a pattern over source text (comments included: naming it is touching it). */
export const PRIVATE_NAMES: ReadonlyArray<readonly [string, RegExp]> = [
  ['__SENTRY__', /__SENTRY__/],
  ['GLOBAL_OBJ', /\bGLOBAL_OBJ\b/],
  ['getMainCarrier', /\bgetMainCarrier\b/],
  ['getAsyncContextStrategy', /\bgetAsyncContextStrategy\b/],
  ['_INTERNAL_*', /\b_INTERNAL_\w+/],
  ['SDK_VERSION', /\bSDK_VERSION\b/],
  ['the carrier slot acs', /\.acs\b|['"]acs['"]/],
  ['scope refs', /\.refs\b|\brefs\s*[:?[]|['"]refs['"]/],
  ['Scope fields', /\b_(?:propagationContext|eventProcessors|breadcrumbs|attachments|sdkProcessingMetadata|scopeListeners|notifyingListeners|lastEventId|conversationId|transactionName|fingerprint)\b/],
  ['spanToJSON data/attributes differences', /spanToJSON\([^)]*\)\s*(?:as\s[^;]*)?[.;]\s*(?:data|attributes)\b|\.data\?\.\[['"]sentry\./],
  ['namespace import of @sentry/core (feature detection)', /import\s*\*\s*as\s+\w+\s+from\s+['"]@sentry\/core['"]/],
];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** `file: name` for each private name found in `text`. */
export function privateUses(file: string, text: string): string[] {
  return PRIVATE_NAMES.filter(([, pattern]) => pattern.test(text)).map(([name]) => `${file}: ${name}`);
}

describe('sentry-internals boundary', () => {
  it('no file outside src/sentry-internals/ names a private @sentry/core thing', () => {
    const outside = walk(SRC).filter((file) => !file.startsWith(INTERNALS + '/'));
    const uses = outside.flatMap((file) => privateUses(relative(SRC, file), readFileSync(file, 'utf8')));
    expect(uses).toEqual([]);
  });

  it('the folder itself does use them (the patterns match real code)', () => {
    const inside = walk(INTERNALS).flatMap((file) => privateUses(relative(SRC, file), readFileSync(file, 'utf8')));
    const names = new Set(inside.map((use) => use.split(': ')[1]));
    for (const name of ['__SENTRY__', 'GLOBAL_OBJ', 'getMainCarrier', '_INTERNAL_*', 'scope refs', 'Scope fields']) {
      expect(names, name).toContain(name);
    }
  });

  it('each pattern catches what it stands for', () => {
    const samples: Record<string, string> = {
      __SENTRY__: 'const root = GLOBAL.__SENTRY__;',
      getMainCarrier: 'getAsyncContextStrategy(getMainCarrier())',
      '_INTERNAL_*': "import { _INTERNAL_setSpanForScope } from '@sentry/core';",
      'scope refs': 'scope.refs.span = span;',
      'Scope fields': 'copy._propagationContext = { ...src._propagationContext };',
      'the carrier slot acs': 'carrier.acs = strategy;',
      'spanToJSON data/attributes differences': "const op = spanToJSON(span).data?.['sentry.op'];",
      'namespace import of @sentry/core (feature detection)': "import * as SentryCore from '@sentry/core';",
    };
    for (const [name, text] of Object.entries(samples)) expect(privateUses('x.ts', text), name).toContain(`x.ts: ${name}`);
    expect(privateUses('x.ts', "import { startInactiveSpan, getActiveSpan } from '@sentry/core';")).toEqual([]);
  });
});
