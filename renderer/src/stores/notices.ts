/**
 * What the user is told: toasts for outcomes and errors (each error says what failed, the
 * lab's own sentence, and what to try), and confirmation requests for destructive
 * actions. Texts are message keys, worded by the components in the current language.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { MessageKey, Params } from '../i18n/translate.js';
import { LabCommandError, toLabError } from '../lab-client/errors.js';

export interface Message {
  key: MessageKey;
  params?: Params;
}

export interface Notice {
  id: number;
  kind: 'error' | 'success' | 'info';
  title: Message;
  /** Verbatim detail from the lab (its LabError sentence), when there is one. */
  detail?: string;
  /** What to try next. */
  hint?: Message;
  /** The lab command that failed and its error code, for reports. */
  command?: string;
  code?: string;
  /** A place to go next (e.g. the URL of a lab imported beside this one); such a notice stays until dismissed. */
  link?: { href: string; label: Message };
}

export interface ConfirmRequest {
  title: Message;
  body: Message;
  /** Extra lines (e.g. the paths a delete removes). */
  details?: string[];
  confirm: Message;
  danger: boolean;
}

interface PendingConfirm extends ConfirmRequest {
  resolve: (ok: boolean) => void;
}

/** Hints for well-known error codes; anything else relies on the lab's own sentence. */
const HINTS: Record<string, MessageKey> = {
  disconnected: 'errors.hint.disconnected',
  'no-lab': 'errors.hint.noLab',
  'not-implemented': 'errors.hint.notImplemented',
  'connect-failed': 'errors.hint.connectFailed',
  'no-such-mirror': 'errors.hint.reopenTree',
  refused: 'errors.hint.refused',
  busy: 'learn.hint.busy',
  'not-waiting': 'learn.hint.notWaiting',
};

const MAX_NOTICES = 6;

export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<Notice[]>([]);
  const pendingConfirm = shallowRef<PendingConfirm | null>(null);
  let nextId = 1;

  function push(n: Omit<Notice, 'id'>): number {
    const id = nextId++;
    notices.value = [...notices.value, { ...n, id }].slice(-MAX_NOTICES);
    return id;
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((n) => n.id !== id);
  }

  function success(title: Message, detail?: string, link?: Notice['link']): number {
    return push({ kind: 'success', title, ...(detail ? { detail } : {}), ...(link ? { link } : {}) });
  }

  function info(title: Message, detail?: string): number {
    return push({ kind: 'info', title, ...(detail ? { detail } : {}) });
  }

  /** `what` says what failed ("Could not kill member 2"); the error supplies why. */
  function error(what: Message, e: unknown, hint?: Message): number {
    const err = e instanceof LabCommandError ? e : toLabError(e);
    const code = err.code;
    const known = HINTS[code];
    return push({
      kind: 'error',
      title: what,
      detail: err.message,
      ...(hint ? { hint } : known ? { hint: { key: known } } : {}),
      ...(e instanceof LabCommandError ? { command: e.command } : {}),
      code,
    });
  }

  /** Asks the user; resolves true when confirmed. A second request cancels the first. */
  function confirm(request: ConfirmRequest): Promise<boolean> {
    pendingConfirm.value?.resolve(false);
    return new Promise((resolve) => {
      pendingConfirm.value = { ...request, resolve };
    });
  }

  function answer(ok: boolean): void {
    const p = pendingConfirm.value;
    pendingConfirm.value = null;
    p?.resolve(ok);
  }

  return { notices, pendingConfirm, push, dismiss, success, info, error, confirm, answer };
});
