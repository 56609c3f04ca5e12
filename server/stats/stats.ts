import type { Knex } from 'knex';
import { z } from '../http/zod';
import { withinBand } from '../queue/estimates';

export const StatsSchema = z
  .object({
    served: z.number().int().openapi({ description: 'Parties seated today' }),
    noShows: z.number().int(),
    cancelled: z.number().int(),
    meanWaitMinutes: z.number().nullable().openapi({ description: 'Mean time from joining to being called, today' }),
    p90WaitMinutes: z.number().nullable(),
    estimates: z
      .object({
        parties: z.number().int().openapi({ description: 'Parties called today that had been quoted a wait when they joined' }),
        maeMinutes: z.number().nullable().openapi({ description: 'Mean absolute error of the quote at join against the real wait' }),
        withinBandShare: z.number().nullable().openapi({ description: 'Share (0–1) called within ±max(5 min, 25 %) of their quote' }),
        toldNowWaitedLong: z.number().int().openapi({ description: 'Parties told "now" who waited more than 5 minutes' }),
      })
      .openapi({ description: "Today's estimate accuracy" }),
    perGame: z.array(
      z.object({ gameId: z.number().int(), title: z.string(), served: z.number().int(), meanWaitMinutes: z.number().nullable() }),
    ),
  })
  .openapi('Stats');

export type Stats = z.infer<typeof StatsSchema>;

/** Midnight of `now`'s day in the café's time zone, as a UTC instant. */
export function startOfDay(now: Date, timeZone: string): Date {
  const parts = (t: Date) => {
    const fields = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
        .formatToParts(t)
        .map((p) => [p.type, Number(p.value)]),
    ) as Record<string, number>;
    return fields;
  };
  const local = parts(now);
  const midnightAsUtc = Date.UTC(local.year!, local.month! - 1, local.day!);
  const offset = (t: number) => {
    const p = parts(new Date(t));
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - t;
  };
  // Two passes settle days on which the offset changes (daylight saving).
  let guess = midnightAsUtc - offset(midnightAsUtc);
  guess = midnightAsUtc - offset(guess);
  return new Date(guess);
}

const minutes = (ms: number) => Math.round((ms / 60_000) * 10) / 10;

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** How well today's quotes at join matched the real waits of the parties called since `since`. */
export async function estimateAccuracy(knex: Knex, since: Date): Promise<Stats['estimates']> {
  const rows = (await knex('reservations')
    .where('called_at', '>=', since)
    .whereNotNull('quoted_wait_minutes')
    .select('quoted_wait_minutes as quoted', 'waited_ms as waitedMs')) as Array<{ quoted: number; waitedMs: number | string }>;
  const parties = rows.map((r) => ({ quoted: r.quoted, waited: Number(r.waitedMs) / 60_000 }));
  if (!parties.length) return { parties: 0, maeMinutes: null, withinBandShare: null, toldNowWaitedLong: 0 };
  const mae = parties.reduce((sum, p) => sum + Math.abs(p.waited - p.quoted), 0) / parties.length;
  return {
    parties: parties.length,
    maeMinutes: Math.round(mae * 10) / 10,
    withinBandShare: Math.round((parties.filter((p) => withinBand(p.quoted, p.waited)).length / parties.length) * 1000) / 1000,
    toldNowWaitedLong: parties.filter((p) => p.quoted === 0 && p.waited > 5).length,
  };
}

/** An event that moves the numbers: a call (with its wait), a seating, a no-show, a cancellation. */
export interface CountedEvent {
  reservationId: number;
  gameId: number;
  type: string;
  waitMs: number | null;
  createdAt: Date;
}

/** The events that count, from `since` up to (not including) `until`. */
export async function countedEvents(knex: Knex, since: Date, until?: Date): Promise<CountedEvent[]> {
  const query = knex('reservation_events')
    .where('created_at', '>=', since)
    .whereIn('type', ['seated', 'no_show', 'cancelled', 'called'])
    .select('reservation_id as reservationId', 'game_id as gameId', 'type', 'wait_ms as waitMs', 'created_at as createdAt')
    .orderBy([{ column: 'created_at' }, { column: 'id' }]);
  if (until) query.where('created_at', '<', until);
  return (await query) as CountedEvent[];
}

export async function gameTitles(knex: Knex): Promise<Map<number, string>> {
  return new Map(((await knex('games').select('id', 'title')) as Array<{ id: number; title: string }>).map((g) => [g.id, g.title]));
}

/**
 * The numbers of a list of events (oldest first): served, no-shows, cancellations, mean and p90
 * wait, per game. A party's wait counts once: a call staff took back (uncall) and made again
 * logs a second wait, and the later one, the call that stood, is the party's wait.
 */
export function summarise(events: readonly CountedEvent[], titles: ReadonlyMap<number, string>): Omit<Stats, 'estimates'> {
  const waitOf = new Map<number, { gameId: number; waitMs: number }>();
  const perGame = new Map<number, { served: number; waits: number[] }>();
  const game = (id: number) => perGame.get(id) ?? perGame.set(id, { served: 0, waits: [] }).get(id)!;
  let served = 0;
  let noShows = 0;
  let cancelled = 0;
  for (const e of events) {
    if (e.type === 'seated') {
      served += 1;
      game(e.gameId).served += 1;
    } else if (e.type === 'no_show') noShows += 1;
    else if (e.type === 'cancelled') cancelled += 1;
    else if (e.type === 'called' && e.waitMs !== null) waitOf.set(e.reservationId, { gameId: e.gameId, waitMs: e.waitMs });
  }
  const waits: number[] = [];
  for (const { gameId, waitMs } of waitOf.values()) {
    waits.push(waitMs);
    game(gameId).waits.push(waitMs);
  }
  waits.sort((a, b) => a - b);
  const mean = (list: number[]) => (list.length ? minutes(list.reduce((s, w) => s + w, 0) / list.length) : null);
  const p90 = percentile(waits, 90);
  return {
    served,
    noShows,
    cancelled,
    meanWaitMinutes: mean(waits),
    p90WaitMinutes: p90 === null ? null : minutes(p90),
    perGame: [...perGame.entries()]
      .filter(([id]) => titles.has(id))
      .map(([id, g]) => ({ gameId: id, title: titles.get(id)!, served: g.served, meanWaitMinutes: mean(g.waits) }))
      .sort((a, b) => b.served - a.served || a.title.localeCompare(b.title)),
  };
}

/** Today's numbers from the event log. */
export async function statsToday(knex: Knex, timeZone: string, now = new Date()): Promise<Stats> {
  const since = startOfDay(now, timeZone);
  const [events, titles, estimates] = await Promise.all([countedEvents(knex, since), gameTitles(knex), estimateAccuracy(knex, since)]);
  return { ...summarise(events, titles), estimates };
}
