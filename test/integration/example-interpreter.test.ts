import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'expression-interpreter');

interface FinishedSpan {
  id: string;
  parentId: string | undefined;
  name: string;
  op: string | undefined;
  status: string;
  attributes: Record<string, unknown>;
  start: number;
}

interface AppOutput {
  results: Array<{ source: string; value?: number | string; error?: string }>;
  spans: FinishedSpan[];
}

/** Runs the example app in its own Node process (the same Node that runs the tests). */
function runApp(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(EXAMPLE, 'app.ts'), ...args],
      { cwd: ROOT, timeout: 60_000, env: { ...process.env, NODE_OPTIONS: '' } },
      (error, stdout, stderr) => (error ? fail(new Error(`app failed: ${error.message}\n${stderr}`)) : done({ stdout, stderr })),
    );
  });
}

let output: AppOutput;
let spans: FinishedSpan[];

function only(predicate: (span: FinishedSpan) => boolean, what: string): FinishedSpan {
  const found = spans.filter(predicate);
  expect(found, what).toHaveLength(1);
  return found[0];
}

function childrenOf(span: FinishedSpan): FinishedSpan[] {
  return spans.filter((s) => s.parentId === span.id).sort((a, b) => a.start - b.start);
}

describe('examples/expression-interpreter', () => {
  beforeAll(async () => {
    const { stdout } = await runApp('--json');
    output = JSON.parse(stdout) as AppOutput;
    spans = output.spans;
  });

  it('app runs both programs: the promise one computes 16.75, the callback one fails with division by zero', () => {
    expect(output.results).toEqual([
      { source: 'sum(square(2), wait(1, avg(3, max(4, price("widget") * 2))))', value: 16.75 },
      { source: '1 / (2 - price("gadget"))', error: 'ExprError: division by zero' },
    ]);
  });

  it('app spans: one transaction root, every span ended exactly once, all in one tree', () => {
    expect(new Set(spans.map((s) => s.id)).size).toBe(spans.length);
    const roots = spans.filter((s) => s.parentId === undefined);
    expect(roots.map((r) => r.name)).toEqual(['price report']);
    const ids = new Set(spans.map((s) => s.id));
    for (const span of spans) if (span.parentId !== undefined) expect(ids.has(span.parentId)).toBe(true);
    // 2 runs × (run, parse, tokenize, evaluate) + 7 calls (sum, square, wait, avg, max, price; price)
    // + 2 `pricing rules` child spans + the root
    expect(spans).toHaveLength(8 + 7 + 2 + 1);
  });

  it('tracePromise run: run → parse → tokenize and run → evaluate, with the source and result recorded', () => {
    const root = only((s) => s.name === 'price report', 'root');
    const runs = childrenOf(root);
    expect(runs.map((r) => r.name)).toEqual(['exprlang.run', 'exprlang.run']);
    const [first] = runs;
    expect(first.status).toBe('ok');
    expect(first.attributes['exprlang.api']).toBe('promise');
    expect(first.attributes['exprlang.result']).toBe(16.75);
    expect(childrenOf(first).map((s) => s.name)).toEqual(['exprlang.parse', 'exprlang.evaluate']);
    const parse = childrenOf(first)[0];
    expect(childrenOf(parse).map((s) => s.name)).toEqual(['exprlang.tokenize']);
    expect(childrenOf(parse)[0].attributes['exprlang.token_count']).toBe(29);
  });

  it('tracePromise calls five deep: sum → wait → avg → max → price, each the child of the previous', () => {
    const evaluate = childrenOf(childrenOf(only((s) => s.name === 'price report', 'root'))[0])[1];
    expect(evaluate.name).toBe('exprlang.evaluate');
    const chain: FinishedSpan[] = [];
    let level = childrenOf(evaluate);
    while (level.length > 0) {
      const next = level.find((s) => s.op === 'exprlang.call' && s.name !== 'call square') ?? level[0];
      if (next.op !== 'exprlang.call') break;
      chain.push(next);
      level = childrenOf(next);
    }
    expect(chain.map((s) => s.attributes['exprlang.function'])).toEqual(['sum', 'wait', 'avg', 'max', 'price']);
    expect(chain.map((s) => s.attributes['exprlang.call.depth'])).toEqual([1, 2, 3, 4, 5]);
    expect(chain.map((s) => s.attributes['exprlang.builtin'])).toEqual([true, true, true, true, false]);
    expect(childrenOf(chain[0]).map((s) => s.name)).toEqual(['call square', 'call wait']);
    expect(chain[0].attributes['exprlang.result']).toBe(16.75);
  });

  it('enrichBoundSpan five calls deep inside price(): renames and tags the price call span, not the active child span', () => {
    const widget = only((s) => s.attributes['pricing.sku'] === 'widget', 'enriched widget span');
    expect(widget.name).toBe('price widget');
    expect(widget.op).toBe('exprlang.call');
    expect(widget.attributes).toMatchObject({
      'exprlang.function': 'price',
      'exprlang.call.depth': 5,
      'pricing.list_cents': 1250,
      'pricing.final_cents': 1125,
      'pricing.discounted': true,
      'exprlang.result': 11.25,
    });
    const rules = childrenOf(widget);
    expect(rules.map((s) => s.name)).toEqual(['pricing rules']);
    expect(Object.keys(rules[0].attributes).filter((k) => k.startsWith('pricing.'))).toEqual([]);
    expect(spans.filter((s) => s.name === 'call price')).toEqual([]);
  });

  it('traceCallback run that fails: run and evaluate spans carry the error, the enriched price gadget span succeeded', () => {
    const root = only((s) => s.name === 'price report', 'root');
    const second = childrenOf(root)[1];
    expect(second.attributes['exprlang.api']).toBe('callback');
    expect(second.status).toBe('error');
    expect(second.attributes['sentry.status.message']).toBe('division by zero');
    const [parse, evaluate] = childrenOf(second);
    expect(parse.name).toBe('exprlang.parse');
    expect(evaluate.name).toBe('exprlang.evaluate');
    expect(evaluate.status).toBe('error');
    const gadget = childrenOf(evaluate);
    expect(gadget.map((s) => s.name)).toEqual(['price gadget']);
    expect(gadget[0].status).toBe('ok');
    expect(gadget[0].attributes).toMatchObject({ 'pricing.sku': 'gadget', 'pricing.discounted': false, 'exprlang.call.depth': 1 });
  });

  it('app without --json: draws the tree with the enriched span under call max', async () => {
    const { stdout } = await runApp();
    expect(stdout).toContain('price report (app.report)');
    expect(stdout).toMatch(/└─ call max \(exprlang\.call\)[^\n]*\n[ │]*└─ price widget \(exprlang\.call\)/);
    expect(stdout).toContain('[error: division by zero]');
  });

  it('example library: imports only tracing-channel-span/publish, never Sentry or the core', () => {
    const libDir = join(EXAMPLE, 'lib');
    const files = readdirSync(libDir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    const imports = files.flatMap((file) =>
      [...readFileSync(join(libDir, file), 'utf8').matchAll(/^\s*import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]),
    );
    expect(imports.filter((spec) => spec.includes('sentry'))).toEqual([]);
    const outside = imports.filter((spec) => !spec.startsWith('./'));
    expect(new Set(outside)).toEqual(new Set(['../../../src/publish']));
  });
});
