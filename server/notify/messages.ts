import type { Config } from '../config';
import { displayName } from '../queue/ordering';
import type { Language } from '../i18n/languages';

/** What a message is about: the automatic moments, or staff asking the party to come again. */
export type MessageKind = 'called' | 'almost';

export interface MessageFacts {
  code: string;
  gameTitle: string;
  customerName: string;
  /** the party's language (chosen on /join), else the café's default (server/settings/identity.ts) */
  language: Language;
}

/**
 * The texts in the languages other than English. English comes from MESSAGE_CALLED and
 * MESSAGE_ALMOST (the café may reword it); these use the same placeholders.
 */
export const TRANSLATED_MESSAGES: Record<Exclude<Language, 'en'>, Record<MessageKind, string>> = {
  de: {
    called: '{cafe}: {game} ist bereit! Zeig dein Ticket {code} innerhalb von {minutes} Minuten an der Theke.',
    almost: '{cafe}: Gleich bist du mit {game} dran (Ticket {code}). Bitte komm zurück ins Café.',
  },
  es: {
    called: '{cafe}: ¡{game} ya está listo! Enseña tu ticket {code} en la barra en menos de {minutes} minutos.',
    almost: '{cafe}: ya casi te toca con {game} (ticket {code}). Vuelve a la cafetería, por favor.',
  },
};

function template(config: Config, kind: MessageKind, language: Language): string {
  return language === 'en' ? config.notify.messages[kind] : TRANSLATED_MESSAGES[language][kind];
}

/**
 * Fills the text in the party's language: MESSAGE_CALLED / MESSAGE_ALMOST in English (placeholders
 * checked when the config loads); `cafe` is the name from server/settings/identity.ts.
 */
export function messageText(config: Config, cafe: string, kind: MessageKind, facts: MessageFacts): string {
  const values: Record<string, string> = {
    cafe,
    code: facts.code,
    game: facts.gameTitle,
    name: displayName(facts.customerName),
    minutes: String(Math.round(config.queue.holdMs / 60_000)),
  };
  return template(config, kind, facts.language).replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** The JSON a push carries; the service worker (client/src/sw.ts) shows it as a notification. */
export interface PushPayload {
  title: string;
  body: string;
  code: string;
  kind: MessageKind;
  /** the ticket page to open when the notification is tapped */
  url: string;
}

export function pushPayload(config: Config, cafe: string, kind: MessageKind, facts: MessageFacts): PushPayload {
  return { title: cafe, body: messageText(config, cafe, kind, facts), code: facts.code, kind, url: `/t/${facts.code}` };
}
