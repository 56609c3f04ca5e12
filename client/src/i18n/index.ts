// The screens' languages: one vue-i18n instance (Composition API), the catalogues beside it.
//
// Which language a screen shows, strongest first:
//   1. the user's own choice (the picker on /join and on staff), kept in localStorage;
//   2. a ticket's language while its page is open (`useLocaleFor`, not stored: the party chose it on /join);
//   3. the café's default language (`setDefaultLocale`, called by the café settings store);
//   4. English until the café says otherwise — not navigator.language: the TV and the staff
//      tablets must show what the café chose, and the browser tests expect English.
import { createI18n } from 'vue-i18n';
import en from './en';
import de from './de';
import es from './es';

export const LANGUAGES = ['en', 'de', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself, for the pickers. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch', es: 'Español' };

export const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);

const STORAGE_KEY = 'meeple-queue.language';

function storedChoice(): Language | null {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

let cafeDefault: Language = 'en';
let pageLanguage: Language | null = null;

export const i18n = createI18n({
  legacy: false,
  globalInjection: true,
  locale: storedChoice() ?? cafeDefault,
  fallbackLocale: 'en',
  messages: { en, de, es },
  // A missing key is a defect the catalogue test catches; at run time English stands in quietly.
  missingWarn: false,
  fallbackWarn: false,
});

function apply(): void {
  const next = storedChoice() ?? pageLanguage ?? cafeDefault;
  i18n.global.locale.value = next;
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** The active language (reactive: a computed or a template reading it follows changes). */
export function currentLocale(): Language {
  return i18n.global.locale.value as Language;
}

/** The user picked a language: it is kept on this device and wins over every default. */
export function setLocale(lang: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode without storage: the choice still holds until the page is closed.
    pageLanguage = lang;
  }
  apply();
}

/** The user's own choice, if any (the pickers show it). */
export function chosenLocale(): Language | null {
  return storedChoice();
}

/** The café's default language: applies wherever the user made no choice. */
export function setDefaultLocale(lang: Language): void {
  cafeDefault = lang;
  apply();
}

/** A page whose content has a language of its own (a ticket): it applies while no choice is stored. */
export function setPageLocale(lang: Language | null): void {
  pageLanguage = lang;
  apply();
}

apply();
