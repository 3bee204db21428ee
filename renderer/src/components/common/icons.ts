/** Icon names and their paths (24-unit grid, stroked), used by AppIcon.vue. */
export type IconName =
  | 'kill' | 'pause' | 'play' | 'restart' | 'wipe' | 'stop' | 'plus' | 'trash' | 'copy' | 'help' | 'sun' | 'moon'
  | 'monitor' | 'terminal' | 'chevron-right' | 'chevron-down' | 'search' | 'download' | 'upload' | 'close'
  | 'crown' | 'cut' | 'heal' | 'clock' | 'refresh' | 'alert' | 'check' | 'edit' | 'step-back' | 'step-forward'
  | 'network' | 'layers' | 'globe' | 'book' | 'shield' | 'record' | 'pointer';

export const PATHS: Record<IconName, string[]> = {
  kill: ['M7 3h10l4 4v10l-4 4H7l-4-4V7z', 'M9 9l6 6', 'M15 9l-6 6'],
  pause: ['M8 5v14', 'M16 5v14'],
  play: ['M7 4l13 8-13 8z'],
  restart: ['M4 12a8 8 0 1 0 2.4-5.7', 'M4 4v5h5'],
  wipe: ['M16 3l5 5-11 11H5v-5z', 'M11 8l5 5', 'M5 21h14'],
  stop: ['M6 6h12v12H6z'],
  plus: ['M12 5v14', 'M5 12h14'],
  trash: ['M4 7h16', 'M9 7V4h6v3', 'M6 7l1 13h10l1-13', 'M10 11v6', 'M14 11v6'],
  copy: ['M9 9h11v11H9z', 'M5 15H4V4h11v1'],
  help: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14', 'M12 17.5v.5'],
  sun: ['M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8z', 'M12 2v2', 'M12 20v2', 'M4.9 4.9l1.4 1.4', 'M17.7 17.7l1.4 1.4', 'M2 12h2', 'M20 12h2', 'M4.9 19.1l1.4-1.4', 'M17.7 6.3l1.4-1.4'],
  moon: ['M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z'],
  monitor: ['M3 4h18v12H3z', 'M8 20h8', 'M12 16v4'],
  terminal: ['M4 5h16v14H4z', 'M7 9l3 3-3 3', 'M12 15h5'],
  'chevron-right': ['M9 6l6 6-6 6'],
  'chevron-down': ['M6 9l6 6 6-6'],
  search: ['M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14z', 'M20 20l-4-4'],
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M5 20h14'],
  upload: ['M12 20V9', 'M7 14l5-5 5 5', 'M5 4h14'],
  close: ['M6 6l12 12', 'M18 6L6 18'],
  crown: ['M3 8l4.5 4L12 5l4.5 7L21 8l-2 11H5z'],
  cut: ['M6 8a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z', 'M6 21a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z', 'M8 7l12 10', 'M8 17l12-10'],
  heal: ['M10 3h4v7h7v4h-7v7h-4v-7H3v-4h7z'],
  clock: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M12 7v5l3 2'],
  refresh: ['M20 12a8 8 0 1 1-2.4-5.7', 'M20 4v5h-5'],
  alert: ['M12 3l10 18H2z', 'M12 10v5', 'M12 18v.5'],
  check: ['M5 12l5 5L20 7'],
  edit: ['M4 20h4L19 9l-4-4L4 16z', 'M14 6l4 4'],
  'step-back': ['M6 5v14', 'M19 5L9 12l10 7z'],
  'step-forward': ['M18 5v14', 'M5 5l10 7-10 7z'],
  network: ['M12 5a2 2 0 1 0 0-.01', 'M5 19a2 2 0 1 0 0-.01', 'M19 19a2 2 0 1 0 0-.01', 'M11 7l-5 10', 'M13 7l5 10', 'M7 19h10'],
  layers: ['M12 3l9 5-9 5-9-5z', 'M3 13l9 5 9-5'],
  globe: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', 'M3 12h18', 'M12 3c3 3 3 15 0 18', 'M12 3c-3 3-3 15 0 18'],
  book: ['M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2z', 'M4 19V5', 'M8 7h7'],
  shield: ['M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6z', 'M8.5 12l2.5 2.5 4.5-5'],
  record: ['M12 18a6 6 0 1 0 0-12 6 6 0 0 0 0 12z'],
  pointer: ['M5 12h12', 'M13 7l5 5-5 5'],
};
