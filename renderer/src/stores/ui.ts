/**
 * Transient UI state that commands set and views react to: which dialog is open, which
 * input should take focus, whether the help overlay shows. Lets commands (keyboard,
 * buttons, Electron menu) stay free of DOM code.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';

export type Dialog =
  | { kind: 'create-node'; parent: string }
  | { kind: 'delete-node'; path: string }
  | { kind: 'new-lab' }
  | { kind: 'link-editor'; from: number | 'client'; to: number | 'client' }
  | { kind: 'import-subtree'; fileName: string; text: string }
  | { kind: 'import-cluster'; file: string };

export type FocusTarget = 'jump' | 'terminal' | 'node-editor' | 'tree';

export const useUiStore = defineStore('ui', () => {
  const dialog = shallowRef<Dialog | null>(null);
  const helpOpen = ref(false);
  /** Bumped to ask a view to focus; views watch their target's counter. */
  const focus = ref<Record<FocusTarget, number>>({ jump: 0, terminal: 0, 'node-editor': 0, tree: 0 });
  /** The node panel is in edit mode. */
  const editing = ref(false);

  function open(d: Dialog): void {
    dialog.value = d;
  }

  function close(): void {
    dialog.value = null;
  }

  function requestFocus(target: FocusTarget): void {
    focus.value = { ...focus.value, [target]: focus.value[target] + 1 };
  }

  return { dialog, helpOpen, focus, editing, open, close, requestFocus };
});
