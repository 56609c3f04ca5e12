import { z } from '../http/zod';

/** The languages the screens and the party's messages come in (client/src/i18n has the catalogues). */
export const LANGUAGES = ['en', 'de', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The café's default language until an admin picks another (server/settings/identity.ts); a party that chose none gets the café's. */
export const DEFAULT_LANGUAGE: Language = 'en';

export const LanguageSchema = z.enum(LANGUAGES, 'One of en, de, es').openapi('Language', { example: 'de' });

export const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);
