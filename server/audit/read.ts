import type { Knex } from 'knex';
import { z } from '../http/zod';
import { isoDate } from '../http/schemas';
import { checkedRange, DateRangeFields, rangeInstants } from '../history/range';

export const AuditQuery = checkedRange(
  DateRangeFields.extend({
    gameId: z.coerce.number().int().positive().max(2_147_483_647).optional().openapi({ description: 'Only moves of this game' }),
    actor: z.string().trim().min(1).max(80).optional().openapi({ description: 'Only what this actor did, e.g. staff:alice or system:close-out' }),
    limit: z.coerce.number().int().min(1).max(1000).default(300),
  }),
);
export type AuditFilter = z.infer<typeof AuditQuery>;

export const AuditEntrySchema = z
  .object({
    at: isoDate,
    actor: z.string(),
    kind: z.enum(['queue', 'account', 'settings', 'close_out']),
    type: z.string().openapi({ description: 'The event: called, seated, cancelled… or account_created, role_changed, settings_changed…' }),
    subject: z.string().nullable().openapi({ description: 'Whom or what: a ticket code, a username, a settings key, a café date' }),
    gameId: z.number().int().nullable(),
    game: z.string().nullable(),
    fromStatus: z.string().nullable(),
    toStatus: z.string().nullable(),
    details: z.string().nullable(),
  })
  .openapi('AuditEntry');

export const AuditPageSchema = z
  .object({
    entries: z.array(AuditEntrySchema),
    actors: z.array(z.string()).openapi({ description: 'Everyone who did something in the range (for the filter)' }),
    truncated: z.boolean().openapi({ description: 'More entries matched than `limit`; narrow the range' }),
  })
  .openapi('AuditPage');
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

const kindOf = (type: string): AuditEntry['kind'] => (type === 'settings_changed' ? 'settings' : type === 'close_out' ? 'close_out' : 'account');

/**
 * Who did what: queue moves (reservation_events) and account, settings and close-out changes
 * (audit_log), newest first, filtered by time, game and actor. A game filter leaves out what
 * belongs to no game.
 */
export async function readAudit(knex: Knex, filter: AuditFilter, timeZone: string) {
  const { since, until } = rangeInstants(filter, timeZone);
  const moves = knex('reservation_events as e')
    .leftJoin('reservations as r', 'r.id', 'e.reservation_id')
    .leftJoin('games as g', 'g.id', 'e.game_id')
    .where('e.created_at', '>=', since)
    .where('e.created_at', '<', until)
    .orderBy('e.id', 'desc')
    .limit(filter.limit + 1)
    .select('e.created_at', 'e.actor', 'e.type', 'r.code', 'e.game_id', 'g.title', 'e.from_status', 'e.to_status', 'e.details');
  if (filter.gameId) moves.where('e.game_id', filter.gameId);
  if (filter.actor) moves.where('e.actor', filter.actor);
  const changes = knex('audit_log').where('created_at', '>=', since).where('created_at', '<', until).orderBy('id', 'desc').limit(filter.limit + 1);
  if (filter.actor) changes.where('actor', filter.actor);

  const actorsIn = async (table: string) =>
    ((await knex(table).distinct('actor').where('created_at', '>=', since).where('created_at', '<', until)) as Array<{ actor: string }>).map((r) => r.actor);
  const [moveRows, changeRows, moveActors, changeActors] = await Promise.all([
    moves as Promise<
      Array<{ createdAt: Date; actor: string; type: string; code: string | null; gameId: number | null; title: string | null; fromStatus: string | null; toStatus: string | null; details: string | null }>
    >,
    filter.gameId ? Promise.resolve([]) : (changes as Promise<Array<{ createdAt: Date; actor: string; type: string; subject: string | null; details: string | null }>>),
    actorsIn('reservation_events'),
    actorsIn('audit_log'),
  ]);
  const entries: AuditEntry[] = [
    ...moveRows.map((m) => ({
      at: m.createdAt.toISOString(),
      actor: m.actor,
      kind: 'queue' as const,
      type: m.type,
      subject: m.code,
      gameId: m.gameId,
      game: m.title,
      fromStatus: m.fromStatus,
      toStatus: m.toStatus,
      details: m.details,
    })),
    ...changeRows.map((c) => ({
      at: c.createdAt.toISOString(),
      actor: c.actor,
      kind: kindOf(c.type),
      type: c.type,
      subject: c.subject,
      gameId: null,
      game: null,
      fromStatus: null,
      toStatus: null,
      details: c.details,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  return {
    entries: entries.slice(0, filter.limit),
    actors: [...new Set([...moveActors, ...changeActors])].sort(),
    truncated: entries.length > filter.limit,
  };
}
