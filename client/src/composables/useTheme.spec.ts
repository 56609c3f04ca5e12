import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { effectScope } from 'vue';
import { THEME_KEY, useTheme } from './useTheme';

/** A device whose colour scheme the spec can flip, as the OS would at dusk. */
function deviceScheme(dark: boolean) {
  const listeners = new Set<(event: { matches: boolean }) => void>();
  const media = {
    matches: dark,
    addEventListener: (_: string, listener: (event: { matches: boolean }) => void) => listeners.add(listener),
    removeEventListener: (_: string, listener: (event: { matches: boolean }) => void) => listeners.delete(listener),
  };
  globalThis.matchMedia = (() => media) as unknown as typeof matchMedia;
  return {
    set(next: boolean) {
      media.matches = next;
      for (const listener of listeners) listener({ matches: next });
    },
  };
}

const theme = () => document.documentElement.dataset.theme;

beforeEach(() => localStorage.clear());
afterEach(() => {
  delete (globalThis as { matchMedia?: unknown }).matchMedia;
});

describe('the staff theme', () => {
  test('follows the device until someone picks one, then keeps the pick in this browser', async () => {
    const device = deviceScheme(true);
    const scope = effectScope();
    const handle = scope.run(() => useTheme())!;
    expect(theme()).toBe('dark');
    device.set(false);
    await Promise.resolve();
    expect(theme()).toBe('light');
    handle.choose('dark');
    await Promise.resolve();
    expect(theme()).toBe('dark');
    expect(localStorage.getItem(THEME_KEY)).toBe('dark');
    scope.stop();
    // Leaving the staff screens leaves the customer screens their own look.
    expect(theme()).toBeUndefined();

    const again = effectScope();
    again.run(() => useTheme());
    expect(theme()).toBe('dark');
    again.stop();
  });

  test('a stored value it does not know means "as the device"', () => {
    deviceScheme(false);
    localStorage.setItem(THEME_KEY, 'purple');
    const scope = effectScope();
    expect(scope.run(() => useTheme())!.choice.value).toBe('device');
    expect(theme()).toBe('light');
    scope.stop();
  });
});
