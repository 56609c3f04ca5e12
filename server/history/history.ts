import type { Knex } from 'knex';
import { z } from '../http/zod';
import { countedEvents, gameTitles, StatsSchema, summarise, type CountedEvent } from '../stats/stats';
import { openMsBetween, type OpeningHours } from '../settings/hours';
import { localHour, rangeInstants, type DateRange } from './range';

const Numbers = StatsSchema.omit({ perGame: true, estimates: true });

export const HistorySchema = z
  .object({
    from: z.string(),
    to: z.string(),
    totals: Numbers.extend({ joined: z.number().int() }),
    perGame: z.array(
      Numbers.extend({
        gameId: z.number().int(),
        title: z.string(),
        copies: z.number().int(),
        utilisation: z
          .number()
          .nullable()
          .openapi({ description: 'Share (0–1) of the copies’ open hours a party held one (called or seated); null with no open hours in the range' }),
      }),
    ),
    perHour: z.array(Numbers.extend({ hour: z.number().int().openapi({ description: 'Hour of day in CAFE_TIMEZONE, 0–23' }), joined: z.number().int() })),
  })
  .openapi('History');
export type History = z.infer<typeof HistorySchema>;

const numbersOf = (events: readonly CountedEvent[]) => {
  const { served, noShows, cancelled, meanWaitMinutes, p90WaitMinutes } = summarise(events, new Map());
  return { served, noShows, cancelled, meanWaitMinutes, p90WaitMinutes };
};

/** Milliseconds each game's copies were held (called or seated) within [since, until). */
async function heldMs(knex: Knex, since: Date, until: Date, now: Date): Promise<Map<number, number>> {
  const rows = (await knex('reservations')
    .whereNotNull('called_at')
    .where('called_at', '<', until)
    .where((q) => q.whereNull('finished_at').orWhere('finished_at', '>', since))
    .select('game_id as gameId', 'called_at as calledAt', 'finished_at as finishedAt')) as Array<{ gameId: number; calledAt: Date; finishedAt: Date | null }>;
  const held = new Map<number, number>();
  for (const r of rows) {
    const start = Math.max(r.calledAt.getTime(), since.getTime());
    const end = Math.min((r.finishedAt ?? now).getTime(), until.getTime());
    if (end > start) held.set(r.gameId, (held.get(r.gameId) ?? 0) + end - start);
  }
  return held;
}

/**
 * The numbers of a range of café days: totals, per game (with copy utilisation against the
 * opening hours) and per hour of day, all from the event log and the reservations' timestamps.
 */
export async function historyStats(knex: Knex, range: DateRange, timeZone: string, hours: OpeningHours, now = new Date()): Promise<History> {
  const { since, until } = rangeInstants(range, timeZone);
  const [events, joins, titles, games, held] = await Promise.all([
    countedEvents(knex, since, until),
    knex('reservation_events').where('type', 'joined').where('created_at', '>=', since).where('created_at', '<', until).select('game_id as gameId', 'created_at as createdAt') as Promise<
      Array<{ gameId: number; createdAt: Date }>
    >,
    gameTitles(knex),
    knex('games').select('id', 'copies') as Promise<Array<{ id: number; copies: number }>>,
    heldMs(knex, since, until, now),
  ]);
  const openMs = openMsBetween(hours, since, new Date(Math.min(until.getTime(), Math.max(now.getTime(), since.getTime()))), timeZone);
  const copies = new Map(games.map((g) => [g.id, g.copies]));

  const perGame = [...titles.entries()]
    .map(([gameId, title]) => {
      const own = events.filter((e) => e.gameId === gameId);
      const capacity = (copies.get(gameId) ?? 0) * openMs;
      const utilisation = capacity > 0 ? (held.get(gameId) ?? 0) / capacity : null;
      return { gameId, title, copies: copies.get(gameId) ?? 0, ...numbersOf(own), utilisation };
    })
    .filter((g) => g.served + g.noShows + g.cancelled > 0 || (g.utilisation ?? 0) > 0)
    .sort((a, b) => b.served - a.served || a.title.localeCompare(b.title));

  const joinHours = joins.map((j) => localHour(j.createdAt, timeZone));
  const eventHours = events.map((e) => localHour(e.createdAt, timeZone));
  const perHour = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    joined: joinHours.filter((h) => h === hour).length,
    ...numbersOf(events.filter((_e, i) => eventHours[i] === hour)),
  }));

  return { from: range.from, to: range.to, totals: { ...numbersOf(events), joined: joins.length }, perGame, perHour };
}
