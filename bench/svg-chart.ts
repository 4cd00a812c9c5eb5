/**
 * A hand-written SVG chart of the results (no dependencies): one panel per strategy and trace
 * kind, grouped bars per Node version: the courier overhead (`courier − no-subscribers`), the
 * anchor's (`anchor-courier − no-subscribers`) and the als-floor overhead, medians over runs.
 * Negative values (noise) are drawn as zero-height bars and labelled.
 */
import { TRACE_KINDS } from './cases';
import { compareVersions } from './results-model';
import type { OverheadRow, Results } from './results-model';
import type { StrategyName } from './strategy-setup';

const SERIES = [
  { key: 'courierNs', label: 'courier (ours) − no-subscribers', color: '#2f6fdb' },
  { key: 'anchorCourierNs', label: 'anchor-courier (@sentry/server-utils) − no-subscribers', color: '#e07b28' },
  { key: 'alsNs', label: 'als-floor − no-subscribers', color: '#8a8a8a' },
] as const;

function value(row: OverheadRow | undefined, key: (typeof SERIES)[number]['key']): number | null {
  return row?.[key]?.median ?? null;
}

const PANEL_W = 330;
const PANEL_H = 220;
const MARGIN = { top: 34, right: 10, bottom: 40, left: 52 };
const HEADER_H = 64;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function niceMax(value: number): number {
  if (!(value > 0)) return 1000;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * exp >= value) return m * exp;
  return 10 * exp;
}

function label(ns: number): string {
  if (Math.abs(ns) >= 1000) return `${(ns / 1000).toFixed(Math.abs(ns) >= 10_000 ? 0 : 1)}µs`;
  return `${Math.round(ns)}ns`;
}

function panel(x0: number, y0: number, title: string, versions: string[], rows: OverheadRow[]): string[] {
  const parts: string[] = [];
  const w = PANEL_W - MARGIN.left - MARGIN.right;
  const h = PANEL_H - MARGIN.top - MARGIN.bottom;
  const left = x0 + MARGIN.left;
  const top = y0 + MARGIN.top;
  let max = 0;
  for (const row of rows) for (const s of SERIES) max = Math.max(max, value(row, s.key) ?? 0);
  const yMax = niceMax(max);
  const y = (v: number) => top + h - (Math.max(0, v) / yMax) * h;
  parts.push(`<text x="${x0 + PANEL_W / 2}" y="${y0 + 20}" text-anchor="middle" class="title">${escapeXml(title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${left}" x2="${left + w}" y1="${yy}" y2="${yy}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${(Number(yy) + 4).toFixed(1)}" text-anchor="end" class="tick">${label(v)}</text>`);
  }
  const groupW = w / Math.max(1, versions.length);
  const barW = Math.min(18, (groupW - 8) / SERIES.length);
  versions.forEach((version, gi) => {
    const row = rows.find((r) => r.node === version);
    const gx = left + gi * groupW + (groupW - barW * SERIES.length) / 2;
    SERIES.forEach((s, si) => {
      const v = value(row, s.key);
      const bx = (gx + si * barW).toFixed(1);
      if (v === null) return;
      const by = y(v);
      const bh = Math.max(0, top + h - by);
      parts.push(
        `<rect x="${bx}" y="${by.toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${bh.toFixed(1)}" fill="${s.color}"><title>${escapeXml(`node ${version} ${s.label}: ${label(v)}`)}</title></rect>`,
      );
      if (v <= 0) parts.push(`<text x="${(Number(bx) + barW / 2).toFixed(1)}" y="${(top + h - 3).toFixed(1)}" text-anchor="middle" class="neg">≤0</text>`);
    });
    parts.push(`<text x="${(left + gi * groupW + groupW / 2).toFixed(1)}" y="${top + h + 16}" text-anchor="middle" class="tick">${escapeXml(version)}</text>`);
  });
  parts.push(`<line x1="${left}" x2="${left + w}" y1="${top + h}" y2="${top + h}" class="axis"/>`);
  return parts;
}

/** The SVG chart of a results file. */
export function renderSvg(results: Results): string {
  const versions = [...new Set(results.overhead.map((o) => o.node))].sort(compareVersions);
  const strategies = [...new Set(results.overhead.map((o) => o.strategy))] as StrategyName[];
  const width = PANEL_W * TRACE_KINDS.length + 20;
  const height = HEADER_H + PANEL_H * Math.max(1, strategies.length) + 10;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif">`);
  parts.push(
    '<style>.title{font-size:13px;font-weight:600;fill:#222}.tick{font-size:10px;fill:#555}.neg{font-size:8px;fill:#a00}.grid{stroke:#e4e4e4;stroke-width:1}.axis{stroke:#999;stroke-width:1}.legend{font-size:11px;fill:#333}.head{font-size:14px;font-weight:700;fill:#111}</style>',
  );
  parts.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  parts.push(`<text x="10" y="20" class="head">Courier overhead per call (span cost taken out), CPU ns, median over runs (lower is better)</text>`);
  SERIES.forEach((s, i) => {
    const x = 10 + i * 330;
    parts.push(`<rect x="${x}" y="34" width="12" height="12" fill="${s.color}"/>`);
    parts.push(`<text x="${x + 17}" y="44" class="legend">${escapeXml(s.label)}</text>`);
  });
  strategies.forEach((strategy, ri) => {
    TRACE_KINDS.forEach((kind, ci) => {
      const rows = results.overhead.filter((o) => o.strategy === strategy && o.kind === kind);
      parts.push(...panel(10 + ci * PANEL_W, HEADER_H + ri * PANEL_H, `${strategy} · ${kind}`, versions, rows));
    });
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
