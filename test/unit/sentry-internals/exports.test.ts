import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as SentryCore from '@sentry/core';
import { describe, expect, it } from 'vitest';
import { FEATURE_DETECTED_EXPORTS } from '../../../src/sentry-internals/exports';

const SRC = join(__dirname, '..', '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every value (not `type`) imported by name from '@sentry/core' anywhere in src/. */
function namedValueImports(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*'@sentry\/core'/g)) {
      if (match[1]) continue;
      for (const part of match[2]!.split(',')) {
        const name = part.trim().replace(/\s+as\s+\w+$/, '');
        if (!name || name.startsWith('type ')) continue;
        found.set(name, [...(found.get(name) ?? []), file.slice(SRC.length + 1)]);
      }
    }
  }
  return found;
}

const [major, minor, patch] = SentryCore.SDK_VERSION.split('.').map(Number) as [number, number, number];
const atLeast = (version: string): boolean => {
  const [a, b, c] = version.split('.').map(Number) as [number, number, number];
  return major !== a ? major > a : minor !== b ? minor > b : patch >= c;
};

describe(`@sentry/core ${SentryCore.SDK_VERSION}: what src/ imports by name exists`, () => {
  const imports = namedValueImports();
  it('finds the named imports (sanity: startInactiveSpan is one)', () => {
    expect(imports.has('startInactiveSpan')).toBe(true);
  });
  for (const [name, files] of imports) {
    it(`${name} (${files.join(', ')}) is exported, and is not a feature-detected export`, () => {
      expect(name in SentryCore).toBe(true);
      expect(FEATURE_DETECTED_EXPORTS[name]).toBeUndefined();
    });
  }
  for (const [name, since] of Object.entries(FEATURE_DETECTED_EXPORTS)) {
    it(`${name}: exported exactly from ${since} on`, () => {
      expect(typeof (SentryCore as Record<string, unknown>)[name] === 'function').toBe(atLeast(since));
    });
  }
});
