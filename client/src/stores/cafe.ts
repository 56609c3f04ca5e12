import { defineStore } from 'pinia';
import { computed, effectScope, shallowRef, watch, type EffectScope } from 'vue';
import { api, type Cafe, type CafeServerEvents } from '../api';
import { useSocket, type LiveValue } from '../composables/useSocket';
import { setDefaultLocale } from '../i18n';
import { setDisplayTimeZone } from '../lib/format';

/** Until the server answers (and if it never does): the look the app always had. */
export const DEFAULT_CAFE: Cafe = {
  name: 'Meeple Queue',
  logoUrl: null,
  accent: '#2348b5',
  publicUrl: null,
  timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  language: 'en',
  version: -1,
};

const ZONE_KEY = 'meeple-queue.cafe-time-zone';

function rememberedZone(): string | null {
  try {
    return localStorage.getItem(ZONE_KEY);
  } catch {
    return null;
  }
}

function rememberZone(zone: string): void {
  try {
    localStorage.setItem(ZONE_KEY, zone);
  } catch {
    // Storage full or disabled: offline, times show in the device's zone.
  }
}

/**
 * The café's identity (name, logo, accent, public address, time zone, default language) as
 * every screen shows it: read once over HTTP, then kept live on the public `/cafe` namespace,
 * so an admin's change reaches open boards, phones and tablets without a reload. App.vue
 * starts it once and puts the accent on the page root.
 */
export const useCafe = defineStore('cafe', () => {
  const feed = shallowRef<{ scope: EffectScope; cafe: LiveValue<Cafe> } | null>(null);
  const live = computed(() => feed.value?.cafe.value.value ?? null);
  const cafe = computed<Readonly<Cafe>>(() => live.value ?? DEFAULT_CAFE);

  /** Where phones reach the queue: the café's public address, else the one this screen was opened at. */
  const origin = computed(() => cafe.value.publicUrl ?? location.origin);

  function start() {
    if (feed.value) return;
    const scope = effectScope(true);
    const next = scope.run(() => ({ scope, cafe: useSocket<CafeServerEvents>('/cafe').value<Cafe>({ cafe: (payload) => payload }) }));
    if (!next) return;
    feed.value = next;
    // Screens where nobody picked a language follow the café's default, at once when an admin changes it.
    scope.run(() =>
      watch(
        () => live.value?.language,
        (lang) => {
          if (lang) void setDefaultLocale(lang);
        },
        { immediate: true },
      ),
    );
    // Every clock and time of day on every screen is the café's (lib/format.ts), whatever zone the
    // device is set to; a ticket opened offline uses the zone this device last heard.
    scope.run(() =>
      watch(
        () => live.value?.timeZone ?? null,
        (zone) => {
          if (zone) rememberZone(zone);
          setDisplayTimeZone(zone ?? rememberedZone());
        },
        { immediate: true },
      ),
    );
    api.cafe
      .get()
      .then((body) => next.cafe.seed(body, body.version))
      .catch(() => {
        // The socket sends the identity on connect; until one of them arrives the screens keep the defaults.
      });
  }

  function stop() {
    feed.value?.scope.stop();
    feed.value = null;
    setDisplayTimeZone(null);
  }

  return {
    cafe,
    name: computed(() => cafe.value.name),
    logoUrl: computed(() => cafe.value.logoUrl),
    accent: computed(() => cafe.value.accent),
    timeZone: computed(() => cafe.value.timeZone),
    /** The café's default language; the i18n module (client/src/i18n) follows it (setDefaultLocale). */
    language: computed(() => cafe.value.language),
    ready: computed(() => live.value !== null),
    origin,
    joinUrl: computed(() => `${origin.value}/join`),
    start,
    stop,
  };
});
