/**
 * One xterm.js terminal bound to one lab shell: keystrokes go out as `shell.input`,
 * output comes in through the terminals store (and is acknowledged once xterm.js has
 * written it, for flow control), size follows the element (FitAddon) and is sent as
 * `shell.resize`. The xterm instance lives here, never in Pinia (style.md B7).
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal, type ITheme } from '@xterm/xterm';
import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import { useTerminalsStore } from '../stores/terminals.js';
import { usePreferencesStore } from '../stores/preferences.js';

function themeFromCss(): ITheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    background: v('--terminal-bg'),
    foreground: v('--terminal-fg'),
    cursor: v('--accent'),
    cursorAccent: v('--terminal-bg'),
    selectionBackground: v('--bg-selected'),
  };
}

export function useTerminal(el: Ref<HTMLElement | null>, shellId: () => string, active: () => boolean) {
  const terminals = useTerminalsStore();
  const prefs = usePreferencesStore();
  let term: Terminal | null = null;
  let fit: FitAddon | null = null;
  let detach: (() => void) | null = null;
  let resizeObserver: ResizeObserver | null = null;
  let lastSize = '';

  const refit = () => {
    if (!term || !fit || !el.value || el.value.offsetParent === null) return;
    fit.fit();
    const size = `${term.cols}x${term.rows}`;
    if (size !== lastSize) {
      lastSize = size;
      void terminals.resize(shellId(), term.cols, term.rows).catch(() => {});
    }
  };

  onMounted(() => {
    if (!el.value) return;
    term = new Terminal({
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || 'monospace',
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5000,
      // The lab's shell writes \n line ends in places (it also drives plain pipes); xterm needs \r\n.
      convertEol: true,
      theme: themeFromCss(),
      allowProposedApi: false,
    });
    fit = new FitAddon();
    term.loadAddon(fit);
    term.open(el.value);
    term.onData((data) => void terminals.input(shellId(), data).catch(() => {}));
    // xterm.js calls back once it has parsed the data: that is when it counts as written (flow control).
    detach = terminals.attach(shellId(), (data, written) => (term ? term.write(data, written) : written()));
    resizeObserver = new ResizeObserver(() => refit());
    resizeObserver.observe(el.value);
    refit();
    if (active()) term.focus();
  });

  watch(active, (on) => {
    if (on) {
      requestAnimationFrame(() => {
        refit();
        term?.focus();
      });
    }
  });
  // Theme switches repaint the terminal with the new palette.
  watch(
    () => prefs.theme,
    () => requestAnimationFrame(() => term && (term.options.theme = themeFromCss())),
  );

  onBeforeUnmount(() => {
    detach?.();
    resizeObserver?.disconnect();
    term?.dispose();
    term = null;
  });

  return {
    focus: () => term?.focus(),
    refit,
    /** The visible text (for tests and copy), newest line last. */
    text: () => {
      if (!term) return '';
      const buf = term.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '');
      return lines.join('\n');
    },
  };
}
