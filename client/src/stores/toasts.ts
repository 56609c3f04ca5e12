import { defineStore } from 'pinia';
import { ref } from 'vue';
import { errorMessage } from '../api';

export interface Toast {
  id: number;
  message: string;
  kind: 'error' | 'info';
}

const LIFETIME_MS = 8000;

/** Errors from actions that have no form to show them next to (row buttons, toggles). */
export const useToasts = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([]);
  let nextId = 1;

  function dismiss(id: number) {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  function push(message: string, kind: Toast['kind'] = 'info') {
    const id = nextId++;
    toasts.value = [...toasts.value.slice(-3), { id, message, kind }];
    setTimeout(() => dismiss(id), LIFETIME_MS);
  }

  function error(err: unknown, prefix?: string) {
    push(prefix ? `${prefix}: ${errorMessage(err)}` : errorMessage(err), 'error');
  }

  return { toasts, push, error, dismiss };
});
