/**
 * Keyboard shortcut specs such as `Shift+K`, `Alt+1`, `?`, `Delete`: parsed once, matched
 * against key events, and shown in the help overlay. Letters and digits match on the
 * physical key (`event.code`) so Alt and Shift combinations work on every layout and on
 * macOS (where Alt+letter types a symbol); other keys match on `event.key`.
 */

export interface KeyLike {
  key: string;
  code: string;
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

export interface Shortcut {
  spec: string;
  key: string;
  shift: boolean;
  alt: boolean;
  /** Ctrl on Linux/Windows, Cmd on macOS. */
  mod: boolean;
}

export function parseShortcut(spec: string): Shortcut {
  const parts = spec.split('+');
  // `Shift++` would be odd; a lone "+" key is written "Plus".
  const key = parts.pop()!;
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  for (const m of mods) if (m !== 'shift' && m !== 'alt' && m !== 'mod') throw new Error(`unknown modifier ${m} in ${spec}`);
  return { spec, key: key === 'Plus' ? '+' : key, shift: mods.has('shift'), alt: mods.has('alt'), mod: mods.has('mod') };
}

function codeFor(key: string): string | null {
  if (/^[a-z]$/i.test(key)) return `Key${key.toUpperCase()}`;
  if (/^[0-9]$/.test(key)) return `Digit${key}`;
  return null;
}

export function matches(s: Shortcut, e: KeyLike): boolean {
  const mod = e.ctrlKey || e.metaKey;
  if (mod !== s.mod || e.altKey !== s.alt) return false;
  const code = codeFor(s.key);
  if (code !== null) return e.code === code && e.shiftKey === s.shift;
  // Punctuation such as `?` needs Shift on most layouts: compare the produced character only.
  if (s.key.length === 1) return e.key === s.key;
  return e.key === s.key && e.shiftKey === s.shift;
}

/** Parts to draw as key caps, e.g. ['Shift', 'K']; `Mod` shows as ⌘ on macOS, Ctrl elsewhere. */
export function keyCaps(s: Shortcut, mac: boolean): string[] {
  const caps: string[] = [];
  if (s.mod) caps.push(mac ? '⌘' : 'Ctrl');
  if (s.alt) caps.push(mac ? '⌥' : 'Alt');
  if (s.shift) caps.push(mac ? '⇧' : 'Shift');
  caps.push(s.key === ' ' ? 'Space' : s.key.length === 1 ? s.key.toUpperCase() : s.key);
  return caps;
}

/** Whether a key event comes from somewhere that owns the keyboard (text fields, the terminal). */
export function isTypingTarget(target: { tagName?: string; isContentEditable?: boolean; closest?: (sel: string) => unknown } | null): boolean {
  if (!target) return false;
  const tag = (target.tagName ?? '').toLowerCase();
  if (tag === 'input' || tag === 'textarea' || tag === 'select' || target.isContentEditable) return true;
  return !!target.closest?.('[data-keyboard-owner]');
}
