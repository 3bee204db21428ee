/**
 * The timeline as a standalone SVG document (Maelstrom's messages.svg idea): lanes,
 * arrows with heads, lab-wide marks and one label per row. Self-contained (inline
 * colours, system fonts) so it opens anywhere.
 */
import type { TimelineLayout } from './timeline-layout.js';
import { formatClock } from './format.js';
import { GEOMETRY, LIGHT_PALETTE, labelX, laneX, rowY, type TimelinePalette } from './timeline-geometry.js';

export interface SvgOptions {
  /** Draw rows [0, upToRow) only (the paused cursor); default all. */
  upToRow?: number;
  laneLabel(member: number): string;
  labLabel: string;
  palette?: TimelinePalette;
  /** Width of the label column. */
  labelWidth?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderTimelineSvg(layout: TimelineLayout, o: SvgOptions): string {
  const p = o.palette ?? LIGHT_PALETTE;
  const rows = layout.rows.slice(0, o.upToRow ?? layout.rows.length);
  const n = rows.length;
  const lanes = layout.lanes.length;
  const width = labelX(lanes) + (o.labelWidth ?? 520);
  const height = GEOMETRY.header + Math.max(1, n) * GEOMETRY.rowHeight + 16;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, Segoe UI, sans-serif" font-size="12">`);
  out.push(`<defs>${Object.entries(p.category).map(([c, col]) => `<marker id="h-${c}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="${col}"/></marker>`).join('')}</defs>`);
  out.push(`<rect width="100%" height="100%" fill="${p.background}"/>`);
  // Lanes and their headers.
  layout.lanes.forEach((m, i) => {
    const x = laneX(i);
    out.push(`<line x1="${x}" y1="${GEOMETRY.header - 8}" x2="${x}" y2="${height - 8}" stroke="${p.lane}" stroke-width="1.5"/>`);
    out.push(`<text x="${x}" y="${GEOMETRY.header - 16}" text-anchor="middle" font-weight="600" fill="${p.text}">${esc(o.laneLabel(m))}</text>`);
  });
  rows.forEach((r, i) => {
    const y = rowY(i);
    const col = p.category[r.category];
    out.push(`<text x="${GEOMETRY.gutter - 10}" y="${y + 4}" text-anchor="end" fill="${p.muted}" font-size="11">${formatClock(r.time)}</text>`);
    if (r.lane === null) {
      out.push(`<line x1="${GEOMETRY.gutter}" y1="${y}" x2="${labelX(lanes) - 6}" y2="${y}" stroke="${col}" stroke-width="1" stroke-dasharray="4 3"/>`);
      out.push(`<text x="${labelX(lanes)}" y="${y + 4}" fill="${col}" font-weight="600">${esc(`${o.labLabel}: ${r.label}`)}</text>`);
    } else {
      out.push(`<circle cx="${laneX(r.lane)}" cy="${y}" r="${GEOMETRY.dot}" fill="${col}"/>`);
      out.push(`<text x="${labelX(lanes)}" y="${y + 4}" fill="${p.text}"><tspan fill="${col}">■</tspan> ${esc(`${r.member}: ${r.label}`)}</text>`);
    }
  });
  for (const a of layout.arrows) {
    if (a.from >= n || a.to >= n) continue;
    const col = p.category[a.category];
    out.push(`<line x1="${laneX(a.fromLane)}" y1="${rowY(a.from)}" x2="${laneX(a.toLane)}" y2="${rowY(a.to)}" stroke="${col}" stroke-width="1.3" marker-end="url(#h-${a.category})" opacity="0.85"/>`);
  }
  out.push('</svg>');
  return out.join('\n');
}
