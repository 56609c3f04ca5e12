// The screens' languages: one vue-i18n instance (Composition API), the catalogues beside it.
//
// Which language a screen shows, strongest first:
//   1. the user's own choice (the picker on /join and on staff), kept in localStorage;
//   2. a ticket's language while its page is open (`setPageLocale`, not stored: the party chose it on /join);
//   3. the café's default language (`setDefaultLocale`, called by the café settings store);
//   4. English until the café says otherwise — not navigator.language: the TV and the staff
//      tablets must show what the café chose, and the browser tests expect English.
//
// English is in the bundle; German and Spanish are chunks of their own, loaded when first
// needed (the TV's bundle has a size budget: client/scripts/report-sizes.mjs).
import { createI18n } from 'vue-i18n';
import en, { type Messages } from './en';

export const LANGUAGES = ['en', 'de', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the pickers. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch', es: 'Español' };

export const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);

const STORAGE_KEY = 'meeple-queue.language';

/** What this module uses of a browser; absent under Node (tests/client load it without a DOM). */
interface BrowserParts {
  localStorage?: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  document?: { documentElement: { lang: string } };
}
const browser = globalThis as unknown as BrowserParts;

function storedChoice(): Language | null {
  try {
    const value = browser.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

let cafeDefault: Language = 'en';
let pageLanguage: Language | null = null;

export const i18n = createI18n<[Messages], Language, false>({
  legacy: false,
  globalInjection: true,
  locale: 'en',
  fallbackLocale: 'en',
  messages: { en } as Record<Language, Messages>,
  // A missing key is a defect the catalogue test catches; at run time English stands in quietly.
  missingWarn: false,
  fallbackWarn: false,
});

const catalogues: Record<Exclude<Language, 'en'>, () => Promise<{ default: Messages }>> = {
  de: () => import('./de'),
  es: () => import('./es'),
};
const loaded = new Set<Language>(['en']);

async function load(lang: Language): Promise<void> {
  if (loaded.has(lang) || lang === 'en') return;
  const { default: messages } = await catalogues[lang]();
  i18n.global.setLocaleMessage(lang, messages);
  loaded.add(lang);
}

const wanted = (): Language => storedChoice() ?? pageLanguage ?? cafeDefault;

/**
 * Switches to the language that should show now, once its catalogue is in. When a catalogue
 * cannot be fetched (offline), the screen stays in the language it has and the failure is
 * reported on the console; the next change tries again.
 */
async function apply(): Promise<void> {
  const next = wanted();
  try {
    await load(next);
  } catch (err) {
    console.warn(`Could not load the ${next} catalogue`, err);
    return;
  }
  // A later call may have asked for another language while this one loaded.
  if (wanted() !== next) return;
  i18n.global.locale.value = next;
  if (browser.document) browser.document.documentElement.lang = next;
}

/** The active language (reactive: a computed or a template reading it follows changes). */
export function currentLocale(): Language {
  return i18n.global.locale.value as Language;
}

/** The user picked a language: it is kept on this device and wins over every default. */
export function setLocale(lang: Language): Promise<void> {
  try {
    browser.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode without storage: the choice still holds until the page is closed.
    pageLanguage = lang;
  }
  return apply();
}

/** The user's own choice, if any (the pickers show it). */
export function chosenLocale(): Language | null {
  return storedChoice();
}

/** The café's default language: applies wherever the user made no choice. */
export function setDefaultLocale(lang: Language): Promise<void> {
  cafeDefault = lang;
  return apply();
}

/** A page whose content has a language of its own (a ticket): it applies while no choice is stored. */
export function setPageLocale(lang: Language | null): Promise<void> {
  pageLanguage = lang;
  return apply();
}

/** Resolves once the language this device should show is loaded (main.ts mounts after it). */
export const i18nReady: Promise<void> = apply();
