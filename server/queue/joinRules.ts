import { Conflict, ValidationFailed } from '../errors';
import type { Game } from '../models/Game';

/**
 * Who may be in a game's queue, beyond the shape of the request (docs/SPEC.md#joining): a party
 * fits the game's table, and one phone holds one live ticket per game unless it says otherwise.
 */

/** Why a party of `partySize` cannot be in this game's queue (it does not fit the table), or null. */
export function partySizeRefusal(game: Pick<Game, 'title' | 'maxPlayers'>, partySize: number): ValidationFailed | null {
  if (partySize <= game.maxPlayers) return null;
  return new ValidationFailed(`"${game.title}" seats at most ${game.maxPlayers} players; split into two parties or pick another game`, {
    details: [{ path: 'partySize', message: `At most ${game.maxPlayers} for ${game.title}` }],
    precise: { code: 'party_too_large', params: { title: game.title, max: game.maxPlayers } },
  });
}

/** A party larger than the game seats is refused, on joining and on a staff edit alike. */
export function checkPartySize(game: Pick<Game, 'title' | 'maxPlayers'>, partySize: number): void {
  const refusal = partySizeRefusal(game, partySize);
  if (refusal) throw refusal;
}

/**
 * 409 for a phone that already holds a live ticket for this game; `details` name the ticket
 * (`existingCode`) so the join page can offer to open it.
 */
export class AlreadyInQueue extends Conflict {
  constructor(
    gameTitle: string,
    readonly existingCode: string,
  ) {
    super(`This phone already has ticket ${existingCode} for "${gameTitle}". Open it, or say you are another party to join again`, {
      details: [{ path: 'existingCode', message: existingCode }],
      precise: { code: 'already_in_queue', params: { code: existingCode, title: gameTitle } },
    });
  }
}

/**
 * The refusals a customer meets on /join are conflicts (409) with codes of their own, so the
 * join page can say them in the customer's language (client/src/i18n, `errors.<code>`).
 */
export class QueueClosed extends Conflict {
  constructor(message: string) {
    super(message, { precise: { code: 'queue_closed' } });
  }
}
/** A game switched off, or with no copy to lend: it has no queue to join. */
export class GameUnavailable extends Conflict {
  constructor(message: string, game: Pick<Game, 'title'>) {
    super(message, { precise: { code: 'game_unavailable', params: { title: game.title } } });
  }
}
/** The game's queue is at its `maxQueue`. */
export class QueueFull extends Conflict {
  constructor(game: Pick<Game, 'title' | 'maxQueue'>) {
    const max = game.maxQueue ?? 0;
    super(`The queue for "${game.title}" is full (at most ${max} waiting parties); please ask staff`, { precise: { code: 'queue_full', params: { title: game.title, max } } });
  }
}
