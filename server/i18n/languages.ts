import { z } from '../http/zod';

/** The languages the screens and the party's messages come in (client/src/i18n has the catalogues). */
export const LANGUAGES = ['en', 'de', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What a party's messages fall back to when it chose no language (the café default, later). */
export const DEFAULT_LANGUAGE: Language = 'en';

export const LanguageSchema = z.enum(LANGUAGES, 'One of en, de, es').openapi('Language', { example: 'de' });

export const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);
