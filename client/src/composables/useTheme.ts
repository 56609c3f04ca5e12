import { computed, getCurrentScope, onScopeDispose, ref, watch } from 'vue';

export type ThemeChoice = 'device' | 'light' | 'dark';
export const THEME_KEY = 'meeple.staffTheme';
const CHOICES: readonly ThemeChoice[] = ['device', 'light', 'dark'];

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return CHOICES.includes(value as ThemeChoice) ? (value as ThemeChoice) : 'device';
  } catch {
    return 'device';
  }
}

/**
 * The staff screens' light or dark theme: the device's (prefers-color-scheme) unless someone
 * picked one on this browser (kept in localStorage). Sets `data-theme` on the page root while
 * the calling component is mounted; styles.css holds the colours of both.
 */
export function useTheme() {
  const choice = ref<ThemeChoice>(stored());
  const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  const deviceDark = ref(media?.matches ?? false);
  const follow = (event: MediaQueryListEvent) => {
    deviceDark.value = event.matches;
  };
  media?.addEventListener('change', follow);
  const theme = computed<'light' | 'dark'>(() => (choice.value === 'device' ? (deviceDark.value ? 'dark' : 'light') : choice.value));

  const root = document.documentElement;
  const apply = (value: 'light' | 'dark') => {
    root.dataset.theme = value;
  };
  const stopWatching = watch(theme, apply, { immediate: true });

  function choose(next: ThemeChoice) {
    choice.value = next;
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // Private mode: the choice holds for this page only.
    }
  }

  if (getCurrentScope()) {
    onScopeDispose(() => {
      stopWatching();
      media?.removeEventListener('change', follow);
      delete root.dataset.theme;
    });
  }
  return { choice, theme, choose };
}
