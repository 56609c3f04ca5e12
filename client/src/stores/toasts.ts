import { defineStore } from 'pinia';
import { ref } from 'vue';
import { errorMessage } from '../api';

export interface Toast {
  id: number;
  message: string;
  kind: 'error' | 'info';
  /** a button on the toast that takes the action back (the toast stays UNDO_LIFETIME_MS) */
  undo?: () => Promise<void>;
}

const LIFETIME_MS = 8000;
/** Long enough to notice a mis-tap and reach the button: at least ten seconds. */
export const UNDO_LIFETIME_MS = 15_000;

/** Errors from actions that have no form to show them next to (row buttons, toggles). */
export const useToasts = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let nextId = 1;

  function dismiss(id: number) {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  function push(message: string, kind: Toast['kind'] = 'info', undo?: Toast['undo']) {
    const id = nextId++;
    toasts.value = [...toasts.value.slice(-3), { id, message, kind, undo }];
    setTimeout(() => dismiss(id), undo ? UNDO_LIFETIME_MS : LIFETIME_MS);
  }

  /** A done action with an Undo button; pressing it dismisses the toast and runs `undo`. */
  function pushUndo(message: string, undo: () => Promise<void>) {
    push(message, 'info', undo);
  }

  function error(err: unknown, prefix?: string) {
    push(prefix ? `${prefix}: ${errorMessage(err)}` : errorMessage(err), 'error');
  }

  return { toasts, push, pushUndo, error, dismiss };
});
