import { getCurrentScope, onScopeDispose, readonly, ref } from 'vue';

/** A clock that ticks every `intervalMs`, for "waited" columns and hold countdowns. */
export function useNow(intervalMs = 15_000) {
  const now = ref(Date.now());
  const timer = setInterval(() => {
    now.value = Date.now();
  }, intervalMs);
  if (getCurrentScope()) onScopeDispose(() => clearInterval(timer));
  return readonly(now);
}
