/**
 * Shared measurements and colours of the timeline, so the live canvas and the exported
 * SVG look the same. Colours come in a light and a dark palette; the canvas picks the
 * one matching the theme, the SVG export uses the light one (it is read on paper and in
 * documents).
 */
import type { TimelineCategory } from './timeline-layout.js';

export const GEOMETRY = {
  /** Left gutter for the clock column. */
  gutter: 96,
  header: 40,
  laneWidth: 92,
  rowHeight: 22,
  labelGap: 16,
  dot: 4,
} as const;

export function laneX(lane: number): number {
  return GEOMETRY.gutter + lane * GEOMETRY.laneWidth + GEOMETRY.laneWidth / 2;
}

export function rowY(row: number): number {
  return GEOMETRY.header + row * GEOMETRY.rowHeight + GEOMETRY.rowHeight / 2;
}

export function labelX(laneCount: number): number {
  return GEOMETRY.gutter + laneCount * GEOMETRY.laneWidth + GEOMETRY.labelGap;
}

export interface TimelinePalette {
  background: string;
  text: string;
  muted: string;
  lane: string;
  cursor: string;
  category: Record<TimelineCategory, string>;
}

export const LIGHT_PALETTE: TimelinePalette = {
  background: '#ffffff',
  text: '#1d2230',
  muted: '#667085',
  lane: '#d0d5dd',
  cursor: '#7c3aed',
  category: {
    vote: '#7c3aed',
    election: '#9333ea',
    epoch: '#0e7490',
    sync: '#0891b2',
    proposal: '#2563eb',
    ack: '#16a34a',
    commit: '#b45309',
    session: '#be185d',
    watch: '#db2777',
    peer: '#64748b',
    role: '#475467',
    disk: '#94a3b8',
    action: '#dc2626',
    process: '#b91c1c',
    link: '#ea580c',
    quorum: '#0f766e',
    log: '#a16207',
  },
};

export const DARK_PALETTE: TimelinePalette = {
  background: '#14161c',
  text: '#e6e8ee',
  muted: '#98a2b3',
  lane: '#344054',
  cursor: '#c4b5fd',
  category: {
    vote: '#a78bfa',
    election: '#c084fc',
    epoch: '#22d3ee',
    sync: '#67e8f9',
    proposal: '#60a5fa',
    ack: '#4ade80',
    commit: '#fbbf24',
    session: '#f472b6',
    watch: '#f9a8d4',
    peer: '#94a3b8',
    role: '#cbd5e1',
    disk: '#64748b',
    action: '#f87171',
    process: '#fca5a5',
    link: '#fb923c',
    quorum: '#2dd4bf',
    log: '#facc15',
  },
};
