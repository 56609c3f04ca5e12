import type { Config } from '../config';
import { displayName } from '../queue/ordering';

/** What a message is about: the automatic moments, or staff asking the party to come again. */
export type MessageKind = 'called' | 'almost';

export interface MessageFacts {
  code: string;
  gameTitle: string;
  customerName: string;
}

/** Fills MESSAGE_CALLED / MESSAGE_ALMOST (placeholders checked when the config loads); `cafe` is the name from server/settings/identity.ts. */
export function messageText(config: Config, cafe: string, kind: MessageKind, facts: MessageFacts): string {
  const values: Record<string, string> = {
    cafe,
    code: facts.code,
    game: facts.gameTitle,
    name: displayName(facts.customerName),
    minutes: String(Math.round(config.queue.holdMs / 60_000)),
  };
  return config.notify.messages[kind].replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
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
